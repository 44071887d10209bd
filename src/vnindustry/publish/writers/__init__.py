"""One writer per bulletin format; :func:`write_bulletin` picks it from :data:`WRITERS`.

Every writer takes a :class:`~vnindustry.publish.document.Bulletin` and returns the file's bytes (text
formats as UTF-8). They share the cell formatting (``cells.py``) and the checks and layout words
(``common.py``), so a figure reads the same in every format and a bad bulletin fails the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from vnindustry.publish.document import Bulletin, BulletinFormat
from vnindustry.publish.writers.common import UnsupportedBlockError

Writer = Callable[[Bulletin], bytes]


def _on_first_use(module: str) -> Writer:
    """The ``write`` of ``publish.writers.<module>``, imported when a bulletin is first written in its format:
    one Markdown bulletin does not load python-docx, fpdf2, XlsxWriter or Pillow (most of a command's start-up
    otherwise)."""

    def write(bulletin: Bulletin) -> bytes:
        writer: Writer = importlib.import_module(f"vnindustry.publish.writers.{module}").write
        return writer(bulletin)

    write.__name__ = write.__qualname__ = f"write_{module}"
    return write


WRITERS: dict[BulletinFormat, Writer] = {
    BulletinFormat.MD: _on_first_use("markdown"),
    BulletinFormat.HTML: _on_first_use("html"),
    BulletinFormat.DOCX: _on_first_use("docx"),
    BulletinFormat.PDF: _on_first_use("pdf"),
    BulletinFormat.XLSX: _on_first_use("xlsx"),
}

# What each format's bytes are, for whoever serves or saves them.
MEDIA_TYPES: dict[BulletinFormat, str] = {
    BulletinFormat.MD: "text/markdown; charset=utf-8",
    BulletinFormat.HTML: "text/html; charset=utf-8",
    BulletinFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    BulletinFormat.PDF: "application/pdf",
    BulletinFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = ["MEDIA_TYPES", "WRITERS", "UnsupportedBlockError", "Writer", "write_bulletin"]


def write_bulletin(bulletin: Bulletin, fmt: BulletinFormat | str) -> bytes:
    """The bulletin written in ``fmt`` ("md", "html", "docx", "pdf", "xlsx"), as bytes.

    Raises ValueError for an unknown format or one without a writer, or for a malformed table or chart,
    and :class:`UnsupportedBlockError` (a TypeError) for a block the writer cannot render; each message
    names the format and, for a block, its section.
    """
    try:
        fmt = BulletinFormat(fmt)
    except ValueError:
        known = ", ".join(f.value for f in BulletinFormat)
        raise ValueError(f"unknown bulletin format {fmt!r}; use one of {known}") from None
    writer = WRITERS.get(fmt)
    if writer is None:
        available = ", ".join(f.value for f in WRITERS)
        raise ValueError(f"no writer for bulletin format {fmt.value!r}; formats with a writer: {available}")
    return writer(bulletin)
