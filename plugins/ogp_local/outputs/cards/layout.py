"""Where everything goes on a card, designed per size (not one layout stretched).

A layout is plain data — boxes, runs of text, colours — so tests can check that
every glyph stays inside the safe area without looking at pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ogp_local.outputs.cards.fonts import FontChain
from ogp_local.outputs.cards.text import Block, Box, Style, fit

LAYOUT_VERSION = 3
"""Bump when a design changes: every cached card is drawn again."""


@dataclass(frozen=True)
class Content:
    """What a card says. Plain text only; nothing here is HTML."""

    kind: str
    title: str
    place: str
    areas: tuple[tuple[str, str], ...]
    """(name, colour) of each area, primary first."""
    colour: str
    """Background colour: the primary area's (white text on it reaches 4.5:1)."""
    site_name: str
    site_host: str
    impact: tuple[str, str] | None = None
    image: str | None = None
    """Absolute path of the hero image, if any."""
    focus: tuple[float, float] = (50.0, 50.0)
    """The point of the image to keep when cropping it to the card, in percent."""


@dataclass(frozen=True)
class Design:
    width: int
    height: int
    margin: int
    safe_top: int
    safe_bottom: int
    brand: int
    pill: int
    title: Style
    place: Style
    impact_value: Style
    impact_label: Style
    impact_beside: bool
    """Landscape: the impact figure stands beside the title, else below it."""

    @property
    def safe(self) -> Box:
        return Box(
            self.margin, self.safe_top, self.width - self.margin, self.height - self.safe_bottom
        )


DESIGNS: dict[str, Design] = {
    # Open Graph, X, LinkedIn, Facebook: wide, the title beside the figure.
    "1200x630": Design(
        1200,
        630,
        64,
        52,
        52,
        26,
        22,
        Style(True, 62, 34, 4, 1.15),
        Style(False, 28, 20, 1),
        Style(True, 88, 40, 1, 1.0),
        Style(False, 24, 18, 3, 1.25),
        True,
    ),
    # Instagram feed: square, the figure under the title.
    "1080x1080": Design(
        1080,
        1080,
        80,
        80,
        80,
        30,
        26,
        Style(True, 80, 42, 5, 1.15),
        Style(False, 34, 24, 2),
        Style(True, 120, 56, 1, 1.0),
        Style(False, 32, 22, 2, 1.25),
        False,
    ),
    # Stories: Instagram covers the top and bottom 250 px with its own controls.
    "1080x1920": Design(
        1080,
        1920,
        96,
        250,
        250,
        34,
        30,
        Style(True, 96, 52, 7, 1.15),
        Style(False, 40, 28, 2),
        Style(True, 150, 64, 1, 1.0),
        Style(False, 38, 26, 3, 1.25),
        False,
    ),
}


@dataclass(frozen=True)
class Pill:
    box: Box
    colour: str
    label: Block


@dataclass
class Layout:
    design: Design
    brand: Block
    kind: Block
    pills: list[Pill] = field(default_factory=list)
    title: Block | None = None
    place: Block | None = None
    impact_value: Block | None = None
    impact_label: Block | None = None
    host: Block | None = None

    def blocks(self) -> list[Block]:
        found = [
            self.brand,
            self.kind,
            self.title,
            self.place,
            self.impact_value,
            self.impact_label,
            self.host,
            *(p.label for p in self.pills),
        ]
        return [b for b in found if b is not None]

    def boxes(self) -> list[Box]:
        """The ink box of every glyph run, and of every pill."""
        return [box for block in self.blocks() for box in block.boxes] + [p.box for p in self.pills]


def lay_out(content: Content, size: str, chain: FontChain) -> Layout:
    d = DESIGNS[size]
    safe = d.safe
    small = Style(True, d.brand, max(14, d.brand - 8), 1)
    # Top row: the site's name at the start, the kind of story at the end.
    brand_area = Box(
        safe.x0 + d.brand * 1.6, safe.y0, safe.x0 + safe.width * 0.6, safe.y0 + d.brand * 1.5
    )
    brand = fit(chain, content.site_name, brand_area, small)
    kind_area = Box(safe.x0 + safe.width * 0.6, safe.y0, safe.x1, safe.y0 + d.brand * 1.5)
    kind = fit(
        chain,
        content.kind.upper(),
        kind_area,
        Style(False, d.brand - 4, max(14, d.brand - 10), 1, align="end"),
    )
    layout = Layout(d, brand, kind)
    y = safe.y0 + d.brand * 1.5 + d.margin * 0.45

    # Area labels: pills, in a row that wraps at most once.
    x = safe.x0
    pill_h = d.pill * 1.9
    rows = 0
    for name, colour in content.areas[:3]:
        style = Style(True, d.pill, max(14, d.pill - 6), 1)
        label = fit(chain, name, Box(0, 0, safe.width - d.pill * 2, pill_h), style)
        width = _block_width(label) + d.pill * 1.4
        if x + width > safe.x1 and x > safe.x0:
            rows += 1
            if rows > 1:
                break
            x, y = safe.x0, y + pill_h + d.pill * 0.5
        box = Box(x, y, min(x + width, safe.x1), y + pill_h)
        label = fit(
            chain,
            name,
            Box(box.x0 + d.pill * 0.7, box.y0 + pill_h * 0.22, box.x1 - d.pill * 0.6, box.y1),
            style,
        )
        layout.pills.append(Pill(box, colour, label))
        x = box.x1 + d.pill * 0.5
    y += pill_h + d.margin * 0.6

    # The figure: beside the title on wide cards, under it on tall ones.
    footer_top = safe.y1 - d.brand * 1.5
    text_right = safe.x1
    if content.impact and d.impact_beside:
        column = Box(safe.x0 + safe.width * 0.66, y, safe.x1, footer_top - d.margin * 0.3)
        text_right = column.x0 - d.margin * 0.6
        _impact(layout, chain, content, column, d)
    place_room = d.place.max_size * d.place.leading * d.place.max_lines + d.margin * 0.3
    title_bottom = footer_top - place_room - d.margin * 0.3
    if content.impact and not d.impact_beside:
        figure_room = (
            d.impact_value.max_size * 1.1
            + d.impact_label.max_size * d.impact_label.leading * 2
            + d.margin * 0.6
        )
        title_bottom -= figure_room
    layout.title = fit(chain, content.title, Box(safe.x0, y, text_right, title_bottom), d.title)
    place_top = layout.title.bottom + d.margin * 0.35
    layout.place = fit(
        chain, content.place, Box(safe.x0, place_top, text_right, place_top + place_room), d.place
    )
    if content.impact and not d.impact_beside:
        top = layout.place.bottom + d.margin * 0.6
        _impact(layout, chain, content, Box(safe.x0, top, safe.x1, footer_top), d)
    layout.host = fit(
        chain,
        content.site_host,
        Box(safe.x0, footer_top + d.brand * 0.3, safe.x1, safe.y1),
        Style(False, d.brand - 4, max(14, d.brand - 10), 1),
    )
    if d.height > d.width:
        _centre(layout, footer_top - d.margin * 0.6)
    return layout


def _centre(layout: Layout, limit: float) -> None:
    """Tall cards: move the story's block (pills to figure) down into the middle of the
    free height, so a short title does not leave the lower half empty."""
    body = [
        b
        for b in (layout.title, layout.place, layout.impact_value, layout.impact_label)
        if b is not None and b.runs
    ]
    if not body:
        return
    bottom = max(r.box.y1 for b in body for r in b.runs)
    dy = max(0.0, (limit - bottom) / 2)
    if dy < 1:
        return
    layout.pills = [Pill(_moved(p.box, dy), p.colour, _shift(p.label, dy)) for p in layout.pills]
    for name in ("title", "place", "impact_value", "impact_label"):
        block = getattr(layout, name)
        if block is not None:
            setattr(layout, name, _shift(block, dy))


def _moved(box: Box, dy: float) -> Box:
    return Box(box.x0, box.y0 + dy, box.x1, box.y1 + dy)


def _shift(block: Block, dy: float) -> Block:
    runs = tuple(replace(r, baseline=r.baseline + dy, box=_moved(r.box, dy)) for r in block.runs)
    return replace(block, runs=runs, bottom=block.bottom + dy)


def _impact(layout: Layout, chain: FontChain, content: Content, area: Box, d: Design) -> None:
    value, label = content.impact
    value_height = d.impact_value.max_size * 1.15
    layout.impact_value = fit(
        chain, value, Box(area.x0, area.y0, area.x1, area.y0 + value_height), d.impact_value
    )
    top = layout.impact_value.bottom + d.margin * 0.2
    layout.impact_label = fit(chain, label, Box(area.x0, top, area.x1, area.y1), d.impact_label)


def _block_width(block: Block) -> float:
    if not block.runs:
        return 0
    return max(r.box.x1 for r in block.runs) - min(r.box.x0 for r in block.runs)
