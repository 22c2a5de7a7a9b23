"""Dates and months as the site writes them, the same on every machine (the
machine's locale never enters: `%B` would say "noviembre" on a Spanish one)."""

from __future__ import annotations

import datetime as dt
import re

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
"""A month folder's name, YYYY-MM."""
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_title(month: str) -> str:
    """'2023-11' → 'November 2023'."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def month_abbr(month: str) -> str:
    """'2023-11' → 'Nov 2023'."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1][:3]} {year}"


def long_date(day: dt.date) -> str:
    """'6 November 2023'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
