"""The files MkDocs builds: the stories read and the site planned, then MkDocs' list
of files made to match — the planned pages added, every language's pages of docs_dir,
the theme's private folders left out, every raster image published re-encoded."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from ogp_local.build.site_build import SiteBuild
from ogp_local.content import problems
from ogp_local.content.images import RASTER
from ogp_local.outputs.photos.variants import Rendition

log = logging.getLogger("mkdocs.plugins.ogp_local")


class Reencoded(File):
    """An image MkDocs knows (links to it resolve) but does not copy: the build writes
    a re-encoded copy in its place, without the original's metadata."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def read_and_plan(build: SiteBuild, files: Files, config: MkDocsConfig) -> dict[str, Rendition]:
    """Read every story (every problem at once: errors stop the build), plan the site,
    and make `files` the site's; the renditions of every image it publishes."""
    report = build.read()
    for warning in report.warnings:
        log.warning(str(warning))
    for line in build.found.waiting():
        log.info(f"ogp-local: {line}")
    if report.errors:
        count = len(report.errors)
        raise PluginError(
            f"{count} problem{'s' * (count > 1)} in the content; nothing was built:\n"
            + problems.render(report.errors)
        )
    build.plan(config.theme.dirs)
    _language_pages(build, files, config)
    # The card fonts and our templates live in the theme folder, but not in the site.
    private = build.theme_only()
    for file in list(files):
        path = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if path and any(path.is_relative_to(folder) for folder in private):
            files.remove(file)
    for uri, planned in build.pages.items():
        existing = files.get_file_from_path(uri)
        if existing is None:
            story = planned.story
            draft = story is not None and bool(story.draft or story.scheduled)
            level = InclusionLevel.DRAFT if draft else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=planned.markdown, inclusion=level))
            planned.generated = True
        elif "circle" in planned.context:
            existing.inclusion = InclusionLevel.NOT_IN_NAV  # reached from /circles/
    for asset in build.found.assets:
        files.append(File(asset, str(build.settings.root), config.site_dir, True))
    renditions = build.plan_photos(_images(build, files, config))
    build.sites.page_uris = {file.src_uri for file in files.documentation_pages()}
    return renditions


def _images(build: SiteBuild, files: Files, config: MkDocsConfig) -> dict[str, Path]:
    """Every raster image of the stories and content pages (site path → original), each
    published re-encoded by the build, never copied (the theme's own images stay)."""
    images = {}
    docs = Path(config.docs_dir).resolve()
    stories = set(build.found.assets)
    for file in list(files):
        source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if source is None or source.suffix.lower() not in RASTER:
            continue
        if source.is_relative_to(docs) or file.src_uri in stories:
            files.remove(file)
            files.append(Reencoded(file.src_uri, file.src_dir, config.site_dir, True))
            images[file.dest_uri] = source
    # A hero kept elsewhere in the project (say, a shared photos/ folder) is
    # published at its repository path too.
    root = str(build.settings.root)
    for story in build.catalog.stories:
        if story.image and story.image.path not in images:
            files.append(Reencoded(story.image.path, root, config.site_dir, True))
            images[story.image.path] = build.settings.root / story.image.path
    return images


def _language_pages(build: SiteBuild, files: Files, config: MkDocsConfig) -> None:
    """The pages of docs_dir in every language: `about.es.md` becomes `es/about/`
    (and is no page of its own); where nobody translated a page, its language's
    site shows the original."""
    docs = Path(config.docs_dir).resolve()
    uris = [
        f.src_uri
        for f in files.documentation_pages()
        if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs)
    ]
    added, translations = build.sites.docs_pages(uris)
    for uri in translations:
        file = files.get_file_from_path(uri)
        if file is not None:
            files.remove(file)
    for target, source in sorted(added.items()):
        existing = files.get_file_from_path(target)
        if existing is not None:
            files.remove(existing)
        path = str(docs / source)
        # Another language's page is in its own language's navigation (on_nav).
        default = build.sites.language_of(target) == build.sites.default
        level = InclusionLevel.INCLUDED if default else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, target, abs_src_path=path, inclusion=level))
        build.sites.sources[target] = source
