"""The bulletin's charts as PNG for the DOCX and PDF, drawn with Pillow from the shapes of
:func:`vnindustry.publish.chart_layout.layout_chart` — the same chart as the HTML's SVG, no matplotlib.

150 dpi (print quality without bloating the files), text in the DejaVu Sans the PDF embeds
(publish/fonts/), every Vietnamese letter included. Drawn at twice the size and reduced (each pixel the mean
of four), so edges and text are smooth and lines keep their fractional widths. Output is reproducible: the same
chart gives the same bytes (no date, no software name). Drawing and encoding take a few hundredths of a
second; matplotlib took 0.3 s a chart plus 0.6 s to load.
"""

from __future__ import annotations

import io
import math
import struct
from functools import lru_cache
from importlib.resources import as_file, files

from PIL import Image, ImageDraw, ImageFont

from vnindustry.publish.chart_layout import (
    AXIS,
    AXIS_WIDTH,
    GRID,
    GRID_WIDTH,
    PT,
    Bar,
    Grid,
    Label,
    Rule,
    Shape,
    Spines,
    Tick,
    layout_chart,
)
from vnindustry.publish.document import Chart

__all__ = ["DPI", "chart_image", "png_chart", "png_size"]

DPI = 150
SUPERSAMPLE = 2  # drawn at 2× and reduced: smooth edges and text
_SCALE = DPI / PT * SUPERSAMPLE  # pixels of the drawing per point
_ANCHORS = {"start": "l", "middle": "m", "end": "r"}
_BASELINES = {"central": "m", "hanging": "a"}  # middle of the text / its ascender line on y


def png_chart(chart: Chart, lang: str) -> bytes:
    """``chart`` in ``lang`` as PNG bytes (150 dpi). ValueError as :func:`layout_chart`."""
    buf = io.BytesIO()
    chart_image(chart, lang).save(buf, format="PNG", dpi=(DPI, DPI))
    return buf.getvalue()


def chart_image(chart: Chart, lang: str) -> Image.Image:
    """``chart`` in ``lang`` as an RGB image at 150 dpi (the PDF takes it as it is: no PNG to write and read
    back). ValueError as :func:`layout_chart`."""
    layout = layout_chart(chart, lang)
    size = (round(layout.width * _SCALE), round(layout.height * _SCALE))
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    for shape in layout.shapes:
        _draw(image, draw, shape)
    return image.reduce(SUPERSAMPLE)  # each pixel the mean of SUPERSAMPLE² drawn ones


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, read from its header, so writers can fit it to the page."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    return width, height


def _draw(image: Image.Image, draw: ImageDraw.ImageDraw, shape: Shape) -> None:
    """One shape onto the drawing (coordinates in pt)."""
    s = _SCALE
    if isinstance(shape, Bar):
        _box(draw, shape.x * s, shape.y * s, (shape.x + shape.width) * s, (shape.y + shape.height) * s, shape.fill)
    elif isinstance(shape, Grid):
        for x1, x2, y1, y2 in shape.lines:
            _line(draw, x1, y1, x2, y2, GRID_WIDTH, GRID)
    elif isinstance(shape, Rule):
        _line(draw, shape.x1, shape.y1, shape.x2, shape.y2, AXIS_WIDTH, AXIS)
    elif isinstance(shape, Spines):
        bottom = shape.top + shape.height
        _line(draw, shape.left, shape.top, shape.left, bottom, AXIS_WIDTH, AXIS, cap=True)
        _line(draw, shape.left, bottom, shape.left + shape.width, bottom, AXIS_WIDTH, AXIS, cap=True)
    elif isinstance(shape, Tick):
        _line(draw, shape.x, shape.y, *shape.end, AXIS_WIDTH, AXIS)
    elif isinstance(shape, Label):
        _label(image, draw, shape)
    else:
        raise TypeError(f"not a chart shape: {shape!r}")


def _box(draw: ImageDraw.ImageDraw, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
    """The pixels whose centres lie in [x0, x1) × [y0, y1) (pixel coordinates), at least one pixel across."""
    left, top = round(min(x0, x1)), round(min(y0, y1))
    right, bottom = max(left + 1, round(max(x0, x1))), max(top + 1, round(max(y0, y1)))
    draw.rectangle((left, top, right - 1, bottom - 1), fill=fill)


def _line(draw: ImageDraw.ImageDraw, x1: float, y1: float, x2: float, y2: float, width: float, colour: str, *,
          cap: bool = False) -> None:
    """A line ``width`` pt wide between two points (pt); the charts' lines run along an axis. ``cap``: extended by
    half its width at both ends, so two such lines meet in a square corner."""
    s, half = _SCALE, width / 2
    grow = half if cap else 0.0
    if y1 == y2:
        _box(draw, (min(x1, x2) - grow) * s, (y1 - half) * s, (max(x1, x2) + grow) * s, (y1 + half) * s, colour)
    elif x1 == x2:
        _box(draw, (x1 - half) * s, (min(y1, y2) - grow) * s, (x1 + half) * s, (max(y1, y2) + grow) * s, colour)
    else:
        draw.line((x1 * s, y1 * s, x2 * s, y2 * s), fill=colour, width=max(1, round(width * s)))


@lru_cache(maxsize=16)
def _font(size_px: float) -> ImageFont.FreeTypeFont:
    with as_file(files("vnindustry.publish") / "fonts" / "DejaVuSans.ttf") as path:
        return ImageFont.truetype(str(path), size_px)


def _label(image: Image.Image, draw: ImageDraw.ImageDraw, label: Label) -> None:
    """Text anchored at (x, y); turned text is drawn on a mask of its own, turned about the anchor, pasted."""
    font = _font(label.size * _SCALE)
    anchor = _ANCHORS[label.anchor] + _BASELINES[label.baseline]
    x, y = label.x * _SCALE, label.y * _SCALE
    if not label.rotate:
        draw.text((x, y), label.text, font=font, fill=AXIS, anchor=anchor)
        return
    left, top, right, bottom = font.getbbox(label.text, anchor=anchor)
    reach = math.ceil(max(math.hypot(a, b) for a in (left, right) for b in (top, bottom))) + 2
    mask = Image.new("L", (2 * reach, 2 * reach), 0)
    ImageDraw.Draw(mask).text((reach, reach), label.text, font=font, fill=255, anchor=anchor)
    # SVG's rotate(-45) turns counter-clockwise on the page, as Pillow's rotate(45) does.
    mask = mask.rotate(-label.rotate, resample=Image.Resampling.BICUBIC, center=(reach, reach))
    image.paste(AXIS, (round(x) - reach, round(y) - reach), mask)
