"""The dashboard's words in Vietnamese and English (:data:`TEXT`, :func:`t`) and the two languages and sources a
page can show (:data:`Lang`, :data:`Source`)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["vi", "en"]
Source = Literal["city", "gso"]


TEXT: dict[str, tuple[str, str]] = {
    "site": ("Thống kê công nghiệp và thương mại", "Industry and trade statistics"),
    "home": ("Trang chủ", "Home"),
    "industries": ("Các ngành công nghiệp", "Industries"),
    "about": ("Giới thiệu", "About"),
    "releases": ("Các lần công bố", "Releases"),
    "api": ("Dữ liệu (API)", "Data (API)"),
    "iip": ("Chỉ số sản xuất công nghiệp", "Index of industrial production"),
    "source": ("Nguồn", "Source"),
    "latest": ("Số liệu mới nhất", "Latest figures"),
    "no_data": ("Chưa có số liệu cho nguồn này.", "No data for this source yet."),
    "prev_month": ("So với tháng trước", "On previous month"),
    "same_month": ("So với cùng kỳ năm trước", "On same month last year"),
    "ytd": ("Cộng dồn từ đầu năm so với cùng kỳ", "Year to date on a year earlier"),
    "ytd_prev": ("cùng kỳ", "a year earlier"),
    "retail": ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
               "Retail sales of goods and consumer services"),
    "exports": ("Kim ngạch xuất khẩu (không kể dầu thô)", "Exports excluding crude oil"),
    "imports": ("Kim ngạch nhập khẩu (không kể dầu thô)", "Imports excluding crude oil"),
    "balance": ("Cán cân thương mại hàng hóa", "Trade balance in goods"),
    "surplus": ("xuất siêu", "surplus"),
    "deficit": ("nhập siêu", "deficit"),
    "chart_yoy": ("So với cùng kỳ năm trước (%), 25 tháng gần nhất", "Change on a year earlier (%), last 25 months"),
    "chart_level": ("Giá trị, 25 tháng gần nhất", "Value, last 25 months"),
    "industry": ("Ngành", "Industry"),
    "code": ("Mã", "Code"),
    "key_groups": ("Nhóm ngành công nghiệp trọng yếu", "Key industry groups"),
    "index": ("Chỉ số", "Index"),
    "contribution": ("Đóng góp vào tăng trưởng (điểm phần trăm)", "Contribution to growth (percentage points)"),
    "status": ("Trạng thái", "Status"),
    "month": ("Tháng", "Month"),
    "series": ("Chuỗi số liệu", "Series"),
    "original": ("Số liệu gốc", "Original"),
    "calendar_adjusted": ("Điều chỉnh theo lịch (Tết, ngày làm việc)", "Calendar adjusted (Tet, working days)"),
    "seasonally_adjusted": ("Điều chỉnh mùa vụ", "Seasonally adjusted"),
    "trend": ("Xu hướng", "Trend"),
    "download": ("Tải về", "Download"),
    "filter": ("Lọc theo tên hoặc mã", "Filter by name or code"),
    "other_lang": ("English", "Tiếng Việt"),
    "show": ("Xem", "Show"),
    "legend": ("Ký hiệu: – không có số liệu; c số liệu bảo mật (dưới 3 doanh nghiệp, hoặc một doanh nghiệp "
               "chiếm trên 85%, và các số liệu có thể suy ra chúng).",
               "Symbols: – not available; c confidential (fewer than 3 enterprises, or one above 85%, and the "
               "figures they could be derived from)."),
    "released_on": ("Ngày công bố", "Released on"),
    "reference_period": ("Kỳ số liệu", "Reference period"),
    "file": ("Tệp", "File"),
    "observations": ("Nội dung", "Contents"),
    "figures": ("số liệu", "figures"),
    "flows": ("dòng xuất, nhập khẩu", "trade flows"),
    "scoring": ("kết quả đánh giá sản phẩm chủ lực", "key-product scoring results"),
    "synthetic": ("Dữ liệu giả lập — không phải số liệu chính thức", "Synthetic data — not official statistics"),
    "synthetic_row": ("giả lập", "synthetic"),
    "document": ("Tài liệu", "Document"),
    "chart_pct": ("% so với cùng kỳ năm trước", "% change on a year earlier"),
    "output": ("Sản lượng", "Output"),
    "chart_of": ("Biểu đồ", "Chart"),
    "products": ("Sản phẩm chủ yếu", "Key products"),
    "products_title": ("Sản phẩm công nghiệp chủ yếu", "Key industrial products"),
    "product": ("Sản phẩm", "Product"),
    "unit": ("Đơn vị tính", "Unit"),
    "level": ("Sản lượng tháng", "Month's output"),
    "movers": ("Sản phẩm thay đổi nhiều nhất so với cùng kỳ năm trước (%)",
               "Products changing most on a year earlier (%)"),
    "trade": ("Xuất nhập khẩu", "Trade"),
    "trade_title": ("Xuất, nhập khẩu hàng hóa", "Exports and imports of goods"),
    "exports_total": ("Kim ngạch xuất khẩu", "Exports"),
    "imports_total": ("Kim ngạch nhập khẩu", "Imports"),
    "excl_crude": ("Không kể dầu thô", "Excluding crude oil"),
    "domestic": ("Khu vực kinh tế trong nước", "Domestic sector"),
    "fdi": ("Khu vực có vốn đầu tư nước ngoài", "Foreign-invested sector"),
    "commodity": ("Mặt hàng", "Commodity"),
    "value_qty": ("Trị giá / lượng", "Value / quantity"),
    "chart_trade": ("Kim ngạch xuất khẩu và nhập khẩu, 25 tháng gần nhất", "Exports and imports, last 25 months"),
    "bulletins": ("Bản tin", "Bulletins"),
    "bulletins_title": ("Lưu trữ bản tin hằng tháng", "Monthly bulletins archive"),
    "bulletins_lead": ("Bản tin được soạn từ số liệu mới nhất trong cơ sở dữ liệu, tối đa 24 tháng gần nhất.",
                       "Bulletins are composed from the latest figures in the store, for up to the last 24 months."),
    "vietnamese": ("Tiếng Việt", "Vietnamese"),
    "english": ("Tiếng Anh", "English"),
    "calendar": ("Lịch công bố", "Release calendar"),
    "past_releases": ("Các lần công bố đã thực hiện", "Past releases"),
    "next_releases": ("Lịch công bố dự kiến", "Expected publication dates"),
    "overdue_releases": ("Chưa công bố, đã quá ngày dự kiến", "Not yet published, past the expected date"),
    "expected_on": ("Ngày công bố dự kiến", "Expected on"),
    "rule": ("Quy tắc", "Rule"),
}


def t(key: str, lang: str) -> str:
    vi, en = TEXT[key]
    return vi if lang == "vi" else en
