"""The interface in the reader's language: one active language at a time, as
Django and Sphinx do it.

The build renders one page after another; before each it activates the page's
language, and everything that writes words for the reader (our templates through
Jinja's i18n extension, page titles, card labels, feed titles, dates, area names)
asks `gettext` and friends, which answer in the active language.

Translations are gettext catalogs, `locales/<lang>.po` beside this file, read with
Babel (plural rules included); a message without a translation stays in English,
the language the source is written in. Dates and language names come from Babel's
CLDR data, in the language's own form ("6 de noviembre de 2023").
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import io
from collections.abc import Iterator
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from markupsafe import Markup

SOURCE = "en"
"""The language our own strings are written in."""

_active: contextvars.ContextVar[str] = contextvars.ContextVar("ogp_language", default=SOURCE)


def active() -> str:
    """The language pages are being written in now."""
    return _active.get()


def activate(lang: str) -> None:
    _active.set(lang)


@contextlib.contextmanager
def using(lang: str) -> Iterator[None]:
    """Write in `lang` inside the block, and in the language before it after."""
    token = _active.set(lang)
    try:
        yield
    finally:
        _active.reset(token)


def _locale_tags(lang: str) -> list[str]:
    """'pt-BR' → ['pt_BR', 'pt']: the catalogs to try, most specific first."""
    parts = lang.replace("-", "_").split("_")
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The catalog of `lang` (or of its base language), else the English source."""
    folder = resources.files("ogp_local") / "locales"
    for tag in _locale_tags(lang):
        po = folder / f"{tag}.po"
        if po.is_file():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=tag)
            compiled = io.BytesIO()
            write_mo(compiled, catalog, use_fuzzy=False)
            compiled.seek(0)
            return Translations(compiled)
    return NullTranslations()


def shipped() -> tuple[str, ...]:
    """The languages our interface is translated into (besides English)."""
    folder = resources.files("ogp_local") / "locales"
    return tuple(sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".po")))


def gettext(message: str) -> str:
    return translations(active()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(active()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Marks a message for extraction where it is defined; translated where shown."""
    return message


def locale(lang: str | None = None) -> Locale:
    return _locale(lang or active())


@functools.lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    for tag in _locale_tags(lang):
        try:
            return Locale.parse(tag)
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse(SOURCE)


# -- dates and numbers ---------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """'6 November 2023', '6 de noviembre de 2023', '6 novembre 2023'."""
    if active() == SOURCE:  # the site's English form since its first day
        return format_date(day, "d MMMM y", locale=_locale(SOURCE))
    return format_date(day, "long", locale=locale())


def month_title(month: str) -> str:
    """'2023-11' → 'November 2023', 'noviembre de 2023'."""
    year, number = month.split("-")
    day = dt.date(int(year), int(number), 1)
    return format_skeleton("yMMMM", day, locale=locale())


def month_abbr(month: str) -> str:
    """'2023-11' → 'Nov 2023', 'nov 2023'."""
    year, number = month.split("-")
    day = dt.date(int(year), int(number), 1)
    return format_skeleton("yMMM", day, locale=locale())


def number(value: float | int) -> str:
    """12345 → '12,345' in English, '12.345' in Spanish."""
    return format_decimal(value, locale=locale())


def language_name(code: str, in_lang: str | None = None, *, in_text: bool = False) -> str:
    """'es' → 'Spanish' (in English), 'Español' (in Spanish): capitalised for a label;
    `in_text`: as a sentence writes it ('español', 'Spanish')."""
    try:
        name = Locale.parse(code, sep="-").get_display_name(locale(in_lang))
    except (ValueError, UnknownLocaleError):
        return code
    if not name:
        return code
    return name if in_text else name[:1].upper() + name[1:]


def own_name(code: str) -> str:
    """A language in its own words, for the switcher: 'Español', 'Français'."""
    return language_name(code, code)


# -- templates -------------------------------------------------------------------------------


def install_gettext(env) -> None:
    """`{% trans %}`, `_()` and `ngettext()` in a Jinja environment (with the i18n
    extension), answering in the active language; plus the language helpers the
    templates use to mark a story written in another language than the page's."""
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(
        active_language=active,
        language_name=language_name,
        text_direction=_direction,
        number=number,
        story_lang=story_lang,
        page_lang=page_lang,
        written_in=written_in,
    )


def _direction(lang: str) -> str:
    from ogp_local.content.model import text_direction

    return text_direction(lang)


# Called for every story of every listing: Python, not Jinja macros (a third of the
# templates' time at a thousand stories).


def _foreign(story) -> bool:
    return bool(story.lang) and story.lang != active()


def story_lang(story) -> Markup:
    """` lang="en" dir="ltr"` on an element of a story written in another language than
    the page's; nothing otherwise."""
    if not _foreign(story):
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(story.lang, _direction(story.lang))


def page_lang(story) -> Markup:
    """The page's language again, for the page's own words (labels, dates) inside an
    element that carries the story's other language."""
    if not _foreign(story):
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(active(), _direction(active()))


def written_in(story, sep: str = "") -> Markup:
    """A visible label where a story is shown in another language than the page's:
    "Inglés" on a Spanish page; `sep` goes before it (" · ")."""
    if not _foreign(story):
        return Markup("")
    label = Markup('<span class="ogp-lang-label">{}</span>').format(language_name(story.lang))
    return Markup("{}{}").format(sep, label)
