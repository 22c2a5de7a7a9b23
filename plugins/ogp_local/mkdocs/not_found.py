"""Each language's 404 page. MkDocs writes the theme's 404.html once, in the default
language; a web server answers a missing page under /es/ with es/404.html, so the
same template is rendered again for every other language, with its words, its
navigation and its links. Not a page of the site: no sitemap entry, no search
record, no feed item."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, TemplateNotFound
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from ogp_local.build.render_stage import language_context
from ogp_local.build.site_build import SiteBuild
from ogp_local.content import i18n
from ogp_local.mkdocs.navigation import material_language

TEMPLATE = "404.html"


def write_language_pages(
    build: SiteBuild,
    config: MkDocsConfig,
    files: Files,
    env: Environment,
    navs: dict[str, Navigation],
) -> list[Path]:
    """`<lang>/404.html` for every language but the default; the files written."""
    try:
        template = env.get_template(TEMPLATE)
    except TemplateNotFound:  # a theme without a 404 page: nothing to translate
        return []
    # As MkDocs renders error pages: absolute links, for they answer at any depth.
    base_url = urlsplit(config.site_url or "/").path
    written = []
    for lang in build.settings.all_languages[1:]:
        nav = navs.get(lang) or navs.get(build.settings.default_language)
        with i18n.using(lang):
            context = get_context(nav, files, config)
            context = config.plugins.on_template_context(
                context, template_name=TEMPLATE, config=config
            )
            context.update(language_context(build, lang))
            context["base_url"] = base_url
            context["ogp_material_lang"] = material_language(lang, config.theme.dirs)
            output = template.render(context)
            output = config.plugins.on_post_template(output, template_name=TEMPLATE, config=config)
        path = Path(config.site_dir) / build.sites.prefix(lang) / TEMPLATE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, "utf-8")
        written.append(path)
    return written
