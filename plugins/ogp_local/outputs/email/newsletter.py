"""The monthly Local Roundup as an email edition: `roundups/YYYY-MM/email.html` and
its plain-text alternative `email.txt`, made from the same stories as the site.

Email is hostile: no scripts, stylesheets stripped, images blocked by default,
Gmail clips a message past 102 KB. So the edition is a table layout at most 600 px
wide with every style inline (css-inline, a maintained inliner; media queries stay
in a <style> as progressive enhancement), every URL absolute, every image with its
size and alt text. When a month has more items than fit the size budget, the first
ones (by `order`) are shown in full and the rest listed as linked titles.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import css_inline
from jinja2 import Environment
from markupsafe import Markup

from ogp_local.cache import fingerprints
from ogp_local.content import i18n
from ogp_local.content.dates import long_date
from ogp_local.content.i18n import gettext as _
from ogp_local.content.model import Item, Roundup, Story
from ogp_local.content.plaintext import plain_text
from ogp_local.outputs.cards.pipeline import CardSet
from ogp_local.outputs.feeds.formats import absolutize
from ogp_local.site.catalog import Catalog

GMAIL_CLIP = 102 * 1024
"""Gmail cuts a message larger than this behind a "[Message clipped]" link."""
COLUMN = 552
"""The content column: 600 px less the padding on both sides."""
CARD = (1200, 630)

_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Edition:
    month: str
    html: bytes
    text: bytes
    full: int
    """Items shown in full (title, card, summary, links)."""
    listed: int
    """Items listed as linked titles only (the edition would not fit otherwise)."""


@dataclass(frozen=True)
class Options:
    site_name: str
    site_url: str
    """Absolute, ending in '/'."""
    logo: str
    """Site-relative path of the PNG logo."""
    address: str
    """The organisation's postal address, for the footer (mailing laws ask for it)."""
    unsubscribe: str
    """The mailing tool's unsubscribe merge tag (e.g. *|UNSUB|*), or an address."""
    social: tuple[str, ...] = ()
    """Addresses of the organisation's social media profiles."""
    budget: int = 100 * 1024
    """Bytes the HTML edition may take (below Gmail's clipping point)."""
    prefix: str = ""
    """Where the edition's language's pages live ('' or 'es/')."""


_NETWORKS = {
    "x.com": "X",
    "twitter.com": "X",
    "linkedin.com": "LinkedIn",
    "facebook.com": "Facebook",
    "instagram.com": "Instagram",
    "youtube.com": "YouTube",
    "mastodon.social": "Mastodon",
    "bsky.app": "Bluesky",
}


# css-inline writes attribute values as HTML5 serializes them: `<` and `>` stay raw
# (safe to a browser, but not to every mail client's sanitizer, and not what "escaped
# everywhere" means). Text nodes have both escaped, so only attribute values match.
_ATTRIBUTE = re.compile(r'="([^"]*)"')


def escape_attributes(html: str) -> str:
    """`html` with `<` and `>` escaped inside every attribute value too."""
    return _ATTRIBUTE.sub(
        lambda m: '="' + m.group(1).replace("<", "&lt;").replace(">", "&gt;") + '"', html
    )


def network(url: str) -> str:
    """What a reader calls the profile at `url`: 'X', 'LinkedIn', or its host."""
    host = url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return _NETWORKS.get(host, host)


class Newsletter:
    """Makes the edition of each month from the catalog, the cards and the rendered
    introductions of the roundups."""

    def __init__(
        self,
        env: Environment,
        catalog: Catalog,
        cards: dict[Story, CardSet],
        intros: dict[Roundup, str],
        options: Options,
    ) -> None:
        self.env = env
        self.catalog = catalog
        self.cards = cards
        self.intros = intros
        self.options = options
        self.used: set[str] = set()
        """The kept editions this build used (kept_edition)."""

    def absolute(self, path: str) -> str:
        return urljoin(self.options.site_url, path)

    def page(self, path: str) -> str:
        """A page of the edition's language's site, absolute."""
        return urljoin(self.options.site_url, self.options.prefix + path)

    def kept_edition(self, roundup: Roundup, folder: Path | None, salt: str | None) -> Edition:
        """The month's edition, taken from `folder` when an earlier build made it of
        the same inputs (`salt`: the code and templates; None: always made)."""
        if folder is None or salt is None:
            return self.edition(roundup)
        try:
            key = fingerprints.digest(
                salt,
                i18n.active(),
                self.options,
                roundup,
                str(self.intros.get(roundup, "")),
                bool(self.cards),
                [self.cards.get(story) for story in (roundup, *roundup.items)],
                self.catalog.cases[:3],
            )
        except fingerprints.Unknown:
            return self.edition(roundup)
        self.used.add(key)
        paths = [folder / f"{key}.{suffix}" for suffix in ("html", "txt", "json")]
        try:
            counts = json.loads(paths[2].read_text("utf-8"))
            html, text = paths[0].read_bytes(), paths[1].read_bytes()
            return Edition(roundup.month, html, text, counts["full"], counts["listed"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        made = self.edition(roundup)
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            paths[0].write_bytes(made.html)
            paths[1].write_bytes(made.text)
            counts = {"full": made.full, "listed": made.listed}
            paths[2].write_text(json.dumps(counts), "utf-8")  # last: it vouches for the two
        return made

    def edition(self, roundup: Roundup) -> Edition:
        """The month's edition, with as many items in full as fit the budget."""
        items = roundup.items
        made: dict[int, bytes] = {}

        def html(full: int) -> bytes:
            if full not in made:
                made[full] = self._html(roundup, items[:full], items[full:])
            return made[full]

        def fits(full: int) -> bool:
            return len(html(full)) <= self.options.budget

        full = len(items)
        if not fits(full):
            # Estimate from the size an item in full adds, then step to the exact count:
            # a few renders, not one per halving.
            each = max(1.0, (len(html(full)) - len(html(0))) / full)
            full = min(full - 1, max(0, int((self.options.budget - len(html(0))) / each)))
            if fits(full):
                while full + 1 < len(items) and fits(full + 1):
                    full += 1
            else:
                while full > 0 and not fits(full):
                    full -= 1
        text = self._render("email.txt", roundup, items[:full], items[full:])
        return Edition(roundup.month, html(full), text.encode("utf-8"), full, len(items) - full)

    def _html(self, roundup: Roundup, full: Sequence[Item], listed: Sequence[Item]) -> bytes:
        inlined = _INLINER.inline(self._render("email.html", roundup, full, listed))
        return escape_attributes(inlined).encode("utf-8")

    def _render(
        self, template: str, roundup: Roundup, full: Sequence[Item], listed: Sequence[Item]
    ) -> str:
        page = self.page(roundup.url)
        intro = self.intros.get(roundup, "")
        context = {
            "site_name": self.options.site_name,
            "home": self.page(""),
            "logo": self.absolute(self.options.logo),
            "roundup": roundup,
            "page": page,
            "date": long_date(roundup.date),
            "intro": Markup(absolutize(intro, page)) if intro else "",
            "intro_text": plain_text(roundup.body),
            "full": [self._item(item) for item in full],
            "listed": [self._item(item) for item in listed],
            "cases": [self._story(case) for case in self.catalog.cases[:3]],
            "feeds": [
                (_("All stories (RSS)"), self.page("feed.xml")),
                (_("Local Roundups (RSS)"), self.page("roundups/feed.xml")),
            ],
            "cards": self.page(f"cards/#month-{roundup.month}") if self.cards else None,
            "social": [(network(url), url) for url in self.options.social],
            "address": self.options.address,
            "unsubscribe": self.options.unsubscribe,
            "unsubscribe_is_url": self.options.unsubscribe.startswith(("https://", "http://")),
        }
        return self.env.get_template(f"partials/ogp/{template}").render(context)

    def _story(self, story: Story) -> dict:
        names = ", ".join(m.name for m in story.members)
        return {
            "story": story,
            "url": self.page(story.url),
            "place": f"{names}, {', '.join(story.countries)}" if names else "",
        }

    def _item(self, item: Item) -> dict:
        found = self._story(item)
        card = self.cards.get(item)
        found["card"] = None  # cards turned off: the edition goes without pictures
        if card is not None:
            found["card"] = {
                "src": self.absolute(f"cards/{card.files['1200x630']}"),
                "alt": card.alt,
                "width": COLUMN,
                "height": round(COLUMN * CARD[1] / CARD[0]),
            }
        return found
