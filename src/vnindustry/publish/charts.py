"""The bulletin's charts drawn with matplotlib, PNG or SVG: the drawing publish/chart_layout.py follows. The
bulletin writers no longer call it — the HTML's SVG (publish/svg_chart.py) and the DOCX's and PDF's PNG
(publish/png_chart.py) are drawn from chart_layout's shapes, without matplotlib's start-up and drawing time.

No pyplot: each chart is its own ``Figure`` rendered by the Agg/SVG canvases, so nothing needs a
display and no global figure state leaks between calls. Output is reproducible: fixed size and dpi,
a fixed ``svg.hashsalt`` (matplotlib otherwise draws random ids) and no date/software metadata. Text is
set in DejaVu Sans, which matplotlib ships and which covers every Vietnamese letter.
"""

from __future__ import annotations

import io
import math
import struct
import textwrap
import threading
from collections.abc import Sequence
from typing import Literal

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from vnindustry.publish.document import CHART_KINDS, Chart
from vnindustry.publish.numbers import LOCALES, format_number
from vnindustry.publish.svg_chart import period_label, tick_decimals

ChartFormat = Literal["png", "svg"]

WIDTH_IN = 8.0  # fits an A4 text column (16 cm) at full width
DPI = 150  # print quality for DOCX/PDF without bloating them
POSITIVE = "#1f5fa8"
NEGATIVE = "#c0392b"
AXIS = "#333333"
GRID = "#d9d9d9"
MAX_HEIGHT_IN = 11.0  # a ranked bar chart stays within an A4 page at full text width
MAX_PERIOD_LABELS = 13  # beyond this the month labels overlap; label every k-th month instead

_LOCK = threading.Lock()

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "vnindustry",  # deterministic clip-path and glyph ids
    "svg.fonttype": "path",  # glyphs as paths: the SVG renders the same without the font installed
    "axes.unicode_minus": False,  # tick labels come from format_number, which uses "-" like the tables
}


def render_chart(chart: Chart, lang: str, fmt: ChartFormat) -> bytes:
    """Draw ``chart`` in ``lang`` ("vi"/"en") as PNG or SVG bytes.

    Kinds: "bar_periods" (vertical bars over months, e.g. IIP % change over 25 months) and "barh"
    (horizontal bars over categories in the given order, first at the top, with value labels).
    Missing values (None/NaN) draw no bar.
    """
    if lang not in LOCALES:
        raise ValueError(f"unknown chart language {lang!r}; use one of {', '.join(LOCALES)}")
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown chart format {fmt!r}; use 'png' or 'svg'")
    if chart.kind not in CHART_KINDS:
        raise ValueError(f"chart {chart.title!r}: unknown kind {chart.kind!r}; use one of {', '.join(CHART_KINDS)}")
    if len(chart.labels) != len(chart.values):
        raise ValueError(f"chart {chart.title!r}: {len(chart.labels)} labels for {len(chart.values)} values")

    # rc_context changes matplotlib's global rcParams: one chart at a time, so threads (a web server)
    # never see each other's settings.
    with _LOCK, matplotlib.rc_context(_RC):
        # The rc context must cover savefig too: the SVG writer reads svg.* at save time.
        fig = _bar_periods(chart, lang) if chart.kind == "bar_periods" else _barh(chart, lang)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, read from its header, so writers can fit it to the page."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    return width, height


def _values(chart: Chart) -> list[float]:
    """Values as floats with NaN for missing, so matplotlib leaves a gap."""
    return [math.nan if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in chart.values]


def _colours(values: Sequence[float]) -> list[str]:
    return [NEGATIVE if v < 0 else POSITIVE for v in values]


class NumberFormatter(Formatter):
    """Tick labels with the language's separators ("2,5" in vi) and the same decimals along the axis.

    The decimals are chosen in ``set_locs``, which matplotlib calls with the final ticks at draw time
    (after the layout has settled how many ticks fit), not from ticks guessed before drawing.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.decimals = 1

    def set_locs(self, locs: Sequence[float]) -> None:
        self.decimals = tick_decimals(list(locs))

    def __call__(self, x: float, pos: int | None = None) -> str:
        # +0.0 turns -0.0 into 0.0 so the zero tick never reads "-0".
        return format_number(x + 0.0, self.decimals, self.lang)


def _plain_axes(ax: matplotlib.axes.Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)


def _bar_periods(chart: Chart, lang: str) -> Figure:
    values = _values(chart)
    n = len(values)
    fig = Figure(figsize=(WIDTH_IN, 3.8), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    _plain_axes(ax)
    # No title drawn in the image: every format prints the chart's numbered caption under it, once.
    xs = list(range(n))
    shown = [(x, v) for x, v in zip(xs, values, strict=True) if not math.isnan(v)]
    if shown:
        ax.bar([x for x, _ in shown], [v for _, v in shown], width=0.7, color=_colours([v for _, v in shown]))
    ax.axhline(0, color=AXIS, linewidth=0.8)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    # Label every k-th month counting back from the latest, so the newest month is always labelled.
    step = max(1, math.ceil(n / MAX_PERIOD_LABELS))
    ticks = [x for x in xs if (n - 1 - x) % step == 0]
    ax.set_xticks(ticks, [period_label(chart.labels[x], lang) for x in ticks], rotation=45, ha="right",
                  rotation_mode="anchor")
    ax.set_xlim(-0.6, max(n, 1) - 0.4)
    if chart.unit:
        ax.set_ylabel(chart.unit)
    ax.yaxis.set_major_formatter(NumberFormatter(lang))
    return fig


def _barh(chart: Chart, lang: str) -> Figure:
    values = _values(chart)
    n = len(values)
    # Height grows with the number of categories so long rankings stay legible, up to a page; past
    # about 20 categories the labels get smaller instead.
    fig = Figure(figsize=(WIDTH_IN, min(MAX_HEIGHT_IN, max(2.6, 0.42 * n + 1.3))), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    _plain_axes(ax)
    ys = list(range(n))
    heights = [0.0 if math.isnan(v) else v for v in values]
    bars = ax.barh(ys, heights, height=0.65, color=_colours(heights))
    texts = ["" if math.isnan(v) else format_number(v, 1, lang) for v in values]
    ax.bar_label(bars, labels=texts, padding=3, fontsize=8)
    # Long industry names wrap; a crowded chart wraps wider and cuts at two lines so labels never overlap.
    crowded = n > 20
    width, max_lines = (60, 2) if crowded else (40, 3)
    names = ["\n".join(textwrap.wrap(name, width, max_lines=max_lines, placeholder=" …")) for name in chart.labels]
    ax.set_yticks(ys, names, fontsize=7.5 if crowded else 9)
    ax.invert_yaxis()  # first category at the top, as ranked
    ax.axvline(0, color=AXIS, linewidth=0.8)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    # Room beyond the longest bars for their value labels.
    finite = [v for v in values if not math.isnan(v)]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    pad = 0.15 * ((high - low) or 1.0)
    ax.set_xlim(low - (pad if low < 0 else 0), high + (pad if high > 0 or low == 0 else 0))
    if chart.unit:
        ax.set_xlabel(chart.unit)
    ax.xaxis.set_major_formatter(NumberFormatter(lang))
    return fig
