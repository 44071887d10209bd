"""The bulletin's charts as SVG written directly, for the HTML bulletin: no matplotlib to load or run.

The same two kinds, drawn as publish/charts.py draws them with matplotlib for the DOCX and PDF (its PNG): the
same size (8 in wide; 3.8 in high over months, 0.42 in a category for a ranking, within 2.6–11 in), colours,
zero line, grid, bar widths, labels (every k-th month counting back from the latest, rotated 45°; long names
wrapped as there), value labels on the ranked bars and tick labels with the language's separators and the
fewest decimals that show every tick. Text is SVG text in DejaVu Sans (the HTML's readers have their own
fonts; a font without Vietnamese letters falls back per letter), sized from DejaVu Sans' advance widths, so
the layout leaves the labels their room. Writing it takes milliseconds; matplotlib took 0.3 s a chart plus
0.6 s to load.
"""

from __future__ import annotations

import math
import textwrap
import unicodedata
from collections.abc import Sequence

from markupsafe import Markup, escape

from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.publish.document import CHART_KINDS, Chart
from vnindustry.publish.numbers import LOCALES, format_number, round_half_up

__all__ = ["period_label", "svg_chart", "text_width", "tick_decimals", "ticks"]

WIDTH_IN = 8.0
PT = 72.0  # SVG user units are points, as in matplotlib's SVG
POSITIVE = "#1f5fa8"
NEGATIVE = "#c0392b"
AXIS = "#333333"
GRID = "#d9d9d9"
MAX_HEIGHT_IN = 11.0
MAX_PERIOD_LABELS = 13
FONT = 9.0  # pt, matplotlib's font.size in publish/charts.py
TICK = 3.5  # tick length, pt
PAD = 3.5  # tick to label, pt
EDGE = 4.0  # figure edge to the outermost text, pt
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Advance widths of DejaVu Sans (publish/fonts/DejaVuSans.ttf, hmtx), in thousandths of an em: printable ASCII,
# then "đĐ–—…". A Vietnamese letter is as wide as its base letter (NFD); anything else counts as 0.6 em.
_GLYPHS = "".join(chr(c) for c in range(32, 127)) + "đĐ–—…"
_WIDTHS = dict(zip(_GLYPHS, (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838, 635, 775, 500, 1000, 1000), strict=True))


def text_width(text: str, size: float) -> float:
    """The width of ``text`` set in DejaVu Sans at ``size`` pt, in pt."""
    total = 0
    for ch in text:
        base = _WIDTHS.get(ch)
        if base is None:
            first = unicodedata.normalize("NFD", ch)[:1]
            base = _WIDTHS.get(first, 0 if unicodedata.combining(ch) else 600)
        total += base
    return total * size / 1000.0


def period_label(label: str, lang: str) -> str:
    """ "2025-03" → "3/2025" (vi) / "Mar 2025" (en); a label that is not a month stays as it is."""
    key = parse_month(label)
    if key is None:
        return label
    month, year = month_of(key), year_of(key)
    return f"{month}/{year}" if lang == "vi" else f"{_MONTHS_EN[month - 1]} {year}"


def tick_decimals(values: Sequence[float]) -> int:
    """The fewest decimals (0–2) that show every tick exactly, so an axis reads 0, 2, 4 or 0,5, 1,0, 1,5."""
    for decimals in range(3):
        if all(abs(round_half_up(t, decimals) - t) < 1e-9 for t in values):
            return decimals
    return 2


def ticks(low: float, high: float, most: int) -> list[float]:
    """At most ``most`` + 1 round ticks (steps 1, 2, 2.5, 5 × 10ⁿ, as matplotlib's default locator) within
    [``low``, ``high``]."""
    if not high > low:
        return [low]
    raw = (high - low) / max(1, most)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(s * magnitude for s in (1.0, 2.0, 2.5, 5.0, 10.0) if s * magnitude >= raw * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 10) + 0.0 for k in range(first, last + 1)]


def _values(chart: Chart) -> list[float]:
    return [math.nan if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in chart.values]


def _n(x: float) -> str:
    """A coordinate, to 0.01 pt."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, size: float = FONT, anchor: str = "middle", rotate: float = 0,
          baseline: str = "central") -> str:
    turn = f' transform="rotate({_n(rotate)} {_n(x)} {_n(y)})"' if rotate else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}"{turn}>{escape(text)}</text>')


def _lines(x: float, y: float, lines: list[str], size: float, anchor: str = "end") -> str:
    """Lines of one label, centred on ``y``."""
    step = size * 1.2
    top = y - step * (len(lines) - 1) / 2
    return "".join(_text(x, top + i * step, line, size=size, anchor=anchor) for i, line in enumerate(lines))


def _frame(width: float, height: float, body: list[str], prefix: str, label: str) -> Markup:
    head = (f'<svg viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}pt" height="{_n(height)}pt" '
            f'role="img" aria-labelledby="{prefix}title" font-family="DejaVu Sans, Verdana, sans-serif" '
            f'fill="{AXIS}"><title id="{prefix}title">{escape(label)}</title>'
            f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>')
    return Markup(head + "".join(body) + "</svg>")


def svg_chart(chart: Chart, lang: str, prefix: str = "chart-") -> Markup:
    """``chart`` in ``lang`` as an ``<svg>`` element for an HTML page; ``prefix`` makes its ids unique there."""
    if lang not in LOCALES:
        raise ValueError(f"unknown chart language {lang!r}; use one of {', '.join(LOCALES)}")
    if chart.kind not in CHART_KINDS:
        raise ValueError(f"chart {chart.title!r}: unknown kind {chart.kind!r}; use one of {', '.join(CHART_KINDS)}")
    if len(chart.labels) != len(chart.values):
        raise ValueError(f"chart {chart.title!r}: {len(chart.labels)} labels for {len(chart.values)} values")
    draw = _bar_periods if chart.kind == "bar_periods" else _barh
    return draw(chart, lang, prefix)


def _bar_periods(chart: Chart, lang: str, prefix: str) -> Markup:
    values = _values(chart)
    n = len(values)
    width, height = WIDTH_IN * PT, 3.8 * PT
    finite = [v for v in values if not math.isnan(v)]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    span = (high - low) or 1.0
    low, high = (low - 0.05 * span if low < 0 else low), (high + 0.05 * span if high > 0 else high)
    if high == low:
        high = low + 1.0
    marks = ticks(low, high, 6)
    decimals = tick_decimals(marks)
    tick_texts = [format_number(t + 0.0, decimals, lang) for t in marks]
    step = max(1, math.ceil(n / MAX_PERIOD_LABELS))
    shown = [x for x in range(n) if (n - 1 - x) % step == 0]
    x_texts = [period_label(chart.labels[x], lang) for x in shown]
    # Room: the unit and the tick labels on the left, the month labels (45°) below.
    left = EDGE + (FONT * 1.2 + PAD if chart.unit else 0) + max(text_width(t, FONT) for t in tick_texts) + PAD + TICK
    longest = max((text_width(t, FONT) for t in x_texts), default=0.0)
    bottom = EDGE + TICK + PAD + (longest + FONT) * math.sqrt(0.5)
    top, right = EDGE + FONT / 2, EDGE + FONT
    plot_w, plot_h = width - left - right, height - top - bottom
    x0, x1 = -0.6, max(n, 1) - 0.4

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return top + (high - y) / (high - low) * plot_h

    body = [f'<g stroke="{GRID}" stroke-width="0.6">'
            + "".join(f'<line x1="{_n(left)}" x2="{_n(left + plot_w)}" y1="{_n(py(t))}" y2="{_n(py(t))}"/>'
                      for t in marks) + "</g>"]
    for x, v in enumerate(values):
        if math.isnan(v):
            continue
        top_y, base_y = py(max(v, 0.0)), py(min(v, 0.0))
        body.append(f'<rect x="{_n(px(x - 0.35))}" y="{_n(top_y)}" width="{_n(px(x + 0.35) - px(x - 0.35))}" '
                    f'height="{_n(base_y - top_y)}" fill="{NEGATIVE if v < 0 else POSITIVE}"><title>'
                    f'{escape(period_label(chart.labels[x], lang))}: {escape(format_number(v, 1, lang))}'
                    "</title></rect>")
    body.append(f'<line x1="{_n(left)}" x2="{_n(left + plot_w)}" y1="{_n(py(0))}" y2="{_n(py(0))}" '
                f'stroke="{AXIS}" stroke-width="0.8"/>')
    body.append(_axes(left, top, plot_w, plot_h))
    for t, text in zip(marks, tick_texts, strict=True):
        body.append(_tick(left, py(t), horizontal=False) + _text(left - TICK - PAD, py(t), text, anchor="end"))
    for x, text in zip(shown, x_texts, strict=True):
        y = top + plot_h
        body.append(_tick(px(x), y, horizontal=True)
                    + _text(px(x), y + TICK + PAD, text, anchor="end", rotate=-45, baseline="hanging"))
    if chart.unit:
        body.append(_text(EDGE + FONT * 0.6, top + plot_h / 2, chart.unit, rotate=-90))
    return _frame(width, height, body, prefix, chart.alt or chart.title)


def _barh(chart: Chart, lang: str, prefix: str) -> Markup:
    values = _values(chart)
    n = len(values)
    width = WIDTH_IN * PT
    height = min(MAX_HEIGHT_IN, max(2.6, 0.42 * n + 1.3)) * PT
    crowded = n > 20
    wrap, max_lines, size = (60, 2, 7.5) if crowded else (40, 3, FONT)
    names = [textwrap.wrap(name, wrap, max_lines=max_lines, placeholder=" …") or [""] for name in chart.labels]
    finite = [v for v in values if not math.isnan(v)]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    pad = 0.15 * ((high - low) or 1.0)
    low, high = low - (pad if low < 0 else 0), high + (pad if high > 0 or low == 0 else 0)
    marks = ticks(low, high, 8)
    decimals = tick_decimals(marks)
    tick_texts = [format_number(t + 0.0, decimals, lang) for t in marks]
    left = EDGE + max((text_width(line, size) for lines in names for line in lines), default=0.0) + PAD + TICK
    bottom = EDGE + TICK + PAD + FONT * 1.2 + (FONT * 1.2 + PAD if chart.unit else 0)
    top, right = EDGE, EDGE + text_width(tick_texts[-1], FONT) / 2
    plot_w, plot_h = width - left - right, height - top - bottom
    y0, y1 = -0.325 - 0.05 * (n - 0.35), n - 1 + 0.325 + 0.05 * (n - 0.35)  # bars' extent with 5% margins

    def px(x: float) -> float:
        return left + (x - low) / (high - low) * plot_w

    def py(y: float) -> float:  # the first category at the top
        return top + (y - y0) / (y1 - y0) * plot_h

    body = [f'<g stroke="{GRID}" stroke-width="0.6">'
            + "".join(f'<line x1="{_n(px(t))}" x2="{_n(px(t))}" y1="{_n(top)}" y2="{_n(top + plot_h)}"/>'
                      for t in marks) + "</g>"]
    for y, v in enumerate(values):
        h = 0.0 if math.isnan(v) else v
        a, b = px(min(h, 0.0)), px(max(h, 0.0))
        body.append(f'<rect x="{_n(a)}" y="{_n(py(y - 0.325))}" width="{_n(b - a)}" '
                    f'height="{_n(py(y + 0.325) - py(y - 0.325))}" fill="{NEGATIVE if h < 0 else POSITIVE}"/>')
        if not math.isnan(v):
            body.append(_text(b + 3 if h >= 0 else a - 3, py(y), format_number(v, 1, lang), size=8,
                              anchor="start" if h >= 0 else "end"))
    body.append(f'<line x1="{_n(px(0))}" x2="{_n(px(0))}" y1="{_n(top)}" y2="{_n(top + plot_h)}" '
                f'stroke="{AXIS}" stroke-width="0.8"/>')
    body.append(_axes(left, top, plot_w, plot_h))
    for y, lines in enumerate(names):
        body.append(_tick(left, py(y), horizontal=False) + _lines(left - TICK - PAD, py(y), lines, size))
    for t, text in zip(marks, tick_texts, strict=True):
        body.append(_tick(px(t), top + plot_h, horizontal=True)
                    + _text(px(t), top + plot_h + TICK + PAD, text, baseline="hanging"))
    if chart.unit:
        body.append(_text(left + plot_w / 2, top + plot_h + TICK + PAD + FONT * 1.2 + PAD, chart.unit,
                          baseline="hanging"))
    return _frame(width, height, body, prefix, chart.alt or chart.title)


def _axes(left: float, top: float, plot_w: float, plot_h: float) -> str:
    """The left and bottom spines (the top and right ones are not drawn, as in publish/charts.py)."""
    bottom = top + plot_h
    return (f'<path d="M{_n(left)} {_n(top)}V{_n(bottom)}H{_n(left + plot_w)}" fill="none" stroke="{AXIS}" '
            'stroke-width="0.8"/>')


def _tick(x: float, y: float, *, horizontal: bool) -> str:
    """A tick mark outside the axis at (``x``, ``y``): down from the bottom spine, left of the left one."""
    end = f'x2="{_n(x)}" y2="{_n(y + TICK)}"' if horizontal else f'x2="{_n(x - TICK)}" y2="{_n(y)}"'
    return f'<line x1="{_n(x)}" y1="{_n(y)}" {end} stroke="{AXIS}" stroke-width="0.8"/>'
