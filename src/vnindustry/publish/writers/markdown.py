"""The bulletin as Markdown (CommonMark + GFM pipe tables): text for review, diffs and snapshots.

Charts are not drawn here and not named either: a .md names no image it does not carry (the HTML, DOCX
and PDF formats hold the charts). The letterhead and the signature block are two-column pipe tables,
the layout of Decree 30/2020/NĐ-CP as near as Markdown allows.
"""

from __future__ import annotations

import re

from vnindustry.publish.document import Bulletin, Chart, Letterhead, Paragraph, Table
from vnindustry.publish.writers.cells import format_cell, is_numeric
from vnindustry.publish.writers.common import (
    check_bulletin,
    footer_lines,
    head_rows,
    recipient_lines,
    status_header,
    unit_line,
    unsupported,
)

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


def _inline(text: str) -> str:
    """Escaped for inline use only: a cell's "- UBND Thành phố;" is text, not a list item."""
    return _INLINE.sub(r"\\\1", text)


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
        cells = [format_cell(v, table.format_at(i, j), lang) for j, v in enumerate(row)]
        if table.statuses:
            cells.append(table.statuses[i])
        # An empty cell stays empty ("|  |"), never 0 or ".".
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if table.notes:
        lines.append("")
        lines += [f"- {escape(note)}" for note in table.notes]
    return lines


def _letterhead(head: Letterhead) -> list[str]:
    (parent, country), (agency, motto), (number, place_date) = head_rows(head)
    return [f"| {_cell(parent)} | **{_cell(country)}** |", "|:---:|:---:|",
            f"| **{_cell(agency)}** | **{_cell(motto)}** |",
            # The number keeps its non-breaking spaces: the blank the clerk fills in.
            f"| {_inline(number)} | *{_cell(place_date)}* |", ""]


def _signature(head: Letterhead) -> list[str]:
    left = ([f"**{_cell(head.recipients_label)}**"] if head.recipients_label else []) + \
        [_inline(r) for r in recipient_lines(head)]  # "- X;" in a cell is text, not a list
    right = [f"**{_cell(t)}**" for t in head.signer_title] + [""] * 3 + \
        ([f"**{_cell(head.signer)}**"] if head.signer else [""])
    rows = max(len(left), len(right))
    left += [""] * (rows - len(left))
    right += [""] * (rows - len(right))
    lines = [f"| {left[0]} | {right[0]} |", "|:---|:---:|"]
    lines += [f"| {a} | {b} |" for a, b in zip(left[1:], right[1:], strict=True)]
    return lines


def write(bulletin: Bulletin) -> bytes:
    """The bulletin as UTF-8 Markdown."""
    check_bulletin(bulletin, FORMAT)
    lang = bulletin.lang
    head = bulletin.letterhead
    out: list[str] = []
    if head is not None:
        out += _letterhead(head)
        out += [f"# {escape(head.document_kind)}", "", f"**{escape(bulletin.title)}**", ""]
    else:
        out += [f"# {escape(bulletin.title)}", ""]
    if bulletin.subtitle:
        out += [f"*{escape(bulletin.subtitle)}*", ""]
    if bulletin.mark:
        out += [f"**{escape(bulletin.mark)}**", ""]
    for section in bulletin.sections:
        out += [f"## {escape(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(escape(block.text))
            elif isinstance(block, Table):
                out += _table(block, lang)
            elif isinstance(block, Chart):
                continue  # not drawn in Markdown, so not named either
            else:
                raise unsupported(FORMAT, block, section)
            out.append("")
    if head is not None:
        out += [*_signature(head), ""]
    if (lines := footer_lines(bulletin)):
        out += ["---", ""] + [escape(line) + "  " for line in lines[:-1]] + [escape(lines[-1]), ""]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
