"""The monthly bulletin on industry and trade: composed from the store's indicators, in vi or en.

Register: the Department's and GSO's monthly reports (tests/data/bulletin-style-hcmc-2020-11.txt) —
"Chỉ số sản xuất công nghiệp (IIP) tháng 11/2020 ước tính tăng 3,4% so với tháng trước…". Each section
appears only where its data exist; estimates say "ước tính"; "tăng"/"giảm" follows the sign.

This module holds the document: its letterhead and signature block, source line, subject, date and the order
of its sections. The sections are composed in their own modules — industrial production
(:mod:`~vnindustry.publish.iip_section`), key products (:mod:`~vnindustry.publish.product_section`), retail
(:mod:`~vnindustry.publish.retail_section`), trade (:mod:`~vnindustry.publish.trade_section`), what they share
(:mod:`~vnindustry.publish.figures`) — and every public name of theirs is importable from here too. One month's
bulletin read from the store in one pass and written in any format: :mod:`~vnindustry.publish.snapshot`
(:func:`publish_bulletin`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vnindustry import settings
from vnindustry.analysis.indicators import MonthlyIndicators
from vnindustry.names import source_name
from vnindustry.publish.document import Bulletin, Letterhead, Section, map_text
from vnindustry.publish.figures import (
    CRUDE_OIL,
    DOMESTIC,
    FOREIGN,
    RETAIL_GOODS,
    STATUS_EN,
    tet_sentence,
)
from vnindustry.publish.iip_section import (
    contribution_sentence,
    iip_hierarchy,
    iip_paragraphs,
    iip_section,
    key_industry_sentence,
    quarter_growth,
    ranking_sentences,
)
from vnindustry.publish.product_section import products_section
from vnindustry.publish.retail_section import retail_section
from vnindustry.publish.trade_section import trade_section
from vnindustry.publish.wording import en_date, gso_style, month_name, vi_date

if TYPE_CHECKING:
    from vnindustry.publish.snapshot import BulletinSnapshot, publish_bulletin, read_snapshot

__all__ = [
    "CRUDE_OIL", "DOMESTIC", "FOREIGN", "QUOTED_SOURCES", "RETAIL_GOODS", "STATUS_EN", "SYNTHETIC_MARK",
    "BulletinSnapshot", "bulletin_date", "bulletin_subject", "compose_bulletin", "contribution_sentence",
    "iip_hierarchy", "iip_paragraphs", "key_industry_sentence", "letterhead", "publish_bulletin", "quarter_growth",
    "ranking_sentences", "read_snapshot", "source_line", "tet_sentence",
]


def __getattr__(name: str) -> Any:
    """The snapshot's names (publish/snapshot.py reads the store and imports this module)."""
    if name in ("BulletinSnapshot", "publish_bulletin", "read_snapshot"):
        from vnindustry.publish import snapshot

        return getattr(snapshot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Sources whose figures the Department quotes rather than compiles: it signs the bulletin, the figures are theirs.
QUOTED_SOURCES = frozenset({"gso", "trade-gso"})


def source_line(source: str, lang: str) -> str:
    """The line under the title naming where the figures come from, from the one table of source names
    (:func:`vnindustry.names.source_name`): "Nguồn số liệu: Tổng cục Thống kê; Sở Công Thương trích dẫn"."""
    name = source_name(source, lang)
    if lang == "vi":
        return f"Nguồn số liệu: {name}" + ("; Sở Công Thương trích dẫn" if source in QUOTED_SOURCES else "")
    return f"Source: {name}" + (", as quoted by the Department of Industry and Trade"
                                if source in QUOTED_SOURCES else "")

SYNTHETIC_MARK = ("DỮ LIỆU GIẢ LẬP — không phải số liệu chính thức", "SYNTHETIC DATA — not official statistics")


def bulletin_date(published_on: dt.date | None = None, today: dt.date | None = None) -> tuple[dt.date, str]:
    """The bulletin's date and where it comes from: the setting bulletin_date ("setting"), else the release's
    publication date if known ("release"), else today ("today")."""
    if (text := str(settings.get("bulletin_date") or "").strip()):
        try:
            return dt.date.fromisoformat(text), "setting"
        except ValueError:
            raise ValueError(f"setting bulletin_date {text!r} is not a date YYYY-MM-DD") from None
    if published_on is not None:
        return published_on, "release"
    return today or dt.date.today(), "today"


def letterhead(lang: str, published_on: dt.date | None = None, today: dt.date | None = None) -> Letterhead:
    """The letterhead and signature block (Decree 30/2020/NĐ-CP layout) from the bulletin_* settings."""
    day, basis = bulletin_date(published_on, today)
    number = str(settings.get("bulletin_number") or "").strip()
    symbol = str(settings.get("bulletin_symbol") or "")
    # An empty number leaves room for the clerk who registers the document to write it in.
    numbered = f"{number}/{symbol}" if number else f"{chr(0xA0) * 8}/{symbol}"
    # "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC": a signer on behalf of the head (a newline, or "\n" typed in the variable).
    raw = str(settings.get("bulletin_signer_title" if lang == "vi" else "bulletin_signer_title_en"))
    titles = [t.strip() for t in raw.replace("\\n", "\n").splitlines() if t.strip()]
    if lang == "vi":
        return Letterhead(
            parent_agency=str(settings.get("bulletin_parent_agency")), agency=str(settings.get("bulletin_agency")),
            number=f"Số: {numbered}", country="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            motto="Độc lập - Tự do - Hạnh phúc",
            place_date=f"{settings.get('bulletin_place')}, {vi_date(day)}", date_basis=basis,
            signer_title=titles, signer=str(settings.get("bulletin_signer") or ""),
            recipients_label="Nơi nhận:",
            recipients=[r.strip() for r in str(settings.get("bulletin_recipients") or "").split(";") if r.strip()],
            document_kind="BÁO CÁO")
    # The distribution list belongs to the Vietnamese original; the English version is for information.
    return Letterhead(
        parent_agency=str(settings.get("bulletin_parent_agency_en")), agency=str(settings.get("bulletin_agency_en")),
        number=f"No.: {numbered}", country="SOCIALIST REPUBLIC OF VIET NAM", motto="Independence - Freedom - Happiness",
        place_date=f"{settings.get('bulletin_place_en')}, {en_date(day)}", date_basis=basis,
        signer_title=titles, signer=str(settings.get("bulletin_signer") or ""), document_kind="REPORT")


def bulletin_subject(sections: Sequence[Section], period: str, lang: str) -> str:
    """The subject line from the sections present: "Tình hình sản xuất công nghiệp tháng 12/2025", with
    "và thương mại" only when a retail or trade section is there."""
    industry = {"Sản xuất công nghiệp", "Sản phẩm công nghiệp chủ yếu", "Industrial production",
                "Key industrial products"}
    headings = {s.heading for s in sections}
    has_industry = bool(headings & industry)
    has_trade = bool(headings - industry)
    month = month_name(period, lang)
    if lang == "vi":
        what = ("sản xuất công nghiệp và thương mại" if has_industry and has_trade
                else "thương mại" if has_trade else "sản xuất công nghiệp")
        return f"Tình hình {what} {month}"
    what = ("Industrial production and trade" if has_industry and has_trade
            else "Trade" if has_trade else "Industrial production")
    return f"{what}, {month}"


def compose_bulletin(ind: MonthlyIndicators, lang: str = "vi", annex: Sequence[Section] = (), *,
                     published_on: dt.date | None = None, today: dt.date | None = None) -> Bulletin:
    """The bulletin for ``ind.period`` in ``lang`` ("vi" or "en"); sections only where data exist.

    ``annex``: sections appended after the month's (publish.competitiveness.store_annex: competitiveness and
    key products, when the store holds trade flows or a scoring); empty ones are left out.
    ``published_on``: the release's publication date, for the date line when the setting bulletin_date is
    empty (else ``today``, by default the clock's). A synthetic release (``ind.synthetic``) is marked under the
    title and in the footer. The Vietnamese text is in GSO's diacritic style ("hóa", "thủy") throughout.
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"unknown language {lang!r}; use vi or en")
    vi = lang == "vi"
    synthetic = bool(getattr(ind, "synthetic", False))
    bulletin = Bulletin(
        title="", subtitle=source_line(ind.source, lang), lang=lang, period=ind.period,
        footer=("Số liệu ước tính có thể được điều chỉnh trong các kỳ sau." if vi
                else "Estimates may be revised in later releases."),
        letterhead=letterhead(lang, published_on or getattr(ind, "published_on", None), today),
        mark=(SYNTHETIC_MARK[0] if vi else SYNTHETIC_MARK[1]) if synthetic else "",
    )
    for build in (iip_section, products_section, retail_section, trade_section):
        section = build(ind, lang)
        if section is not None and section.blocks:
            bulletin.sections.append(section)
    bulletin.title = bulletin_subject(bulletin.sections, ind.period, lang)
    bulletin.sections.extend(s for s in annex if s.blocks)
    _number_charts(bulletin, lang)
    return map_text(bulletin, gso_style) if vi else bulletin


def _number_charts(bulletin: Bulletin, lang: str) -> None:
    """ "Biểu đồ 1: …", "Biểu đồ 2: …" — numbered once here so every format captions a chart the same way."""
    word = "Biểu đồ" if lang == "vi" else "Chart"
    for n, chart in enumerate(bulletin.charts(), start=1):
        chart.alt = chart.alt or chart.title
        chart.title = f"{word} {n}: {chart.title}"
