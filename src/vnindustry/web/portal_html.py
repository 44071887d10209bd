"""What the portal's HTML pages share: templates, wording (vi/en), the logged-in user, the form CSRF check.

The portal's pages (``/portal/…``; :mod:`vnindustry.web.portal_pages` for login and the enterprise's form,
:mod:`vnindustry.web.review_pages` for statisticians and admins) are server-rendered and work without
JavaScript; ``static/portal.js`` only adds the checks as one types. They use the same session as the JSON
API (the cookie set at login) and the same rules (:mod:`vnindustry.portal`).

- **Who.** :func:`page_user` gives the logged-in account; an anonymous visitor is sent to the login page
  (303, with ``next``), a logged-in user of the wrong role gets 403.
- **CSRF.** Every form that changes something carries the session's token in a hidden field ``csrf_token``;
  :func:`check_form_csrf` refuses a POST without it (403) before anything is read or written. The login form,
  which has no session yet, carries a token that must match the ``vnindustry_login`` cookie (double submit);
  both cookies are SameSite=Lax, so a cross-site form cannot send them.
- **Errors.** A route raises :class:`~vnindustry.web.problems.Problem` as everywhere; a browser (``Accept:
  text/html``) on a portal page gets it as a page (:func:`html_error`), any other client problem+json.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Path as PathParam
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine

from vnindustry.names import name_in, unit_in
from vnindustry.portal import messages
from vnindustry.portal.accounts import Account
from vnindustry.portal.months import MonthState
from vnindustry.publish.numbers import format_number
from vnindustry.web import auth
from vnindustry.web.dates import format_date, format_datetime, format_month
from vnindustry.web.problems import Problem
from vnindustry.web.spelling import gso_style

# Path parameters of the linkage pages (issue 14): an enterprise code as the register has it, and the code of a
# need, an event or a connection request (letters, digits, ".", "_", "-").
LINKAGE_ENTERPRISE = Annotated[str, PathParam(min_length=1, max_length=120)]
LINKAGE_CODE = Annotated[str, PathParam(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9._-]+$")]

PORTAL = "/portal"
LOGIN = f"{PORTAL}/login"
CSRF_FIELD = "csrf_token"
MAX_FORM = 256 * 1024  # a monthly form of up to 1,000 products with comments fits
# The portal's pages load nothing but the app's own files, and are never cached or framed.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
           "Referrer-Policy": "same-origin"}

TEXT: dict[str, tuple[str, str]] = {
    "portal": ("Cổng báo cáo thống kê công nghiệp", "Industry statistics reporting portal"),
    "public_site": ("Trang số liệu công khai", "Public statistics site"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "username": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "wrong_login": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "throttled": ("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait} giây.",
                  "Too many failed logins. Please try again in {wait} seconds."),
    "login_expired": ("Trang đăng nhập đã hết hạn; vui lòng đăng nhập lại.",
                      "The login page had expired; please log in again."),
    "logged_in_as": ("Đăng nhập với tên", "Logged in as"),
    "role_enterprise": ("doanh nghiệp", "enterprise"),
    "role_statistician": ("thống kê viên", "statistician"),
    "role_admin": ("quản trị", "administrator"),
    "error": ("Lỗi", "Error"),
    "back": ("Quay lại", "Back"),
    "other_lang": ("English", "Tiếng Việt"),
    "month": ("Tháng", "Month"),
    "reports": ("Báo cáo của doanh nghiệp", "The enterprise's reports"),
    "months_reported": ("Các tháng đã báo cáo", "Months reported"),
    "open_form": ("Báo cáo tháng {month}", "Report for {month}"),
    "open_link": ("Mở biểu mẫu", "Open the form"),
    "version": ("Lần gửi", "Version"),
    "submitted_at": ("Thời điểm gửi", "Submitted at"),
    "submitted_by": ("Người gửi", "Submitted by"),
    "channel": ("Hình thức", "Channel"),
    "status": ("Trạng thái", "Status"),
    "closed": ("Đã khóa sổ", "Closed"),
    "open": ("Đang nhận báo cáo", "Open for reports"),
    # issue 13: a month's state (vnindustry.portal.months), one wording for every page
    "state_published": ("Đã công bố ngày {day}", "Published on {day}"),
    "state_scheduled": ("Đã khóa sổ, công bố ngày {day}", "Closed, to be published on {day}"),
    "state_open": ("Đang nhận báo cáo", "Open for reports"),
    "state_not_open": ("Chưa đến kỳ báo cáo (nhận báo cáo từ ngày {day})", "Not open yet (reports from {day})"),
    "not_open_lead": ("Tháng {month} chưa kết thúc: biểu mẫu nhận báo cáo từ ngày {day}.",
                      "{month} has not ended: the form takes reports from {day}."),
    "no_open_months": ("Hiện không có tháng nào đang nhận báo cáo.", "No month is open for reports now."),
    "next_month_opens": ("Tháng {month} nhận báo cáo từ ngày {day}.", "{month} takes reports from {day}."),
    "by_import": ("cơ quan thống kê", "the statistics office"),  # "import": loaded by the office from a data file
    "by_system": ("hệ thống", "the system"),
    "state": ("Tình trạng tháng", "Status of the month"),
    "not_reported": ("Chưa báo cáo", "Not reported yet"),
    "form_title": ("Báo cáo sản lượng sản phẩm công nghiệp tháng {month}",
                   "Industrial production report for {month}"),
    "form_lead": ("Nhập sản lượng tháng của từng sản phẩm theo đơn vị tính ghi bên cạnh. Để trống nếu chưa có "
                  "số liệu; ghi 0 nếu không sản xuất.",
                  "Enter the month's output of each product in the unit shown. Leave a box empty if the figure is "
                  "not known yet; enter 0 for no output."),
    "product": ("Sản phẩm", "Product"),
    "unit": ("Đơn vị tính", "Unit"),
    "last_month": ("Tháng trước", "Last month"),
    "last_year": ("Cùng kỳ năm trước", "Same month last year"),
    "this_month": ("Tháng này", "This month"),
    "comment": ("Ghi chú", "Comment"),
    "expected": ("Thường trong khoảng", "Usually between"),
    "submit": ("Gửi báo cáo", "Submit the report"),
    "confirm": ("Tôi xác nhận số liệu này là đúng", "I confirm this figure is right"),
    "confirm_lead": ("Một số số liệu khác thường so với các tháng trước (gấp 10 lần trở lên hoặc bằng 1/10 trở "
                     "xuống). Hãy kiểm tra đơn vị tính (ví dụ nhập kg thay vì tấn). Nếu số liệu đúng, đánh dấu "
                     "xác nhận và ghi lý do vào ô ghi chú, rồi gửi lại.",
                     "Some figures are unusual compared with earlier months (10 times or more, or a tenth or "
                     "less). Check the unit (kg typed for tonnes?). If a figure is right, tick the confirmation, "
                     "say why in the comment, and submit again."),
    "refused_lead": ("Báo cáo chưa được lưu. Vui lòng sửa các ô được đánh dấu rồi gửi lại.",
                     "The report was not stored. Please correct the marked boxes and submit again."),
    "closed_lead": ("Tháng này đã khóa sổ: báo cáo không thể sửa nữa. Liên hệ cơ quan thống kê nếu cần điều chỉnh.",
                    "This month is closed: the report can no longer be changed. Contact the statistics office "
                    "to correct it."),
    "receipt": ("Biên nhận báo cáo", "Report receipt"),
    "receipt_stored": ("Báo cáo đã được lưu.", "The report has been stored."),
    "receipt_unchanged": ("Báo cáo giống hệt lần gửi trước nên không lưu thêm; lần gửi đã lưu:",
                          "The report is the same as the one already stored, so nothing new was stored; the "
                          "stored version:"),
    "checksum": ("Mã kiểm tra", "Checksum"),
    "lines": ("Số dòng", "Lines"),
    "quantity": ("Sản lượng", "Quantity"),
    "print": ("In biên nhận", "Print the receipt"),
    "back_to_form": ("Quay lại biểu mẫu", "Back to the form"),
    "excel": ("Báo cáo bằng Excel", "Report with Excel"),
    "excel_lead": ("Tải biểu mẫu Excel của tháng, điền sản lượng rồi tải lên lại.",
                   "Download the month's Excel template, fill it in and upload it back."),
    "download_template": ("Tải biểu mẫu Excel", "Download the Excel template"),
    "upload": ("Tải lên", "Upload"),
    "file": ("Tệp Excel đã điền", "The filled Excel file"),
    "file_named": ("Tệp", "File"),
    "cell": ("Ô", "Cell"),
    "choose_month": ("Chọn tháng báo cáo", "Choose the month"),
    "source_portal": ("biểu mẫu trực tuyến", "online form"),
    "source_excel": ("tệp Excel", "Excel file"),
    "source_import": ("nhập từ tệp dữ liệu", "imported from a data file"),
    "source_review": ("thống kê viên điều chỉnh", "corrected by a statistician"),
    "required": ("bắt buộc", "required"),
    "not_a_number": ("không phải là số", "is not a number"),
    "negative": ("không được âm", "must not be negative"),
    "confirmed": ("đã xác nhận", "confirmed"),
    "no_products": ("Doanh nghiệp chưa có sản phẩm trong danh mục; liên hệ cơ quan thống kê.",
                    "The enterprise has no products in the register; contact the statistics office."),
    # -- the statisticians' and admins' pages (review_pages.py): keys rv_… ----------------------------------
    "rv_review": ("Kiểm tra số liệu", "Review"),
    "rv_audit": ("Nhật ký kiểm tra", "Audit log"),
    "rv_users": ("Tài khoản", "Users"),
    "rv_months": ("Các tháng báo cáo", "Reporting months"),
    "rv_months_lead": ("Các tháng có báo cáo gần đây nhất (tối đa 24 tháng), mới nhất trước.",
                       "The latest months with reports (up to 24), newest first."),
    "rv_not_counted": ("–: chỉ đếm số liệu chưa xử lý của 3 tháng chưa khóa sổ gần nhất; xem từng tháng để biết thêm.",
                       "–: open items are counted for the 3 newest open months only; open a month for its queue."),
    "rv_no_months": ("Chưa có báo cáo nào.", "No reports yet."),
    "rv_month_title": ("Kiểm tra số liệu tháng {month}", "Review of {month}"),
    "rv_response_rate": ("Tỷ lệ phản hồi", "Response rate"),
    "rv_response_lead": ("Doanh nghiệp phải báo cáo: những doanh nghiệp có báo cáo trong 3 tháng trước ({months}).",
                         "Expected: the enterprises that reported in any of the 3 months before ({months})."),
    "rv_expected": ("Phải báo cáo", "Expected"),
    "rv_responded": ("Đã báo cáo", "Reported"),
    "rv_unexpected": ("Báo cáo ngoài danh sách (mới hoặc quay lại)", "Reported without being expected (new or back)"),
    "rv_by_industry": ("Theo ngành", "By industry"),
    "rv_by_district": ("Theo quận/huyện", "By district"),
    "rv_industry": ("Ngành", "Industry"),
    "rv_district": ("Quận/huyện", "District"),
    "rv_unregistered": ("(chưa có trong danh mục)", "(not in the register)"),
    "rv_follow_up": ("Doanh nghiệp chưa báo cáo cần đôn đốc", "Enterprises to follow up (not reported yet)"),
    "rv_follow_up_none": ("Tất cả doanh nghiệp phải báo cáo đã báo cáo.", "Every expected enterprise has reported."),
    "rv_enterprise": ("Doanh nghiệp", "Enterprise"),
    "rv_name": ("Tên", "Name"),
    "rv_last_reported": ("Tháng báo cáo gần nhất", "Last month reported"),
    "rv_queue": ("Danh sách số liệu cần kiểm tra", "Review queue"),
    "rv_queue_lead": ("Số liệu khác thường (gấp 10 lần trở lên hoặc bằng 1/10 trở xuống so với trung vị 12 tháng "
                      "trước của doanh nghiệp). Chấp nhận (ghi chú bắt buộc) hoặc sửa (lý do bắt buộc).",
                      "Unusual values (10 times or more, or a tenth or less, of the median of the enterprise's "
                      "12 months before). Accept (a note is required) or correct (a reason is required)."),
    "rv_queue_empty": ("Không có số liệu nào cần kiểm tra.", "Nothing to review."),
    "rv_value": ("Số liệu", "Value"),
    "rv_median": ("Trung vị", "Median"),
    "rv_range": ("Khoảng thông thường", "Usual range"),
    "rv_kind_confirmed": ("doanh nghiệp đã xác nhận", "confirmed by the enterprise"),
    "rv_kind_unconfirmed": ("chưa xác nhận (nhập từ tệp dữ liệu)", "not confirmed (imported from a data file)"),
    "rv_kind_reviewed": ("đã sửa", "corrected"),
    "rv_status_open": ("chưa xử lý", "open"),
    "rv_status_accepted": ("đã chấp nhận", "accepted"),
    "rv_status_corrected": ("đã sửa", "corrected"),
    "rv_open_count": ("Chưa xử lý", "Open"),
    "rv_note": ("Ghi chú (bắt buộc)", "Note (required)"),
    "rv_reason": ("Lý do (bắt buộc)", "Reason (required)"),
    "rv_accept": ("Chấp nhận", "Accept"),
    "rv_correct": ("Sửa", "Correct"),
    "rv_new_quantity": ("Sản lượng đúng", "Right quantity"),
    "rv_by_at": ("{by}, {at}", "{by}, {at}"),
    "rv_close_title": ("Khóa sổ và công bố", "Close and publish"),
    "rv_close_lead": ("Khóa sổ: doanh nghiệp không sửa được báo cáo tháng này nữa; số liệu được tổng hợp và lưu "
                      "thành bản ước tính, công bố vào ngày đã chọn.",
                      "Closing: enterprises can no longer change the month's reports; the month is compiled and "
                      "stored as an estimate, published on the chosen day."),
    "rv_publish_on": ("Ngày công bố", "Publication date"),
    "rv_force": ("Vẫn khóa sổ dù còn {n} số liệu chưa xử lý", "Close although {n} item(s) are still open"),
    "rv_force_reason_label": ("Lý do khóa sổ khi còn số liệu chưa xử lý", "Why close with open items"),
    "rv_close": ("Khóa sổ tháng {month}", "Close {month}"),
    "rv_closure": ("Tháng đã khóa sổ", "The month is closed"),
    "rv_closed_at": ("Khóa sổ lúc", "Closed at"),
    "rv_closed_by": ("Người khóa sổ", "Closed by"),
    "rv_release": ("Bản công bố", "Release"),
    "rv_release_no": ("Bản công bố số {release}.", "Release {release}."),
    "rv_estimate": ("ước tính", "estimate"),
    "rv_published": ("Đã công bố", "Published"),
    "rv_embargoed": ("Chưa công bố: giữ kín đến ngày {day}", "Embargoed until {day}"),
    "rv_revise_title": ("Điều chỉnh số liệu đã khóa sổ", "Revise the closed month"),
    "rv_revise_lead": ("Tổng hợp lại tháng đã khóa sổ cùng các số liệu đã sửa sau khi khóa sổ, lưu thành bản công "
                       "bố mới (các bản trước vẫn được giữ).",
                       "Compile the closed month again with the values corrected since its closing, as a new "
                       "release (the earlier releases are kept)."),
    "rv_revise": ("Điều chỉnh tháng {month}", "Revise {month}"),
    "rv_closed_correct_lead": ("Tháng đã khóa sổ: sửa số liệu là điều chỉnh, có hiệu lực trong bản công bố sau.",
                               "The month is closed: a correction is a revision, published with the next release."),
    "rv_done_accept": ("Đã chấp nhận số liệu.", "The value was accepted."),
    "rv_done_correct": ("Đã sửa số liệu (lưu thành lần gửi mới; bản gốc vẫn được giữ).",
                        "The value was corrected (stored as a new version; the original is kept)."),
    "rv_done_revision": ("Đã điều chỉnh số liệu của tháng đã khóa sổ; số liệu công bố thay đổi khi điều chỉnh tháng.",
                         "The closed month's value was revised; the published figures change when the month is "
                         "revised."),
    "rv_done_close": ("Đã khóa sổ và lưu bản ước tính.", "The month is closed and its estimate stored."),
    "rv_done_revise": ("Đã tổng hợp lại tháng.", "The month was compiled again."),
    "rv_done_user_added": ("Đã tạo tài khoản.", "The account was created."),
    "rv_done_user_deactivated": ("Đã khóa tài khoản.", "The account was deactivated."),
    "rv_done_user_reactivated": ("Đã mở lại tài khoản.", "The account was reactivated."),
    "rv_reactivate": ("Mở lại", "Reactivate"),
    "rv_done_password_reset": ("Đã đặt lại mật khẩu.", "The password was reset."),
    "rv_open_items": ("Còn số liệu chưa xử lý: chấp nhận hoặc sửa từng số liệu, hoặc đánh dấu «vẫn khóa sổ» và "
                      "ghi lý do.",
                      "Open items remain: accept or correct each, or tick «close although» and say why."),
    "rv_already_closed": ("Tháng đã khóa sổ.", "The month is closed already."),
    "rv_already_decided": ("Số liệu đã được chấp nhận.", "The value is accepted already."),
    "rv_not_in_queue": ("Số liệu không có trong danh sách cần kiểm tra.", "The value is not in the review queue."),
    "rv_tree_missing": ("Chưa có danh mục ngành để tổng hợp.", "The industry tree is missing."),
    "rv_not_closed": ("Tháng chưa khóa sổ.", "The month is not closed."),
    "rv_compile_failed": ("Không tổng hợp được số liệu.", "The compile failed."),
    "rv_bad_code": ("Mã «{name}» không hợp lệ.", "The code «{name}» is not valid."),
    "rv_note_required": ("Cần ghi chú lý do chấp nhận.", "A note is required: say why the value is right."),
    "rv_reason_required": ("Cần ghi lý do.", "A reason is required."),
    "rv_quantity_required": ("Cần nhập sản lượng đúng.", "Enter the right quantity."),
    "rv_force_reason": ("Khóa sổ khi còn số liệu chưa xử lý cần ghi lý do.",
                        "Closing with open items needs a reason."),
    "rv_too_long": ("Dài quá {n} ký tự.", "Longer than {n} characters."),
    "rv_bad_date": ("Ngày «{text}» không hợp lệ: chọn ngày trên lịch.", "«{text}» is not a date: pick a day."),
    "rv_passwords_differ_fix": ("Nhập lại hai lần giống nhau.", "Type the same password twice."),
    "rv_not_open_close": ("Tháng {month} chưa kết thúc nên chưa thể khóa sổ; có thể khóa sổ từ ngày {day}.",
                          "{month} has not ended, so it cannot be closed yet; it may be closed from {day}."),
    "rv_published_by_release": ("Tháng đã được công bố ngày {day} (bản công bố số {release}).",
                                "The month was published on {day} (release {release})."),
    "rv_all_months": ("Tất cả các tháng", "All months"),
    "rv_when": ("Thời điểm", "When"),
    "rv_who": ("Người thực hiện", "Who"),
    "rv_action": ("Thao tác", "Action"),
    "rv_old": ("Số cũ", "Old value"),
    "rv_new": ("Số mới", "New value"),
    "rv_why": ("Lý do", "Why"),
    "rv_audit_empty": ("Nhật ký trống.", "The log is empty."),
    "rv_action_accept": ("chấp nhận", "accept"),
    "rv_action_correct": ("sửa", "correct"),
    "rv_action_close": ("khóa sổ", "close"),
    "rv_action_revise": ("điều chỉnh", "revise"),
    "rv_action_skip": ("bỏ qua tháng", "month skipped"),
    # issue 12: account events (portal/accounts.py ACCOUNT_ACTIONS)
    "rv_action_login": ("đăng nhập", "login"),
    "rv_action_login_failed": ("đăng nhập thất bại", "failed login"),
    "rv_action_logout": ("đăng xuất", "logout"),
    "rv_action_user_add": ("thêm tài khoản", "user added"),
    "rv_action_user_deactivate": ("khóa tài khoản", "user deactivated"),
    "rv_action_user_reactivate": ("mở lại tài khoản", "user reactivated"),
    "rv_action_password_reset": ("đặt lại mật khẩu", "password reset"),
    "rv_action_sessions_purge": ("xóa phiên hết hạn", "expired sessions purged"),
    "rv_show": ("Xem", "Show"),
    "rv_role": ("Vai trò", "Role"),
    "rv_active": ("Đang hoạt động", "Active"),
    "rv_yes": ("có", "yes"),
    "rv_no": ("không", "no"),
    "rv_add_user": ("Tạo tài khoản", "Add an account"),
    "rv_deactivate": ("Khóa tài khoản", "Deactivate"),
    "rv_reset_password": ("Đặt lại mật khẩu", "Reset the password"),
    "rv_new_password": ("Mật khẩu mới", "New password"),
    "rv_passwords_differ": ("Hai lần nhập mật khẩu không giống nhau.", "The two passwords differ."),
    "rv_password_again": ("Nhập lại mật khẩu", "The password again"),
    "rv_enterprise_code": ("Mã doanh nghiệp (tài khoản doanh nghiệp)", "Enterprise code (enterprise accounts)"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The portal's wording ``key`` in ``lang`` (vi or en), with ``{name}`` filled from ``values``."""
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def number(value: float | None, lang: str) -> str:
    """A quantity as the form shows it: up to 3 decimals, no trailing zeros, "–" when not reported."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    decimals = 0 if float(value).is_integer() else 3
    text = format_number(value, decimals, lang)
    if decimals:
        mark = "," if lang == "vi" else "."
        text = text.rstrip("0").rstrip(mark)
    return text


def local_time(value: dt.datetime | None, lang: str = "vi") -> str:
    """A stored UTC time as Vietnam's local time, as ``lang`` writes it: "05/04/2021 09:30" / "5 April 2021,
    09:30" (:func:`vnindustry.web.dates.format_datetime`)."""
    return format_datetime(value, lang)


def formats(lang: str) -> messages.Formats:
    """How the portal writes months, days and numbers in ``lang`` (for :mod:`vnindustry.portal.messages`)."""
    return messages.Formats(month=lambda p: format_month(p, lang), day=lambda d: format_date(d, lang),
                            number=lambda v: number(v, lang))


def say(error: object, lang: str) -> str:
    """A refusal of the portal's rules in ``lang``: a problem dict (``code``, ``params``, ``message``, ``fix``,
    ``field``) or an exception with ``code`` and ``params`` (ReviewError, AccountError …)."""
    if isinstance(error, dict):
        message = str(error.get("message", ""))
        cell = error.get("cell")
        if cell and message.startswith(f"{cell}: "):  # excel.locate prefixes the cell; the page shows it apart
            message = message[len(cell) + 2:]
        return messages.localize(error.get("code"), error.get("params"), lang, message=message,
                                 fix=error.get("fix"), fmt=formats(lang), field=error.get("field"))
    fix = getattr(error, "fix", None) or getattr(error, "extra", {}).get("fix")
    message = getattr(error, "message", None) or str(error)
    return messages.localize(getattr(error, "code", None), getattr(error, "params", None), lang,
                             message=str(message), fix=fix, fmt=formats(lang))


def state_label(state: MonthState, lang: str) -> str:
    """A month's state in words: "Đã công bố ngày 07/12/2026", "Đang nhận báo cáo" …"""
    day = state.publish_on if state.closed else state.opens_on
    return t(f"state_{state.state}", lang, day=format_date(day, lang))


def person(username: str, lang: str) -> str:
    """Who did it, in words: a user name, or what "import" / "system" mean."""
    return {"import": t("by_import", lang), "system": t("by_system", lang)}.get(username, username)


def lang_of(request: Request) -> str:
    """The page's language: ``?lang=en`` or a form field ``lang=en``; Vietnamese otherwise."""
    return "en" if request.query_params.get("lang") == "en" else "vi"


def with_lang(path: str, lang: str) -> str:
    """``path`` in ``lang`` (the default, vi, needs no parameter)."""
    if lang != "en":
        return path
    return path + ("&" if "?" in path else "?") + "lang=en"


_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["j2", "html"]), trim_blocks=True, lstrip_blocks=True)
_env.filters["gso"] = gso_style  # names from the register in GSO's diacritic style ("hóa", "thủy")


def render(request: Request, template: str, *, lang: str, user: Account | None = None, csrf: str = "",
           http_status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``templates/portal/<template>`` with the wording, user and CSRF token."""
    path_lang = request.url.path
    body = _env.get_template(f"portal/{template}").render(
        lang=lang, t=lambda key, **v: t(key, lang, **v), user=user, csrf=csrf, csrf_field=CSRF_FIELD,
        number=lambda v: number(v, lang), local_time=lambda v: local_time(v, lang), portal=PORTAL,
        day=lambda d: format_date(d, lang), month_label=lambda p: month_label(p, lang),
        state_label=lambda s: state_label(s, lang), person=lambda u: person(u, lang),
        url=lambda path: with_lang(path, lang),
        # Products and units from the register are Vietnamese; an English page prints the English names.
        product=lambda name: name_in(name, lang) if lang == "en" else gso_style(name or ""),
        unit=lambda u: unit_in(u or "", lang),
        toggle_url=with_lang(path_lang, "en" if lang == "vi" else "vi"), **context)
    return HTMLResponse(body, status_code=http_status, headers={**HEADERS, "Content-Language": lang})


# -- who is asking --------------------------------------------------------------------------------------
class LoginRequired(Exception):
    """Raised by :func:`page_user` for an anonymous visitor: answered with a redirect to the login page."""

    def __init__(self, next_url: str, lang: str = "vi") -> None:
        self.next_url = next_url
        self.lang = lang
        super().__init__(next_url)


def _next_of(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def safe_next(value: str | None) -> str:
    """A ``next`` URL that stays on this site's portal (no open redirect); the portal's home otherwise."""
    if not value:
        return PORTAL
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith(PORTAL) or value.startswith("//") or "\\" in value:
        return PORTAL
    return value


def login_redirect(next_url: str, lang: str = "vi") -> RedirectResponse:
    """303 to the login page (in ``lang``), coming back to ``next_url`` after logging in."""
    return RedirectResponse(with_lang(f"{LOGIN}?next={quote(safe_next(next_url), safe='/')}", lang),
                            status_code=303, headers={"Cache-Control": "no-store"})


def refusal(request: Request, status: int, message: str, *, code: str, title: str | None = None,
            slug: str | None = None, **params: object) -> Problem:
    """A :class:`Problem` of a portal page (English ``message`` for API clients), its ``code`` and ``params``
    kept on the request so :func:`html_error` says it in the page's language."""
    request.state.portal_refusal = (code, params)
    return Problem(status, message, title=title, slug=slug)


def known_enterprise(request: Request, engine: Any, enterprise: str) -> str:
    """The enterprise's name from the register; 404 (said in the page's language) when it is not there."""
    from vnindustry.portal.receipts import enterprise_name

    name = enterprise_name(engine, enterprise)
    if name is None:
        raise refusal(request, 404, f"enterprise '{enterprise}' is not in the register", slug="unknown-enterprise",
                      code="unknown_enterprise", enterprise=enterprise)
    return name


def page_user(request: Request, *roles: str) -> tuple[Account, str]:
    """The logged-in account and its session's CSRF token; anonymous → :class:`LoginRequired` (a redirect to
    the login page), a role not in ``roles`` (when given) → 403."""
    try:
        session = auth.current_session(request)
    except Problem as exc:
        if exc.status == 401:
            raise LoginRequired(_next_of(request), lang_of(request)) from None
        raise
    if roles and session.account.role not in roles:
        lang = lang_of(request)
        raise refusal(request, 403, f"this page needs the role {' or '.join(roles)}; you are {session.account.role}",
                      title="Forbidden", code="wrong_role", role=role_name(session.account.role, lang),
                      roles=(" hoặc " if lang == "vi" else " or ").join(role_name(r, lang) for r in roles))
    return session.account, session.csrf_token


def enterprise_page_user(request: Request, enterprise_id: str) -> tuple[Account, str]:
    """:func:`page_user` for a page of enterprise ``enterprise_id``: its own account, statisticians, admins."""
    user, csrf = page_user(request)
    if user.role == "enterprise" and user.enterprise != enterprise_id:
        request.state.portal_refusal = ("other_enterprise", {})
    auth.ensure_enterprise_access(user, enterprise_id)
    return user, csrf


async def read_form(request: Request, *, max_size: int = MAX_FORM) -> dict[str, str]:
    """The body of an ``application/x-www-form-urlencoded`` POST as a dict (the last value of a repeated
    field wins; checkboxes named alike are read with :func:`form_list`). 415 for another type, 413 over
    ``max_size``."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise refusal(request, 415, "send the form as application/x-www-form-urlencoded (an HTML form)",
                      title="Unsupported media type", code="form_type")
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > max_size):
        raise refusal(request, 413, f"the form is larger than {max_size // 1024} KiB", title="Content too large",
                      code="form_too_large", max=max_size // 1024)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_size:
            raise refusal(request, 413, f"the form is larger than {max_size // 1024} KiB",
                          title="Content too large", code="form_too_large", max=max_size // 1024)
    from urllib.parse import parse_qsl

    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=5000)
    except (UnicodeDecodeError, ValueError):
        raise refusal(request, 400, "the form could not be read (UTF-8 form fields expected)",
                      code="form_unreadable") from None
    request.state.form_pairs = pairs
    return dict(pairs)


def form_list(request: Request, name: str) -> list[str]:
    """Every value of field ``name`` of the form read by :func:`read_form` (checkboxes)."""
    return [v for k, v in getattr(request.state, "form_pairs", []) if k == name]


def check_form_csrf(form: dict[str, str], csrf: str, request: Request | None = None) -> None:
    """403 unless the form's hidden ``csrf_token`` is the session's token."""
    sent = form.get(CSRF_FIELD, "")
    if not sent or not hmac.compare_digest(sent.encode("utf-8"), csrf.encode("utf-8")):
        detail = "the form's security token is missing or out of date; reload the page and send it again"
        if request is not None:
            raise refusal(request, 403, detail, title="Forbidden", slug="csrf", code="csrf")
        raise Problem(403, detail, title="Forbidden", slug="csrf")


def engine_of(request: Request) -> Engine:
    """The store's engine (the portal writes through it; the public view is only for reading)."""
    return request.app.state.api.store.engine  # type: ignore[no-any-return]


def html_error(request: Request, status: int, detail: str, title: str) -> Response | None:
    """A problem as an HTML page for a browser on a portal page; None for other clients (problem+json)."""
    if not request.url.path.startswith(PORTAL) or "text/html" not in request.headers.get("accept", ""):
        return None
    lang = lang_of(request)
    if lang == "vi":
        # Never the English detail on a Vietnamese page: the refusal's own words when a portal route named its
        # kind (refusal()), else the status's.
        vi_title, vi_detail = messages.VI_STATUS.get(status, messages.VI_STATUS[500 if status >= 500 else 400])
        known = getattr(request.state, "portal_refusal", None)
        if known is not None:
            code, params = known
            vi_detail = messages.localize(code, params, "vi", message=detail, fix=None, fmt=formats("vi"),
                                          status=status)
        elif status in (400, 422) and detail:
            vi_detail += f" ({detail})"  # another layer's check (a path parameter): the value it names, as sent
        title, detail = vi_title, vi_detail
    return render(request, "error.html.j2", lang=lang, http_status=status, status_code=status, title=title,
                  detail=detail)


def month_label(period: str, lang: str) -> str:
    """A month after the word "tháng"/"Tháng": "3/2021" (vi) / "March 2021" (en)
    (:func:`vnindustry.web.dates.format_month`)."""
    return format_month(period, lang)


def role_name(role: str, lang: str) -> str:
    return t(f"role_{role}", lang)


def status_only(response: Response) -> Response:
    """``response`` with the portal's security headers (for redirects and files)."""
    for k, v in HEADERS.items():
        response.headers.setdefault(k, v)
    return response
