"""The bulletin as one standalone HTML5 file: inline CSS, charts as inline SVG, nothing fetched.

The page opens offline and can be mailed or archived as a single file. All text goes through Jinja2's
autoescaping; the only markup not escaped is the charts' SVG, written with its text escaped by
:func:`vnindustry.publish.svg_chart.svg_chart` (no matplotlib: the HTML bulletin is written in milliseconds).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from vnindustry.publish.document import Bulletin, CellFormat, Chart, Paragraph, Table
from vnindustry.publish.svg_chart import svg_chart
from vnindustry.publish.writers.cells import format_cell, is_numeric
from vnindustry.publish.writers.common import (
    check_bulletin,
    footer_lines,
    recipient_lines,
    status_header,
    unit_line,
    unsupported,
)

FORMAT = "html"
TEMPLATE = "bulletin.html.j2"

_env = Environment(
    loader=PackageLoader("vnindustry.publish", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    undefined=StrictUndefined,  # a missing field is a bug in this module, not an empty string
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

def _table_view(table: Table, lang: str) -> dict[str, Any]:
    header = list(table.columns)
    if table.statuses:
        header.append(status_header(table, lang))
    rows = []
    for i, row in enumerate(table.rows):
        cells = []
        for j, (value, fmt) in enumerate(zip(row, table.formats, strict=True)):
            cells.append({
                "text": format_cell(value, table.format_at(i, j), lang),
                # A text first column names the row (better for screen readers).
                "row_header": j == 0 and CellFormat(fmt) is CellFormat.TEXT,
                "css": "num" if is_numeric(fmt) else "",
            })
        if table.statuses:
            cells.append({"text": table.statuses[i], "row_header": False, "css": "status"})
        rows.append(cells)
    return {"kind": "table", "title": table.title, "unit": unit_line(table, lang), "header": header,
            "rows": rows, "notes": list(table.notes)}


def write(bulletin: Bulletin) -> bytes:
    """The bulletin as a UTF-8 HTML5 document."""
    check_bulletin(bulletin, FORMAT)
    lang = bulletin.lang
    sections = []
    n_charts = 0
    for section in bulletin.sections:
        blocks: list[dict[str, Any]] = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks.append({"kind": "paragraph", "text": block.text})
            elif isinstance(block, Table):
                blocks.append(_table_view(block, lang))
            elif isinstance(block, Chart):
                n_charts += 1
                caption = block.title  # numbered by the composer ("Biểu đồ 1: …")
                blocks.append({"kind": "chart", "svg": svg_chart(block, lang, f"c{n_charts}-"), "caption": caption})
            else:
                raise unsupported(FORMAT, block, section)
        sections.append({"heading": section.heading, "blocks": blocks})
    head = bulletin.letterhead
    html = _env.get_template(TEMPLATE).render(
        lang=lang, title=bulletin.title, subtitle=bulletin.subtitle, sections=sections,
        footer=footer_lines(bulletin), mark=bulletin.mark, head=head,
        recipients=recipient_lines(head) if head is not None else [],
    )
    return html.encode("utf-8")
