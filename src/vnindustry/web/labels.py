"""Names of tables, measures and statuses in Vietnamese and English, for the API's ``lang``/``labels``."""

from __future__ import annotations

import unicodedata

from vnindustry.store.records import STATUS_VI

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
    "contribution_pp": ("Đóng góp vào tăng trưởng (điểm %)", "Contribution to growth (percentage points)"),
    "imputed_share": ("Tỷ trọng ước lượng bù", "Imputed share"),
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
