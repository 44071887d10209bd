"""The bulletin's charts as SVG written directly, for the HTML bulletin: no matplotlib to load or run.

The shapes are :func:`vnindustry.publish.chart_layout.layout_chart`'s (the same chart as the DOCX's and PDF's
PNG, publish/png_chart.py); here they become SVG elements in points. Text is SVG text in DejaVu Sans (the
HTML's readers have their own fonts; a font without Vietnamese letters falls back per letter), and each bar over
months carries its month and value as a tooltip. Writing it takes milliseconds.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from vnindustry.publish.chart_layout import (
    AXIS,
    AXIS_WIDTH,
    GRID,
    GRID_WIDTH,
    Bar,
    ChartLayout,
    Grid,
    Label,
    Rule,
    Shape,
    Spines,
    Tick,
    layout_chart,
    period_label,
    text_width,
    tick_decimals,
    ticks,
)
from vnindustry.publish.document import Chart

__all__ = ["period_label", "svg_chart", "text_width", "tick_decimals", "ticks"]


def svg_chart(chart: Chart, lang: str, prefix: str = "chart-") -> Markup:
    """``chart`` in ``lang`` as an ``<svg>`` element for an HTML page; ``prefix`` makes its ids unique there."""
    return _svg(layout_chart(chart, lang), prefix)


def _n(x: float) -> str:
    """A coordinate, to 0.01 pt."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _svg(layout: ChartLayout, prefix: str) -> Markup:
    width, height = _n(layout.width), _n(layout.height)
    head = (f'<svg viewBox="0 0 {width} {height}" width="{width}pt" height="{height}pt" '
            f'role="img" aria-labelledby="{prefix}title" font-family="DejaVu Sans, Verdana, sans-serif" '
            f'fill="{AXIS}"><title id="{prefix}title">{escape(layout.label)}</title>'
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    return Markup(head + "".join(_element(shape) for shape in layout.shapes) + "</svg>")


def _element(shape: Shape) -> str:
    """One shape as SVG."""
    if isinstance(shape, Label):
        turn = f' transform="rotate({_n(shape.rotate)} {_n(shape.x)} {_n(shape.y)})"' if shape.rotate else ""
        return (f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}" '
                f'text-anchor="{shape.anchor}" dominant-baseline="{shape.baseline}"{turn}>{escape(shape.text)}</text>')
    if isinstance(shape, Tick):
        x2, y2 = shape.end
        return (f'<line x1="{_n(shape.x)}" y1="{_n(shape.y)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{AXIS}" '
                f'stroke-width="{_n(AXIS_WIDTH)}"/>')
    if isinstance(shape, Bar):
        rect = (f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" height="{_n(shape.height)}" '
                f'fill="{shape.fill}"')
        return rect + (f"><title>{escape(shape.tip)}</title></rect>" if shape.tip is not None else "/>")
    if isinstance(shape, Grid):
        return (f'<g stroke="{GRID}" stroke-width="{_n(GRID_WIDTH)}">'
                + "".join(f'<line x1="{_n(x1)}" x2="{_n(x2)}" y1="{_n(y1)}" y2="{_n(y2)}"/>'
                          for x1, x2, y1, y2 in shape.lines) + "</g>")
    if isinstance(shape, Rule):
        return (f'<line x1="{_n(shape.x1)}" x2="{_n(shape.x2)}" y1="{_n(shape.y1)}" y2="{_n(shape.y2)}" '
                f'stroke="{AXIS}" stroke-width="{_n(AXIS_WIDTH)}"/>')
    if isinstance(shape, Spines):
        bottom = shape.top + shape.height
        return (f'<path d="M{_n(shape.left)} {_n(shape.top)}V{_n(bottom)}H{_n(shape.left + shape.width)}" '
                f'fill="none" stroke="{AXIS}" stroke-width="{_n(AXIS_WIDTH)}"/>')
    raise TypeError(f"not a chart shape: {shape!r}")
