"""The bulletin as a small document model, written out by one writer per format (publish/writers/).

Text is composed once (publish/bulletin.py) into sections of paragraphs, tables and charts; the writers
only lay it out. Table cells hold unrounded numbers plus a display format, so the XLSX keeps full
precision while every format shows the same rounded figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class Bulletin:
    """A whole bulletin in one language."""

    title: str
    subtitle: str
    lang: str  # "vi" | "en"
    period: str
    sections: list[Section] = field(default_factory=list)
    footer: str = ""

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]
