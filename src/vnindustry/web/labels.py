"""Names of tables, measures and statuses in Vietnamese and English, for the API's ``lang``/``labels``."""

from __future__ import annotations

import math
import re
import unicodedata

from vnindustry.names import source_name, source_pick
from vnindustry.store.records import STATUS_VI

__all__ = ["source_name", "source_pick"]  # re-exported: the pages import every label from here

TABLES: dict[str, tuple[str, str]] = {
    "iip": ("Chỉ số sản xuất công nghiệp", "Index of industrial production"),
    "products": ("Sản phẩm công nghiệp chủ yếu", "Main industrial products"),
    "labour": ("Chỉ số sử dụng lao động trong doanh nghiệp công nghiệp", "Industrial employment index"),
    "labour_province": ("Chỉ số sử dụng lao động theo địa phương", "Industrial employment index by province"),
    "retail": ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
               "Retail sales of goods and consumer services"),
    "exports": ("Hàng hóa xuất khẩu", "Exports of goods"),
    "imports": ("Hàng hóa nhập khẩu", "Imports of goods"),
    "trade_balance": ("Cán cân thương mại hàng hóa", "Trade balance in goods"),
    "trade_turnover": ("Tổng kim ngạch xuất nhập khẩu", "Trade turnover in goods"),
}

MEASURES: dict[str, tuple[str, str]] = {
    "level": ("Giá trị", "Value"),
    "level_ytd": ("Cộng dồn từ đầu năm", "Year to date"),
    "pct_prev_month": ("So với tháng trước (%)", "Percent of previous month"),
    "pct_prev_period": ("So với kỳ trước (%)", "Percent of previous period"),
    "pct_same_month_last_year": ("So với cùng kỳ năm trước (%)", "Percent of same month last year"),
    "pct_same_period_last_year": ("So với cùng kỳ năm trước (%)", "Percent of same period last year"),
    "pct_ytd_last_year": ("Cộng dồn so với cùng kỳ (%)", "Year to date, percent of a year earlier"),
    "share_pct": ("Cơ cấu (%)", "Share (%)"),
    "share_pct_ytd": ("Cơ cấu cộng dồn (%)", "Share of year to date (%)"),
    "pct_change_prev_month": ("Tăng/giảm so với tháng trước (%)", "Change on previous month (%)"),
    "pct_change_same_month_last_year": ("Tăng/giảm so với cùng kỳ (%)", "Change on same month last year (%)"),
    "pct_change_ytd_last_year": ("Cộng dồn tăng/giảm so với cùng kỳ (%)", "Year to date, change on a year earlier (%)"),
    "index": ("Chỉ số", "Index"),
    "contribution_pp": ("Đóng góp vào tăng trưởng (điểm phần trăm)", "Contribution to growth (percentage points)"),
    "imputed_share": ("Tỷ trọng ước lượng bù", "Imputed share"),
    "tet_factor": ("Hệ số Tết (lịch)", "Tet factor (calendar)"),
}

STATUS_EN = {"estimate": "estimate", "preliminary": "preliminary", "actual": "actual"}


def fold(text: str) -> str:
    """Lower-case ASCII of Vietnamese text, so "xuat khau" finds "xuất khẩu" (đ → d as well)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def table_name(table: str, lang: str) -> str:
    vi, en = TABLES.get(table, (table, table))
    return vi if lang == "vi" else en


def measure_name(measure: str, lang: str) -> str:
    """Name of a measure; trade quantities (``qty_…``) say so."""
    base = measure.removeprefix("qty_")
    vi, en = MEASURES.get(base, (base, base))
    name = vi if lang == "vi" else en
    if measure.startswith("qty_"):
        return ("Lượng: " if lang == "vi" else "Quantity: ") + name
    return name


def status_name(status: str, lang: str) -> str:
    return STATUS_VI.get(status, status) if lang == "vi" else STATUS_EN.get(status, status)


def series_name(name_vi: str, name_en: str, lang: str) -> str:
    """The series' name in ``lang``; Vietnamese where no English name was recorded."""
    return name_en if lang == "en" and name_en else name_vi


# -- sources and releases in words (issue 13): the source names live in vnindustry.names, one table for the
# pages, the API and the bulletin.
ADJUSTMENT_FILE = "X-13ARIMA-SEATS adjustment"  # the file name analysis/seasonal/stored.py gives its releases
_HISTORY_FILE = re.compile(r"#(\d{4}-\d{2})$")  # store/gso.py: "<folder>#YYYY-MM", one release per month
_ROMAN = ("I", "II", "III", "IV")


def period_name(period: str | None, lang: str) -> str:
    """A reference period in words: "tháng 12/2025", "quý I/2025", "năm 2025" (vi); "December 2025", "Q1 2025",
    "2025" (en); "" for none (a scoring has no period)."""
    from vnindustry.publish.wording import month_name

    text = "" if period is None or (isinstance(period, float) and math.isnan(period)) else str(period).strip()
    if not text or text.lower() in ("nan", "none"):
        return ""
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return month_name(text, lang)
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", text):
        year, q = m.group(1), int(m.group(2))
        return f"quý {_ROMAN[q - 1]}/{year}" if lang == "vi" else f"Q{q} {year}"
    if re.fullmatch(r"\d{4}", text):
        return f"năm {text}" if lang == "vi" else text
    return text


def release_document(source: str, file: str | None, reference_period: str | None, lang: str) -> str:
    """What a release is, named as a document: "Lịch sử số liệu của Tổng cục Thống kê, tháng 12/2024" for
    GSO's history file "csv#2024-12", "Biểu số liệu tháng 2/2025" for a GSO workbook, "Chỉ số IIP biên soạn
    từ báo cáo doanh nghiệp, đến tháng 12/2025" for a compile; a key-product scoring by its title (its author's
    Vietnamese: the English page says what it is); a user's trade file by its name."""
    vi = lang == "vi"
    name = "" if file is None or (isinstance(file, float) and math.isnan(file)) else str(file)
    period = period_name(reference_period, lang)
    if name == ADJUSTMENT_FILE:
        return ("Chuỗi điều chỉnh mùa vụ và theo lịch (X-13ARIMA-SEATS)" if vi
                else "Seasonally and calendar adjusted series (X-13ARIMA-SEATS)")
    if source == "gso":
        if m := _HISTORY_FILE.search(name):
            month = period_name(m.group(1), lang)
            return f"Lịch sử số liệu của Tổng cục Thống kê, {month}" if vi else f"GSO data history, {month}"
        if period:
            return f"Biểu số liệu {period}" if vi else f"Monthly statistics workbook, {period}"
    if source == "city":
        return (f"Chỉ số IIP biên soạn từ báo cáo doanh nghiệp{', đến ' + period if period else ''}" if vi
                else f"IIP compiled from enterprise reports{', to ' + period if period else ''}")
    if source == "trade-demo":
        return (f"Số liệu xuất, nhập khẩu theo mặt hàng giả lập{', ' + period if period else ''}" if vi
                else f"Synthetic trade flows by product{', ' + period if period else ''}")
    if source == "trade-gso":
        return ("Xuất, nhập khẩu theo nhóm hàng của Tổng cục Thống kê, quy đổi sang mã HS" if vi
                else "GSO exports and imports by commodity group, mapped to HS codes")
    if source == "key-products":  # its title, as its author wrote it (in Vietnamese: the English page names it)
        return f"“{name}”" if vi and name else ("Đánh giá sản phẩm chủ lực" if vi else "Key industrial product scoring")
    return name or source_name(source, lang)
