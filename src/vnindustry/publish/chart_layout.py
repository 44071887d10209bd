"""The bulletin's charts laid out once, as shapes in points, for the SVG (HTML) and PNG (DOCX, PDF) writers.

Two kinds, as the bulletin first drew them with matplotlib (that drawing was removed in issue 16): bars over
months (IIP change over 25 months) and horizontal bars over categories (industries ranked). The same size (8 in
wide; 3.8 in high over months, 0.42 in a category for a ranking, within 2.6–11 in), colours, zero line, grid, bar
widths, labels (every k-th month counting back from the latest, rotated 45°; long names wrapped), value labels on
the ranked bars and tick labels with the language's separators and the fewest decimals that show every tick. Text
is DejaVu Sans, sized from its advance widths, so the layout leaves the labels their room. :func:`layout_chart`
gives the shapes; publish/svg_chart.py writes them as SVG, publish/png_chart.py draws them as PNG — no matplotlib
to load (0.6 s) or run (0.3 s a chart)."""

from __future__ import annotations

import math
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from vnindustry.periods import month_of, parse_month, year_of
from vnindustry.publish.document import CHART_KINDS, Chart
from vnindustry.publish.numbers import LOCALES, format_number, round_half_up

__all__ = ["Bar", "ChartLayout", "Grid", "Label", "Rule", "Spines", "Tick", "layout_chart", "period_label",
           "text_width", "tick_decimals", "ticks"]

WIDTH_IN = 8.0
PT = 72.0  # coordinates are points, as in matplotlib's SVG
POSITIVE = "#1f5fa8"
NEGATIVE = "#c0392b"
AXIS = "#333333"
GRID = "#d9d9d9"
GRID_WIDTH = 0.6
AXIS_WIDTH = 0.8
MAX_HEIGHT_IN = 11.0
MAX_PERIOD_LABELS = 13
FONT = 9.0  # pt, the matplotlib drawing's font size, kept
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


@dataclass(frozen=True)
class Grid:
    """Grid lines (GRID colour, 0.6 pt), each (x1, x2, y1, y2)."""

    lines: tuple[tuple[float, float, float, float], ...]


@dataclass(frozen=True)
class Bar:
    """A filled bar; ``tip`` the text a reader's pointer shows over it (SVG only)."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    tip: str | None = None


@dataclass(frozen=True)
class Rule:
    """The zero line (AXIS colour, 0.8 pt) from (x1, y1) to (x2, y2)."""

    x1: float
    x2: float
    y1: float
    y2: float


@dataclass(frozen=True)
class Spines:
    """The left and bottom axes of the plot area (the top and right ones are not drawn)."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    """A tick mark outside the axis at (``x``, ``y``): down from the bottom spine or left of the left one."""

    x: float
    y: float
    horizontal: bool

    @property
    def end(self) -> tuple[float, float]:
        return (self.x, self.y + TICK) if self.horizontal else (self.x - TICK, self.y)


@dataclass(frozen=True)
class Label:
    """Text at (``x``, ``y``): ``anchor`` start/middle/end along it, ``baseline`` central (its middle on ``y``)
    or hanging (its top on ``y``), turned by ``rotate`` degrees (negative: counter-clockwise) about (x, y)."""

    x: float
    y: float
    text: str
    size: float = FONT
    anchor: Literal["start", "middle", "end"] = "middle"
    rotate: float = 0.0
    baseline: Literal["central", "hanging"] = "central"


Shape = Grid | Bar | Rule | Spines | Tick | Label


@dataclass(frozen=True)
class ChartLayout:
    """A chart's shapes in drawing order on a white ``width`` × ``height`` pt page; ``label`` names it (alt)."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    label: str


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


def layout_chart(chart: Chart, lang: str) -> ChartLayout:
    """``chart`` in ``lang`` laid out as shapes; ValueError for an unknown language or kind, or labels and values
    of different lengths."""
    if lang not in LOCALES:
        raise ValueError(f"unknown chart language {lang!r}; use one of {', '.join(LOCALES)}")
    if chart.kind not in CHART_KINDS:
        raise ValueError(f"chart {chart.title!r}: unknown kind {chart.kind!r}; use one of {', '.join(CHART_KINDS)}")
    if len(chart.labels) != len(chart.values):
        raise ValueError(f"chart {chart.title!r}: {len(chart.labels)} labels for {len(chart.values)} values")
    return (_bar_periods if chart.kind == "bar_periods" else _barh)(chart, lang)


def _values(chart: Chart) -> list[float]:
    return [math.nan if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in chart.values]


def _lines(x: float, y: float, lines: list[str], size: float) -> list[Label]:
    """Lines of one label ending at ``x``, centred on ``y``."""
    step = size * 1.2
    top = y - step * (len(lines) - 1) / 2
    return [Label(x, top + i * step, line, size=size, anchor="end") for i, line in enumerate(lines)]


def _bar_periods(chart: Chart, lang: str) -> ChartLayout:
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

    shapes: list[Shape] = [Grid(tuple((left, left + plot_w, py(t), py(t)) for t in marks))]
    for x, v in enumerate(values):
        if math.isnan(v):
            continue
        top_y, base_y = py(max(v, 0.0)), py(min(v, 0.0))
        shapes.append(Bar(px(x - 0.35), top_y, px(x + 0.35) - px(x - 0.35), base_y - top_y,
                          NEGATIVE if v < 0 else POSITIVE,
                          f"{period_label(chart.labels[x], lang)}: {format_number(v, 1, lang)}"))
    shapes += [Rule(left, left + plot_w, py(0), py(0)), Spines(left, top, plot_w, plot_h)]
    for t, text in zip(marks, tick_texts, strict=True):
        shapes += [Tick(left, py(t), horizontal=False), Label(left - TICK - PAD, py(t), text, anchor="end")]
    for x, text in zip(shown, x_texts, strict=True):
        y = top + plot_h
        shapes += [Tick(px(x), y, horizontal=True),
                   Label(px(x), y + TICK + PAD, text, anchor="end", rotate=-45, baseline="hanging")]
    if chart.unit:
        shapes.append(Label(EDGE + FONT * 0.6, top + plot_h / 2, chart.unit, rotate=-90))
    return ChartLayout(width, height, tuple(shapes), chart.alt or chart.title)


def _barh(chart: Chart, lang: str) -> ChartLayout:
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

    shapes: list[Shape] = [Grid(tuple((px(t), px(t), top, top + plot_h) for t in marks))]
    for y, v in enumerate(values):
        h = 0.0 if math.isnan(v) else v
        a, b = px(min(h, 0.0)), px(max(h, 0.0))
        shapes.append(Bar(a, py(y - 0.325), b - a, py(y + 0.325) - py(y - 0.325), NEGATIVE if h < 0 else POSITIVE))
        if not math.isnan(v):
            shapes.append(Label(b + 3 if h >= 0 else a - 3, py(y), format_number(v, 1, lang), size=8,
                                anchor="start" if h >= 0 else "end"))
    shapes += [Rule(px(0), px(0), top, top + plot_h), Spines(left, top, plot_w, plot_h)]
    for y, lines in enumerate(names):
        shapes += [Tick(left, py(y), horizontal=False), *_lines(left - TICK - PAD, py(y), lines, size)]
    for t, text in zip(marks, tick_texts, strict=True):
        shapes += [Tick(px(t), top + plot_h, horizontal=True),
                   Label(px(t), top + plot_h + TICK + PAD, text, baseline="hanging")]
    if chart.unit:
        shapes.append(Label(left + plot_w / 2, top + plot_h + TICK + PAD + FONT * 1.2 + PAD, chart.unit,
                            baseline="hanging"))
    return ChartLayout(width, height, tuple(shapes), chart.alt or chart.title)
