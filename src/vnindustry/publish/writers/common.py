"""What every writer shares: the fixed words of the layout in each language, and the checks run before
anything is written, so a bad bulletin fails the same way in every format and names what is wrong."""

from __future__ import annotations

from collections.abc import Iterator

from vnindustry.publish.document import CHART_KINDS, Block, Bulletin, Chart, Letterhead, Paragraph, Section, Table
from vnindustry.publish.numbers import LOCALES

# The words a writer adds around the composed text (the composer writes everything else).
LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "unit": "Đơn vị tính",
        "status": "Trạng thái",
        "chart": "Biểu đồ",
        "table": "Bảng",
        "page": "Trang",
        "notes": "Ghi chú",
        "text_sheet": "Bản tin",
        "see_sheet": "xem trang tính",
    },
    "en": {
        "unit": "Unit",
        "status": "Status",
        "chart": "Chart",
        "table": "Table",
        "page": "Page",
        "notes": "Notes",
        "text_sheet": "Bulletin",
        "see_sheet": "see sheet",
    },
}

# IETF tags for document metadata (DOCX core properties, PDF /Lang, HTML lang).
LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-US"}


class UnsupportedBlockError(TypeError):
    """A block the writer of a format cannot lay out (the message names the format, section and block)."""


def label(key: str, lang: str) -> str:
    """A fixed layout word ("Đơn vị tính", "Trang" …) in ``lang``."""
    return LABELS[check_lang(lang)][key]


def check_lang(lang: str) -> str:
    """``lang`` itself if the writers support it, else a ValueError listing the supported ones."""
    if lang not in LABELS or lang not in LOCALES:
        raise ValueError(f"unknown bulletin language {lang!r}; use one of {', '.join(sorted(LABELS))}")
    return lang


def status_header(table: Table, lang: str) -> str:
    """The heading of the status column: the table's own, or "Trạng thái" / "Status"."""
    return table.status_header or label("status", lang)


def unit_line(table: Table, lang: str) -> str:
    """ "Đơn vị tính: %" / "Unit: %", or "" for a table without a unit."""
    return f"{label('unit', lang)}: {table.unit}" if table.unit else ""


def unsupported(fmt: str, block: object, section: Section | None = None) -> UnsupportedBlockError:
    """The error for a block that ``fmt``'s writer cannot render."""
    where = f" in section {section.heading!r}" if section is not None else ""
    return UnsupportedBlockError(
        f"the {fmt} bulletin writer cannot render a {type(block).__name__} block{where}; "
        f"blocks are Paragraph, Table or Chart"
    )


def check_table(table: Table, fmt: str, section: Section) -> None:
    """Shape checks: one format per column, full rows, one status per row (or none)."""
    where = f"{fmt} bulletin: table {table.title!r} in section {section.heading!r}"
    if not table.columns:
        raise ValueError(f"{where} has no columns")
    if len(table.formats) != len(table.columns):
        raise ValueError(f"{where} has {len(table.columns)} columns but {len(table.formats)} formats")
    for i, row in enumerate(table.rows, start=1):
        if len(row) != len(table.columns):
            raise ValueError(f"{where}: row {i} has {len(row)} cells for {len(table.columns)} columns")
    if table.statuses and len(table.statuses) != len(table.rows):
        raise ValueError(f"{where} has {len(table.statuses)} statuses for {len(table.rows)} rows")


def check_chart(chart: Chart, fmt: str, section: Section) -> None:
    """A known kind and one value per label."""
    where = f"{fmt} bulletin: chart {chart.title!r} in section {section.heading!r}"
    if chart.kind not in CHART_KINDS:
        raise ValueError(f"{where} has unknown kind {chart.kind!r}; use one of {', '.join(CHART_KINDS)}")
    if len(chart.labels) != len(chart.values):
        raise ValueError(f"{where} has {len(chart.labels)} labels for {len(chart.values)} values")


def check_bulletin(bulletin: Bulletin, fmt: str) -> None:
    """Run every check before a writer starts, so no format writes half a document."""
    check_lang(bulletin.lang)
    for section, block in iter_blocks(bulletin):
        if isinstance(block, Table):
            check_table(block, fmt, section)
        elif isinstance(block, Chart):
            check_chart(block, fmt, section)
        elif not isinstance(block, Paragraph):
            raise unsupported(fmt, block, section)


def iter_blocks(bulletin: Bulletin) -> Iterator[tuple[Section, Block]]:
    """Every (section, block) pair in reading order."""
    for section in bulletin.sections:
        for block in section.blocks:
            yield section, block


def head_rows(head: Letterhead) -> list[tuple[str, str]]:
    """The letterhead as (left, right) lines: parent agency | country; AGENCY | motto; number | place and date."""
    return [(head.parent_agency, head.country), (head.agency, head.motto), (head.number, head.place_date)]


def recipient_lines(head: Letterhead) -> list[str]:
    """ "- UBND Thành phố;" … "- Lưu: VT." — the recipients as Decree 30/2020 lists them."""
    items = head.recipients
    return [f"- {r}{'.' if i == len(items) - 1 else ';'}" for i, r in enumerate(items)]


SIGNATURE_SPACE = 4  # blank lines left for the signature and seal


def footer_lines(bulletin: Bulletin) -> list[str]:
    """What the document's footer says: the revision note and, for synthetic figures, the mark."""
    return [line for line in (bulletin.footer, bulletin.mark) if line]
