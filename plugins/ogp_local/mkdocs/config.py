"""The plugin's options as MkDocs sees them: every name the core's Settings knows,
passed through as given. Settings (build/settings.py) holds the defaults and checks every
value, for the plugin and the command line alike."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from ogp_local.build.settings import Settings, SettingsError, Site, option_names
from ogp_local.build.site_build import SiteBuild

log = logging.getLogger("mkdocs.plugins.ogp_local")


class _AsGiven(c.BaseConfigOption):
    """A value Settings will check: MkDocs only makes sure the name is known."""

    def run_validation(self, value):
        return value


StoriesConfig = type(
    "StoriesConfig",
    (base.Config,),
    {name: c.Optional(_AsGiven()) for name in option_names()},
)


def site_of(config: MkDocsConfig) -> Site:
    """What the stories need of mkdocs.yml outside the plugin's own options."""
    return Site(
        root=Path(config.config_file_path or ".").resolve().parent,
        site_name=config.site_name,
        site_url=config.site_url,
        site_description=config.site_description,
        docs_dir=config.docs_dir,
        custom_dir=config.theme.custom_dir,
        language=config.theme.get("language") or "en",
        use_directory_urls=config.use_directory_urls,
    )


def site_build(
    options: StoriesConfig, config: MkDocsConfig, include_drafts: bool, preview: bool
) -> SiteBuild:
    """The build of this site: its settings made once and checked (every message at
    once, as MkDocs' own error)."""
    given = {key: value for key, value in options.items() if value is not None}
    try:
        settings = Settings.read(given, site_of(config))
        return SiteBuild(settings, include_drafts=include_drafts, preview=preview)
    except SettingsError as exc:
        raise PluginError(str(exc)) from exc


def warn_of_other_search(settings: Settings, config: MkDocsConfig) -> None:
    """Material's search beside ours indexes every page twice: say how to keep one."""
    if settings.search.enabled and {"search", "material/search"} & set(config.plugins):
        log.warning(
            "ogp-local: the site has its own search (Pagefind, with the story finder): "
            "remove `- search` from `plugins:` in mkdocs.yml, or set "
            "`search: {enabled: false}` under `ogp-local:` to keep Material's"
        )
