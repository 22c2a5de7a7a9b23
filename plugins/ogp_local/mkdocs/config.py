"""The plugin's options as MkDocs sees them: every name the core's Settings knows,
passed through as given. Settings (settings.py) holds the defaults and checks every
value, for the plugin and the command line alike."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ogp_local.build.settings import option_names


class _AsGiven(c.BaseConfigOption):
    """A value Settings will check: MkDocs only makes sure the name is known."""

    def run_validation(self, value):
        return value


StoriesConfig = type(
    "StoriesConfig",
    (base.Config,),
    {name: c.Optional(_AsGiven()) for name in option_names()},
)
