"""Dates and months as the site writes them, the same on every machine (the
machine's locale never enters: `%B` would say "noviembre" on a Spanish one). They
are written in the active language (see i18n): "6 de noviembre de 2023" on a
Spanish page."""

from __future__ import annotations

import re

from ogp_local.content.i18n import long_date, month_abbr, month_title

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
"""A month folder's name, YYYY-MM."""

__all__ = ["MONTH", "long_date", "month_abbr", "month_title"]
