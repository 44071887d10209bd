"""The bulletin as Markdown (CommonMark + GFM pipe tables): text for review, diffs and snapshots.

Charts are not drawn here; each appears as a line naming it ("*Biểu đồ: …*"), so the text of a
bulletin can be read and diffed without images.
"""

from __future__ import annotations

import re

from vnindustry.publish.document import Bulletin, Chart, Paragraph, Table
from vnindustry.publish.writers.cells import format_cell, is_numeric
from vnindustry.publish.writers.common import check_bulletin, label, status_header, unit_line, unsupported

FORMAT = "md"

# Characters that Markdown would read as emphasis, links, code, raw HTML or table cell borders.
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
# Line starts that Markdown would read as a heading, quote, list item or thematic break.
# ("-4,4%" at the start of a line is text; "- " is a list item.)
_LINE_START = re.compile(r"^([ \t]*)([#>]|[-+](?=\s)|\d{1,9}[.)](?=\s)|[-=]{3,}[ \t]*$)", re.MULTILINE)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match[1], match[2]
    if marker[0].isdigit():  # "1. " → "1\. "
        return f"{indent}{marker[:-1]}\\{marker[-1]}"
    return f"{indent}\\{marker}"


def escape(text: str) -> str:
    """Escape ``text`` so Markdown shows it literally (Vietnamese letters and "3,4%" pass unchanged)."""
    return _LINE_START.sub(_escape_line_start, _INLINE.sub(r"\\\1", text))


def _cell(text: str) -> str:
    # A pipe-table cell is one line.
    return escape(" ".join(text.split()))


def _table(table: Table, lang: str) -> list[str]:
    lines = [f"**{escape(table.title)}**", ""]
    if table.unit:
        lines += [f"*{escape(unit_line(table, lang))}*", ""]
    header = list(table.columns)
    rules = ["---:" if is_numeric(f) else "---" for f in table.formats]
    if table.statuses:
        header.append(status_header(table, lang))
        rules.append("---")
    lines.append("| " + " | ".join(_cell(h) for h in header) + " |")
    lines.append("|" + "|".join(rules) + "|")
    for i, row in enumerate(table.rows):
        cells = [format_cell(v, f, lang) for v, f in zip(row, table.formats, strict=True)]
        if table.statuses:
            cells.append(table.statuses[i])
        # An empty cell stays empty ("|  |"), never 0 or ".".
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if table.notes:
        lines.append("")
        lines += [f"- {escape(note)}" for note in table.notes]
    return lines


def write(bulletin: Bulletin) -> bytes:
    """The bulletin as UTF-8 Markdown."""
    check_bulletin(bulletin, FORMAT)
    lang = bulletin.lang
    out: list[str] = [f"# {escape(bulletin.title)}", ""]
    if bulletin.subtitle:
        out += [f"*{escape(bulletin.subtitle)}*", ""]
    for section in bulletin.sections:
        out += [f"## {escape(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(escape(block.text))
            elif isinstance(block, Table):
                out += _table(block, lang)
            elif isinstance(block, Chart):
                out.append(f"*{label('chart', lang)}: {escape(block.title)}*")
            else:
                raise unsupported(FORMAT, block, section)
            out.append("")
    if bulletin.footer:
        out += ["---", "", escape(bulletin.footer), ""]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
