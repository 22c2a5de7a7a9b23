"""Small SVG charts drawn at build time: bars, paired bars, sparklines.

Every chart is an <svg role="img"> with a <title> and a <desc>; the page also
gives each chart's numbers as a table. Text is escaped; colours come from the
areas file. No JavaScript, nothing fetched."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""


def _svg(
    width: int,
    height: int,
    ident: str,
    title: str,
    desc: str,
    body: list[str],
    css: str = "ogp-chart",
) -> Markup:
    head = (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg" '
        f"{FONT}>"
    )
    parts = [
        head,
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    return Markup("".join(parts))


def column_series(
    ident: str,
    title: str,
    desc: str,
    values: Sequence[int],
    labels: Sequence[str],
    colour: str,
    height: int = 120,
    width: int = 320,
) -> Markup:
    """One series as columns, one per label (a month): <rect class="ogp-bar">."""
    top = max(values, default=0) or 1
    pad_left, pad_bottom = 28, 18
    plot_w, plot_h = width - pad_left - 4, height - pad_bottom - 8
    step = plot_w / max(1, len(values))
    body = [
        f'<line x1="{pad_left}" y1="{8 + plot_h}" x2="{width - 4}" y2="{8 + plot_h}" '
        f'stroke="#767676" stroke-width="1"/>',
        f'<text x="{pad_left - 4}" y="14" font-size="11" text-anchor="end" '
        f'fill="#333">{top}</text>',
        f'<text x="{pad_left - 4}" y="{8 + plot_h}" font-size="11" text-anchor="end" '
        f'fill="#333">0</text>',
    ]
    body.append(f'<g class="ogp-series" data-series="{escape(ident)}" fill="{escape(colour)}">')
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = plot_h * value / top
        body.append(
            f'<rect class="ogp-bar" x="{pad_left + i * step:.2f}" '
            f'y="{8 + plot_h - h:.2f}" width="{max(0.6, step * 0.8):.2f}" '
            f'height="{h:.2f}" data-value="{value}"><title>{escape(label)}: {value}'
            f"</title></rect>"
        )
    body.append("</g>")
    if labels:
        body.append(
            f'<text x="{pad_left}" y="{height - 3}" font-size="11" fill="#333">'
            f"{escape(labels[0])}</text>"
        )
        body.append(
            f'<text x="{width - 4}" y="{height - 3}" font-size="11" '
            f'text-anchor="end" fill="#333">{escape(labels[-1])}</text>'
        )
    return _svg(width, height, ident, title, desc, body)


def bars(
    ident: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float, str]],
    unit: str = "",
    width: int = 480,
) -> Markup:
    """Horizontal bars, one per row of (label, value, colour)."""
    bar_h, gap, label_w = 22, 10, 200
    height = max(1, len(rows)) * (bar_h + gap) + 6
    top = max((v for _, v, _ in rows), default=0) or 1
    plot_w = width - label_w - 60
    body = ['<g class="ogp-series" data-series="values">']
    for i, (label, value, colour) in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        w = plot_w * value / top
        body.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.72:.1f}" font-size="15" '
            f'text-anchor="end" fill="#222">{escape(_short(label))}</text>'
        )
        body.append(
            f'<rect class="ogp-bar" x="{label_w}" y="{y}" width="{max(w, 1):.2f}" '
            f'height="{bar_h}" fill="{escape(colour)}" data-value="{value:g}">'
            f"<title>{escape(label)}: {value:g}{escape(unit)}</title></rect>"
        )
        body.append(
            f'<text x="{label_w + w + 6:.2f}" y="{y + bar_h * 0.72:.1f}" '
            f'font-size="15" fill="#222">{value:g}{escape(unit)}</text>'
        )
    body.append("</g>")
    return _svg(width, height, ident, title, desc, body)


def paired_bars(
    ident: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float, float, str]],
    width: int = 480,
) -> Markup:
    """Two bars per row (before: light, now: in the row's colour), with the change."""
    pair_h, gap, label_w = 34, 14, 200
    height = max(1, len(rows)) * (pair_h + gap) + 6
    top = max((max(a, b) for _, a, b, _ in rows), default=0) or 1
    plot_w = width - label_w - 70
    before = ['<g class="ogp-series" data-series="previous" fill="#8a8a8a">']
    after = ['<g class="ogp-series" data-series="last">']
    labels = []
    for i, (label, old, new, colour) in enumerate(rows):
        y = 4 + i * (pair_h + gap)
        change = new - old
        arrow = "▲" if change > 0 else ("▼" if change < 0 else "=")
        labels.append(
            f'<text x="{label_w - 8}" y="{y + pair_h * 0.62:.1f}" font-size="15" '
            f'text-anchor="end" fill="#222">{escape(_short(label))}</text>'
        )
        labels.append(
            f'<text x="{label_w + plot_w * max(old, new) / top + 6:.2f}" '
            f'y="{y + pair_h * 0.62:.1f}" font-size="14" fill="#222">{arrow} '
            f"{change:+.1f}</text>"
        )
        before.append(
            f'<rect class="ogp-bar" x="{label_w}" y="{y}" '
            f'width="{max(plot_w * old / top, 1):.2f}" height="{pair_h / 2 - 1}" '
            f'data-value="{old:.1f}"><title>{escape(label)}, previous 12 months: '
            f"{old:.1f}%</title></rect>"
        )
        after.append(
            f'<rect class="ogp-bar" x="{label_w}" y="{y + pair_h / 2}" '
            f'width="{max(plot_w * new / top, 1):.2f}" height="{pair_h / 2 - 1}" '
            f'fill="{escape(colour)}" data-value="{new:.1f}"><title>{escape(label)}, '
            f"last 12 months: {new:.1f}%</title></rect>"
        )
    body = [*before, "</g>", *after, "</g>", *labels]
    return _svg(width, height, ident, title, desc, body)


def sparkline(
    ident: str, title: str, values: Sequence[int], colour: str, width: int = 240, height: int = 48
) -> Markup:
    top = max(values, default=0) or 1
    n = max(1, len(values) - 1)
    points = " ".join(
        f"{2 + (width - 4) * i / n:.1f},{height - 3 - (height - 8) * v / top:.1f}"
        for i, v in enumerate(values)
    )
    body = [
        f'<polyline class="ogp-series" data-series="{escape(ident)}" fill="none" '
        f'stroke="{escape(colour)}" stroke-width="2" points="{points}"/>'
    ]
    return _svg(width, height, ident, title, title, body, css="ogp-sparkline")


def _short(label: str, limit: int = 23) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
