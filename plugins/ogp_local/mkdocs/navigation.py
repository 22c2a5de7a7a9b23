"""Each language's navigation: the `nav:` of mkdocs.yml for a language's site, and
the language file of Material's interface strings that suits it."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, get_navigation

from ogp_local.build.site_build import SiteBuild
from ogp_local.content import i18n


def language_navs(
    build: SiteBuild, nav: Navigation, config: MkDocsConfig, files: Files
) -> dict[str, Navigation]:
    """Each language's navigation: the same sections as MkDocs' own (the default
    language's), leading to the language's own pages, titled in its language."""
    settings = build.settings
    navs = {settings.default_language: nav}
    configured = config["nav"]
    if len(settings.all_languages) < 2 or configured is None:
        return navs
    try:
        for lang in settings.all_languages[1:]:
            prefix = build.sites.prefix(lang)
            with i18n.using(lang):
                config["nav"] = nav_in(configured, prefix)
                local = get_navigation(files, config)
                retitle(configured, prefix, files)
            home = files.get_file_from_path(f"{prefix}index.md")
            local.homepage = home.page if home is not None else None
            navs[lang] = local
    finally:
        config["nav"] = configured
    return navs


def material_language(lang: str, theme_dirs) -> str:
    """The language file of Material's interface strings closest to `lang` (its
    chrome: navigation, footer, skip link), English when it has none."""
    for tag in (lang, lang.split("-")[0]):
        for folder in theme_dirs:
            if (Path(folder) / "partials" / "languages" / f"{tag}.html").is_file():
                return tag
    return "en"


def nav_in(items, prefix: str):
    """The `nav:` of mkdocs.yml for a language's site: its pages, section titles in
    the active language (pages take their own, translated, titles)."""
    if isinstance(items, list):
        return [nav_in(item, prefix) for item in items]
    if isinstance(items, dict):
        return {
            i18n.gettext(title) if not isinstance(value, str) else title: nav_in(value, prefix)
            for title, value in items.items()
        }
    if isinstance(items, str) and "://" not in items and not items.startswith("/"):
        return prefix + items
    return items


def retitle(items, prefix: str, files: Files) -> None:
    """Pages the `nav:` of mkdocs.yml titles ("Home"): titled so in the active language,
    where the catalogs translate the title (else they keep their own)."""
    entries = items if isinstance(items, list) else [items]
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        for title, value in entry.items():
            if not isinstance(value, str):
                retitle(value, prefix, files)
                continue
            file = files.get_file_from_path(prefix + value)
            translated = i18n.gettext(title)
            if file is not None and file.page is not None and translated != title:
                file.page.title = translated


# Titles the demo's `nav:` gives that no page has, for the translation catalogs.
_NAV_TITLES = (i18n.N_("About"), i18n.N_("Roundups"), i18n.N_("Social cards"))
