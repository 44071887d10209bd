"""The bulletin as a small document model, written out by one writer per format (publish/writers/).

Text is composed once (publish/bulletin.py) into sections of paragraphs, tables and charts; the writers
only lay it out. Table cells hold unrounded numbers plus a display format, so the XLSX keeps full
precision while every format shows the same rounded figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum


class BulletinFormat(StrEnum):
    """Output formats of the bulletin (checked enum: anything else is a usage error)."""

    MD = "md"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    XLSX = "xlsx"


class CellFormat(StrEnum):
    """How a table column is displayed."""

    TEXT = "text"
    NUMBER0 = "number0"  # 120.000
    NUMBER1 = "number1"  # 3,4
    NUMBER2 = "number2"  # 3,04
    INDEX = "index"  # 96,75 (GSO's index-style %, previous period = 100)
    CHANGE = "change"  # +3,4 (percentage change, signed)


class Withheld:
    """A confidential figure in a table: shown as "c", never as a number (docs/method.md, "Confidentiality")."""

    symbol = "c"

    def __repr__(self) -> str:
        return "WITHHELD"


WITHHELD = Withheld()
CONFIDENTIAL_NOTE = {
    "vi": "c: số liệu bảo mật (dưới 3 doanh nghiệp, hoặc một doanh nghiệp chiếm trên 85%, và các số liệu có thể "
          "suy ra chúng).",
    "en": "c: confidential (fewer than 3 enterprises, or one above 85%, and the figures they could be derived "
          "from).",
}


@dataclass
class Paragraph:
    """A paragraph of running text (already in the bulletin's language and number style)."""

    text: str


@dataclass
class Table:
    """A statistical table: raw values per row, a display format per column, notes, status per row."""

    title: str
    columns: list[str]
    formats: list[CellFormat]
    rows: list[list[object]]  # str for TEXT columns, float | None | WITHHELD for numbers (None = empty cell)
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # one per row ("ước tính", "estimate" …) or empty
    status_header: str = ""
    sheet_name: str = ""  # XLSX sheet (≤ 31 characters)
    # A cell whose format differs from its column's, by (row, column): a count in "chiếc" among tonnes.
    cell_formats: dict[tuple[int, int], CellFormat] = field(default_factory=dict)

    def format_at(self, row: int, column: int) -> CellFormat:
        """The display format of cell (``row``, ``column``): its own if set, else its column's."""
        return self.cell_formats.get((row, column), self.formats[column])


CHART_KINDS = ("bar_periods", "barh")
"""The kinds of :class:`Chart` the writers draw (publish/chart_layout.py: SVG for the HTML, PNG for DOCX and PDF)."""


@dataclass
class Chart:
    """A chart: a line/bar chart over periods, or horizontal bars over labelled categories."""

    title: str
    kind: str  # "bar_periods" (e.g. IIP change over 25 months) | "barh" (industries ranked)
    labels: list[str]
    values: list[float | None]
    unit: str = "%"
    alt: str = ""


Block = Paragraph | Table | Chart


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Letterhead:
    """The parts of an administrative document around its text (Decree 30/2020/NĐ-CP): the issuing agency
    and its number at top left, the national name and motto with the place and date at top right, and at
    the foot the recipients (left) and the signature block (right). Every string is ready to print."""

    parent_agency: str  # "UBND THÀNH PHỐ HỒ CHÍ MINH"
    agency: str  # "SỞ CÔNG THƯƠNG" (bold, underlined)
    number: str  # "Số:      /BC-SCT"
    country: str  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str  # "Độc lập - Tự do - Hạnh phúc" (bold, underlined)
    place_date: str  # "TP. Hồ Chí Minh, ngày 05 tháng 12 năm 2026" (italic)
    date_basis: str  # where the date comes from: "setting", "release" or "today"
    signer_title: list[str]  # "GIÁM ĐỐC", or "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"
    signer: str  # the name under the signature space ("" leaves the line blank)
    recipients_label: str = ""  # "Nơi nhận:" ("" prints no recipients block)
    recipients: list[str] = field(default_factory=list)
    document_kind: str = ""  # "BÁO CÁO" / "REPORT", above the subject


@dataclass
class Bulletin:
    """A whole bulletin in one language."""

    title: str
    subtitle: str
    lang: str  # "vi" | "en"
    period: str
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
    letterhead: Letterhead | None = None
    # "DỮ LIỆU GIẢ LẬP — …" under the title and in the footer when the figures are synthetic, else "".
    mark: str = ""

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]


def map_text(bulletin: Bulletin, fn: Callable[[str], str]) -> Bulletin:
    """The bulletin with ``fn`` applied to every string it prints (text, names, headers, notes, labels) —
    e.g. one diacritic style for everything the Vietnamese bulletin says, whatever the source's spelling."""

    def text(value: object) -> object:
        if isinstance(value, str):
            return fn(value)
        if isinstance(value, list):
            return [text(v) for v in value]
        return value

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return Paragraph(fn(b.text))
        if isinstance(b, Table):
            return replace(b, title=fn(b.title), columns=[fn(c) for c in b.columns], unit=fn(b.unit),
                           rows=[[text(v) for v in row] for row in b.rows], notes=[fn(n) for n in b.notes],
                           statuses=[fn(x) for x in b.statuses], status_header=fn(b.status_header))
        return replace(b, title=fn(b.title), labels=[fn(x) for x in b.labels], alt=fn(b.alt))

    head = bulletin.letterhead
    if head is not None:
        head = replace(head, **{f.name: text(getattr(head, f.name)) for f in fields(head) if f.name != "date_basis"})
    return replace(bulletin, title=fn(bulletin.title), subtitle=fn(bulletin.subtitle), footer=fn(bulletin.footer),
                   mark=fn(bulletin.mark), letterhead=head,
                   sections=[Section(fn(s.heading), [block(b) for b in s.blocks]) for s in bulletin.sections])
