"""The pages' charts, drawn here as inline SVG (no JavaScript, no internet): bars around zero (:func:`bars_svg`),
lines over months (:func:`lines_svg`, :func:`path_segments`) and the products' movers (:func:`movers_svg`), with
presentation attributes only, so the page's CSP allows them."""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from vnindustry.periods import parse_month
from vnindustry.publish.wording import month_name
from vnindustry.web.pages.figures import num, pct


def _label(period: str, lang: str) -> str:
    key = parse_month(period)
    return month_name(period, lang) if key is not None else period


def _tick_month(period: str, lang: str) -> str:
    """A month on an axis: "1/2025" (vi), "Jan 2025" (en) — never the ISO code of the data files."""
    key = parse_month(period)
    if key is None:
        return period
    return f"{key % 12 + 1}/{key // 12}" if lang == "vi" else f"{month_name(period, 'en')[:3]} {key // 12}"


CHAR_W = 6.4  # width of one character of an 11 px label (system sans-serif), generous so nothing is clipped


def _text_width(text: str, size: float = 11.0) -> float:
    return len(text) * CHAR_W * size / 11.0


def bars_svg(points: list[tuple[str, float]], lang: str, *, title: str, decimals: int = 1,
             width: int = 300, height: int = 80, unit: str = "") -> Markup:
    """Bars around zero, one per period (missing values leave a gap); each bar carries its value as a
    tooltip. The value axis is labelled at its top, zero and bottom, with ``unit`` above it ("%", "tỷ USD");
    the first and last months are written under the bars. Presentation attributes only (no style
    attribute), so the page's CSP allows it."""
    values = [v for _, v in points if not math.isnan(v)]
    if not values:
        return Markup("")
    top, bottom = max(max(values), 0.0), min(min(values), 0.0)
    ticks = sorted({top, bottom, 0.0}, reverse=True)
    labels = [num(v, decimals, lang) for v in ticks]
    left = max(_text_width(x, 10) for x in labels) + 6  # room for the widest tick label: never clipped
    head, foot = (14 if unit else 4), 14
    full = height + head + foot
    span = (top - bottom) or 1.0
    scale = (height - 4) / span
    zero = head + 2 + top * scale
    step = (width - left) / max(len(points), 1)
    parts = [f'<svg class="chart bars" viewBox="0 0 {width} {full}" width="{width}" height="{full}" '
             f'role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    if unit:
        parts.append(f'<text class="unit" x="0" y="10" font-size="10">{escape(unit)}</text>')
    for v, text in zip(ticks, labels, strict=True):
        y = head + 2 + (top - v) * scale
        parts.append(f'<text class="tick" x="{left - 4:.1f}" y="{y + 3.5:.1f}" text-anchor="end" font-size="10">'
                     f"{escape(text)}</text>")
    for i, (period, v) in enumerate(points):
        if math.isnan(v):
            continue
        h = max(abs(v) * scale, 1.0)
        y = zero - h if v >= 0 else zero
        cls = "pos" if v >= 0 else "neg"
        last = " last" if i == len(points) - 1 else ""
        parts.append(f'<rect class="bar {cls}{last}" x="{left + i * step + 0.5:.1f}" y="{y:.1f}" '
                     f'width="{max(step - 1.0, 1.0):.1f}" height="{h:.1f}" data-period="{period}">'
                     f"<title>{escape(_label(period, lang))}: {escape(num(v, decimals, lang))}"
                     f"{escape(' ' + unit if unit and unit != '%' else unit)}</title></rect>")
    parts.append(f'<line class="axis" x1="{left:.1f}" x2="{width}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#888" '
                 'stroke-width="0.5"/>')
    first, last_p = points[0][0], points[-1][0]
    parts.append(f'<text class="tick" x="{left:.1f}" y="{full - 2}" font-size="10">'
                 f"{escape(_tick_month(first, lang))}</text>")
    if last_p != first:
        parts.append(f'<text class="tick" x="{width}" y="{full - 2}" text-anchor="end" font-size="10">'
                     f"{escape(_tick_month(last_p, lang))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def path_segments(points: list[tuple[str, float]], x_of: dict[str, float], y: Any) -> list[str]:
    """The SVG path commands through ``points`` (period, value) in period order, the pen lifted over a missing
    value (so a gap shows as a gap); ``x_of`` places a period, ``y`` a value."""
    d, pen = [], "M"
    for p, v in sorted(points):
        if math.isnan(v):
            pen = "M"
            continue
        d.append(f"{pen}{x_of[p]:.1f},{y(v):.1f}")
        pen = "L"
    return d


def lines_svg(series: list[tuple[str, list[tuple[str, float]]]], lang: str, *, title: str, width: int = 720,
              height: int = 260, unit: str = "", decimals: int = 1) -> Markup:
    """One path per series over the union of their periods, with min/max labels, ``unit`` above the value
    axis and the first/last month under it (labels sized to fit: the value axis is as wide as its longest
    label, and the chart keeps its proportions, so no text is clipped or stretched)."""
    periods = sorted({p for _, pts in series for p, v in pts if not math.isnan(v)})
    values = [v for _, pts in series for _, v in pts if not math.isnan(v)]
    if not periods or not values:
        return Markup("")
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1.0, hi + 1.0
    tick_text = {v: num(v, decimals, lang) for v in (hi, lo)}
    left = max(_text_width(x) for x in tick_text.values()) + 10
    right, top, bottom = 8, (20 if unit else 8), 22
    x_of = {p: left + (width - left - right) * (i / max(len(periods) - 1, 1)) for i, p in enumerate(periods)}

    def y(v: float) -> float:
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    parts = [f'<svg class="chart lines" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    if unit:
        parts.append(f'<text class="unit" x="2" y="12" font-size="11">{escape(unit)}</text>')
    for v in (hi, lo):
        parts.append(f'<line class="grid" x1="{left:.1f}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     'stroke="#ccc" stroke-width="0.5"/>')
        parts.append(f'<text class="tick" x="{left - 4:.1f}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{escape(tick_text[v])}</text>")
    for p, anchor in ((periods[0], "start"), (periods[-1], "end"))[:1 if len(periods) == 1 else 2]:
        parts.append(f'<text class="tick" x="{x_of[p]:.1f}" y="{height - 6}" text-anchor="{anchor}" '
                     f'font-size="11">{escape(_tick_month(p, lang))}</text>')
    for n, (name, pts) in enumerate(series):
        d = path_segments(pts, x_of, y)
        if d:
            parts.append(f'<path class="series s{n}" d="{" ".join(d)}" fill="none" stroke-width="2">'
                         f"<title>{escape(name)}</title></path>")
        for i, seg in enumerate(d):  # a lone point (one month, or between gaps) has no line: mark it
            alone = seg.startswith("M") and (i + 1 == len(d) or d[i + 1].startswith("M"))
            if alone:
                cx, cy = seg[1:].split(",")
                parts.append(f'<circle class="series s{n}" cx="{cx}" cy="{cy}" r="3">'
                             f"<title>{escape(name)}</title></circle>")
    parts.append("</svg>")
    return Markup("".join(parts))


def movers_svg(items: list[tuple[str, float]], lang: str, *, title: str, width: int = 640, unit: str = "%") -> Markup:
    """Horizontal bars (one per named item, around zero) with the name and value as text; the name column is
    as wide as the longest name (up to 60 characters), so names are not cut, and ``unit`` heads the values."""
    items = [(n, v) for n, v in items if not math.isnan(v)]
    if not items:
        return Markup("")
    shorts = [n if len(n) <= 60 else n[:59] + "…" for n, _ in items]
    row, value_w, head = 18, 60, (16 if unit else 2)
    label_w = max(_text_width(x) for x in shorts) + 10
    plot = max(width - 220 - value_w, 200)
    width = int(label_w + plot + value_w)
    height = head + row * len(items) + 4
    lo, hi = min(min(v for _, v in items), 0.0), max(max(v for _, v in items), 0.0)
    span = (hi - lo) or 1.0
    zero = label_w + plot * (-lo / span)
    parts = [f'<svg class="chart movers" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}">', f"<title>{escape(title)}</title>"]
    if unit:
        parts.append(f'<text class="unit" x="{width - 2}" y="11" text-anchor="end" font-size="11">'
                     f"{escape(unit)}</text>")
    for i, ((name, v), short) in enumerate(zip(items, shorts, strict=True)):
        y = head + i * row
        w = max(abs(v) / span * plot, 1.0)
        x = zero if v >= 0 else zero - w
        parts.append(f'<text class="tick" x="{label_w - 6:.1f}" y="{y + 12}" text-anchor="end" font-size="11">'
                     f"{escape(short)}</text>")
        parts.append(f'<rect class="bar {"pos" if v >= 0 else "neg"}" x="{x:.1f}" y="{y + 2}" width="{w:.1f}" '
                     f'height="{row - 5}"><title>{escape(name)}: {escape(pct(v, lang))}</title></rect>')
        parts.append(f'<text class="tick" x="{width - 2}" y="{y + 12}" text-anchor="end" font-size="11">'
                     f"{escape(pct(v, lang))}</text>")
    parts.append(f'<line class="axis" x1="{zero:.1f}" x2="{zero:.1f}" y1="{head}" y2="{height}" stroke="#888" '
                 'stroke-width="0.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
