"""The portal's refusals in Vietnamese: a catalogue keyed by the kind of error (issue 13).

Every refusal the portal's rules raise carries a ``code`` (the kind of error: ``invalid_quantity``,
``month_not_over`` …) and ``params`` (the values it names: the text typed, the month, the cell's limit …):
the problems of :class:`~vnindustry.portal.reports.ReportRejected` and
:class:`~vnindustry.portal.excel.TemplateError` as keys of each problem, a
:class:`~vnindustry.portal.review.ReviewError` or :class:`~vnindustry.portal.accounts.AccountError` as
attributes. The English text is the one raised (the API's ``message`` and ``fix``, one source); the Vietnamese
one is here, :data:`VI`, ``code`` (or ``code.kind`` when ``params["kind"]`` picks a variant) → (what is wrong,
what to do). A Vietnamese page never shows the English sentence: :func:`localize` falls back to a Vietnamese
sentence per field, and a test checks that every code raised in ``portal/`` has its entry.

Formatting of the values (months, days, numbers) is the caller's (:class:`Formats`), so this module needs no
web code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# code[.kind] → (message, fix); ``{name}`` placeholders are filled from the problem's params.
VI: dict[str, tuple[str, str]] = {
    # -- a report (portal/reports.py) -------------------------------------------------------------------
    "invalid_period": ("«{text}» không phải là tháng báo cáo.", "Ghi tháng theo dạng năm-tháng, ví dụ 2025-03."),
    "future_period": ("Tháng {month} chưa bắt đầu.", "Chỉ báo cáo tháng đã kết thúc."),
    "month_not_open": ("Tháng {month} chưa kết thúc nên chưa nhận báo cáo.",
                       "Báo cáo từ ngày {opens} (ngày đầu tháng sau)."),
    "invalid_lines": ("Báo cáo không đọc được (danh sách dòng không hợp lệ).",
                      "Gửi mỗi sản phẩm một dòng: mã sản phẩm, sản lượng, ghi chú."),
    "empty_report": ("Báo cáo chưa có số liệu nào.", "Nhập ít nhất một sản phẩm (ghi 0 nếu không sản xuất)."),
    "empty_report.workbook": ("Tệp chưa điền sản lượng nào.",
                              "Nhập sản lượng của ít nhất một sản phẩm (ghi 0 nếu không sản xuất)."),
    "too_many_lines": ("Báo cáo có {n} dòng, nhiều hơn mức tối đa {max}.", "Gửi mỗi sản phẩm một dòng."),
    "invalid_line": ("Dòng không đọc được.", "Gửi mỗi dòng gồm mã sản phẩm, sản lượng, ghi chú."),
    "invalid_product": ("Thiếu mã sản phẩm.", "Ghi mã sản phẩm như trên biểu mẫu."),
    "invalid_quantity": ("Sản lượng không hợp lệ.",
                         "Chỉ nhập số ≥ 0 theo đơn vị tính (0 nếu không sản xuất; để trống nếu chưa có số liệu)."),
    "invalid_quantity.missing": ("Thiếu sản lượng.", "Nhập sản lượng theo đơn vị tính (0 nếu không sản xuất)."),
    "invalid_quantity.not_a_number": ("«{value}» không phải là số.",
                                      "Chỉ nhập số theo đơn vị tính, không kèm đơn vị hay chữ (0 nếu không sản "
                                      "xuất; để trống nếu chưa có số liệu)."),
    "invalid_quantity.not_finite": ("«{value}» không phải là một số hữu hạn.", "Nhập sản lượng là một số ≥ 0."),
    "invalid_quantity.negative": ("Sản lượng {value} là số âm.", "Sản lượng phải là số ≥ 0."),
    "invalid_quantity.boolean": ("«{value}» là giá trị đúng/sai, không phải là số.",
                                 "Chỉ nhập số theo đơn vị tính."),
    "invalid_quantity.date": ("«{value}» là ngày hoặc giờ, không phải là số (Excel có thể đã tự đổi số thành "
                              "ngày).", "Định dạng ô là số (Number) rồi nhập lại sản lượng."),
    "invalid_quantity.cell_error": ("Ô đang báo lỗi {value}.", "Sửa công thức hoặc nhập trực tiếp sản lượng."),
    "implausible_quantity": ("Sản lượng {value} vượt ngưỡng hợp lý {ceiling} cho một sản phẩm trong một tháng "
                             "(thiết lập max_quantity).", "Kiểm tra đơn vị tính và các chữ số."),
    "invalid_comment": ("Ghi chú không hợp lệ.", "Ghi chú là một đoạn chữ."),
    "invalid_comment.too_long": ("Ghi chú dài {n} ký tự, quá mức tối đa {max}.", "Rút ngắn ghi chú."),
    "duplicate_product": ("Sản phẩm {product} đã có ở dòng {line}.", "Mỗi sản phẩm chỉ ghi một lần."),
    "unknown_enterprise": ("Không có doanh nghiệp mã «{enterprise}» trong danh mục.", "Kiểm tra mã doanh nghiệp."),
    # Supporting-industry linkage (issue 14, web/linkage_portal.py)
    "unknown_need": ("Nhu cầu {need} không thuộc doanh nghiệp này.",
                     "Mở nhu cầu từ danh sách nhu cầu của doanh nghiệp."),
    "not_participant": ("Doanh nghiệp không tham gia sự kiện {event}.",
                        "Đăng ký tham gia tại trang «Sự kiện kết nối» của doanh nghiệp (sự kiện sắp diễn ra)."),
    "not_counterpart": ("«{who}» không phải đối tác có thể gặp tại sự kiện này.",
                        "Chọn đối tác trong danh sách của sự kiện."),
    "past_event": ("Sự kiện đã diễn ra nên không nhận đề nghị gặp mới.", "Ghi nhận kết quả các cuộc gặp đã có."),
    "not_met": ("Chưa có cuộc gặp với «{who}» tại sự kiện này để ghi nhận kết quả.",
                "Chọn một cuộc gặp trong lịch gặp của doanh nghiệp."),
    "bad_priority": ("Mức ưu tiên không hợp lệ.", "Chọn 1 (thấp), 2 hoặc 3 (cao)."),
    "bad_registration": ("Vai trò hoặc ngôn ngữ đăng ký không hợp lệ.",
                         "Chọn bên mua hoặc nhà cung cấp và các ngôn ngữ trong danh sách của biểu mẫu."),
    "bad_outcome": ("Thời điểm hoặc kết quả không hợp lệ.", "Chọn trong danh sách của biểu mẫu."),
    "bad_value": ("Giá trị đơn hàng không phải là số.", "Nhập số tiền bằng đồng, ví dụ 2.500.000.000."),
    # Business connection requests (issue 14, item 6; web/connect_portal.py)
    "connect_unknown_request": ("Không có đề nghị kết nối {code_of} của doanh nghiệp này.",
                                "Mở đề nghị từ danh sách đề nghị kết nối."),
    "connect_closed": ("Đề nghị {code_of} đã được rút nên không ghi nhận thêm.",
                       "Doanh nghiệp gửi đề nghị mới nếu cần."),
    "connect_not_routed": ("Đề nghị {code_of} không được chuyển đến chương trình này.",
                           "Chọn một chương trình trong danh sách «Chuyển đến» của đề nghị."),
    "connect_bad_order": ("Bước này không thể tiếp theo các bước trước của đề nghị {code_of}.",
                          "Ghi nhận theo thứ tự: đã chuyển → được chấp thuận → đã giải ngân (hoặc không được "
                          "chấp thuận)."),
    "connect_not_credit": ("Đề nghị {code_of} không phải đề nghị vay vốn nên không có giải ngân.",
                           "Chỉ ghi nhận chấp thuận hoặc không chấp thuận."),
    "connect_needs_amount": ("Giải ngân cần số tiền.", "Nhập số tiền giải ngân bằng đồng, ví dụ 2.000.000.000."),
    "connect_bad_date": ("«{text}» không phải ngày.", "Viết ngày theo dạng YYYY-MM-DD."),
    "unknown_product": ("Mã sản phẩm «{product}» không có trong danh mục.",
                        "Dùng mã sản phẩm trên biểu mẫu của doanh nghiệp."),
    "product_not_allowed": ("Sản phẩm {product} không thuộc danh mục của doanh nghiệp {enterprise} và không thuộc "
                            "ngành của doanh nghiệp.",
                            "Chỉ báo cáo sản phẩm của doanh nghiệp; đề nghị cơ quan thống kê bổ sung sản phẩm mới "
                            "vào danh mục."),
    "month_closed": ("Tháng {month} đã khóa sổ: báo cáo không thể sửa nữa.",
                     "Liên hệ cơ quan thống kê nếu cần điều chỉnh."),
    # -- the Excel upload (portal/excel.py, web/excel_reports.py) -----------------------------------------
    "not_a_template": ("Tệp không phải là biểu mẫu báo cáo.",
                       "Tải biểu mẫu Excel của doanh nghiệp cho tháng này, điền vào các ô màu vàng rồi tải "
                       "lên chính tệp đó."),
    "not_a_template.damaged": ("Tệp bị hỏng: không đọc được như một bảng tính .xlsx.", ""),
    "not_a_template.too_many_files": ("Bảng tính chứa {n} tệp, nhiều hơn một biểu mẫu báo cáo ({max}).", ""),
    "not_a_template.empty": ("Tệp rỗng.", ""),
    "not_a_template.xls": ("Đây là bảng tính Excel 97-2003 (.xls) cũ, không phải biểu mẫu .xlsx.", ""),
    "not_a_template.not_xlsx": ("Đây không phải là bảng tính Excel (.xlsx).", ""),
    "not_a_template.unreadable": ("Không đọc được tệp như một bảng tính .xlsx.", ""),
    "not_a_template.no_metadata": ("Bảng tính không phải là biểu mẫu báo cáo của cổng (thiếu trang thông tin "
                                   "ẩn của biểu mẫu).", ""),
    "not_a_template.old_version": ("Bảng tính là biểu mẫu cũ (phiên bản {version}), không phải biểu mẫu hiện "
                                   "hành.", ""),
    "not_a_template.bad_metadata": ("Thông tin ẩn của biểu mẫu bị hỏng (không đọc được doanh nghiệp, tháng hoặc "
                                    "bố cục).", ""),
    "upload_too_large": ("Tệp quá lớn.", "Tải lên biểu mẫu báo cáo, chỉ điền các ô màu vàng."),
    "upload_too_large.unzipped": ("Bảng tính giải nén ra {total} byte, nhiều hơn mức cho phép {cap} byte "
                                  "(thiết lập upload_max_unzipped_bytes).",
                                  "Tải lên biểu mẫu báo cáo, chỉ điền các ô màu vàng; một báo cáo tháng chỉ vài "
                                  "kilobyte."),
    "upload_too_large.ratio": ("Phần {name} của tệp giải nén gấp {ratio} lần (quá {max} lần): tệp nén bất "
                               "thường, không phải báo cáo.", "Tải lên biểu mẫu đúng như Excel đã lưu."),
    "upload_too_large.declared_cells": ("Trang «{sheet}» khai báo {n} ô, nhiều hơn mức cho phép {cap} ô (thiết "
                                        "lập upload_max_cells).",
                                        "Tải lên biểu mẫu báo cáo, chỉ điền các ô màu vàng."),
    "upload_too_large.rows": ("Trang «{sheet}» có hơn {max} dòng dưới tiêu đề (thiết lập upload_max_rows); phần "
                              "còn lại không được đọc.", "Tải lên biểu mẫu, mỗi sản phẩm một dòng như khi tải về."),
    "upload_too_large.cells": ("Trang «{sheet}» có hơn {max} ô dưới tiêu đề (thiết lập upload_max_cells); phần "
                               "còn lại không được đọc.", "Tải lên biểu mẫu, mỗi sản phẩm một dòng như khi tải về."),
    "upload_too_large.body": ("Tệp tải lên lớn hơn {max} MB; một biểu mẫu báo cáo nhỏ hơn nhiều.",
                              "Tải lên biểu mẫu báo cáo đã điền."),
    "uncalculated_formula": ("Công thức {formula} chưa được tính ra giá trị.",
                             "Mở tệp bằng Excel hoặc LibreOffice để tính, lưu lại rồi tải lên lần nữa — hoặc nhập "
                             "trực tiếp con số."),
    "outside_table": ("«{value}» nằm ngoài bảng nên sẽ không được đọc.",
                      "Chuyển nội dung vào ô ghi chú ({target}) hoặc xóa đi."),
    "control_character": ("Có ký tự điều khiển U+{codepoint} ở vị trí {position}.",
                          "Xóa ký tự đó (dấu tab và xuống dòng trong ghi chú vẫn được)."),
    "missing_product": ("Có số liệu hoặc ghi chú trên một dòng không có mã sản phẩm.",
                        "Chỉ nhập số liệu trên các dòng sản phẩm của biểu mẫu."),
    "comment_without_quantity": ("Có ghi chú nhưng chưa nhập sản lượng.",
                                 "Nhập sản lượng vào ô {target}, hoặc xóa ghi chú."),
    "wrong_template": ("Tệp {file} là biểu mẫu của doanh nghiệp {found_enterprise} cho tháng {found_period}, "
                       "không phải của {enterprise} cho tháng {period}.", "Tải biểu mẫu của tháng này."),
    "missing_file": ("Chưa chọn tệp.", "Chọn tệp Excel đã điền rồi tải lên."),
    "unreadable_upload": ("Không đọc được nội dung gửi lên.", "Chọn lại tệp rồi tải lên lần nữa."),
    # -- the review and closing (portal/review.py) --------------------------------------------------------
    "invalid_month": ("«{text}» không phải là tháng.", "Ghi tháng theo dạng năm-tháng, ví dụ 2025-03."),
    "reason_required": ("Cần ghi lý do.", "Ghi rõ lý do."),
    "reason_required.note": ("Cần ghi chú lý do chấp nhận.", "Ghi rõ vì sao số liệu là đúng."),
    "reason_required.force": ("Khóa sổ khi chưa đủ điều kiện cần ghi lý do.", "Ghi rõ lý do vẫn khóa sổ."),
    "reason_required.skip": ("Bỏ qua tháng {month} cần ghi lý do.", "Ghi rõ lý do bỏ qua."),
    "reason_too_long": ("Lý do dài quá {max} ký tự.", "Rút ngắn lý do."),
    "not_in_queue": ("Số liệu {enterprise}/{product} tháng {month} không có trong danh sách cần kiểm tra.",
                     "Tải lại trang để xem danh sách hiện tại."),
    "no_line": ("Doanh nghiệp {enterprise} không có dòng {product} trong báo cáo tháng {month}.",
                "Kiểm tra mã doanh nghiệp và mã sản phẩm."),
    "already_decided": ("Số liệu {enterprise}/{product} tháng {month} đã được chấp nhận (người chấp nhận: {by}).",
                        ""),
    "already_closed": ("Tháng {month} đã khóa sổ.", "Muốn công bố số liệu đã sửa thì điều chỉnh tháng."),
    "already_published": ("Tháng {month} đã được công bố (tính như đã khóa sổ).",
                          "Muốn công bố số liệu đã sửa thì điều chỉnh tháng."),
    "invalid_review_quantity": ("Sản lượng «{value}» không hợp lệ.", "Nhập số ≥ 0 theo đơn vị tính."),
    "same_value": ("Số liệu {enterprise}/{product} tháng {month} đã là {value}.",
                   "Không có gì để sửa; nếu số liệu đúng thì chấp nhận."),
    "same_value.closed": ("Số liệu {enterprise}/{product} tháng {month} đã là {value}.", "Không có gì để điều chỉnh."),
    "publish_on_not_date": ("Ngày công bố không hợp lệ.", "Chọn ngày công bố."),
    "publish_date_past": ("Ngày công bố {day} đã qua (hôm nay là {today}): công bố lùi ngày sẽ làm sai lịch sử "
                          "số liệu đã biết vào những ngày đó.", "Chọn ngày {today} hoặc muộn hơn."),
    "month_not_over": ("Chưa thể khóa sổ tháng {month} trước ngày {opens} (hôm nay là {today}): tháng chưa kết "
                       "thúc hoặc chưa đến kỳ khóa sổ (thiết lập close_opens_day).",
                       "Khóa sổ tháng {month} từ ngày {opens}."),
    "published_later": ("Tháng {later} đã công bố và bản công bố đó có số liệu tháng {month}: khóa sổ tháng "
                        "{month} bây giờ là đi ngược thời gian.",
                        "Điều chỉnh số liệu đã công bố (sửa báo cáo tháng {month} rồi điều chỉnh tháng {later})."),
    "no_reports": ("Chưa có doanh nghiệp nào báo cáo tháng {month}: không có gì để khóa sổ.",
                   "Chờ các báo cáo (hoặc nhập từ tệp dữ liệu) rồi khóa sổ."),
    "no_reports.revise": ("Chưa có báo cáo nào của tháng {month}, tháng công bố gần nhất: điều chỉnh sẽ làm mất "
                          "tháng đó.", "Nhập các báo cáo của tháng {month} trước."),
    "skip_not_open": ("Tháng bỏ qua {months} không phải là tháng chưa khóa sổ trước tháng {month}.",
                      "Chỉ bỏ qua các tháng chưa khóa sổ trước tháng {month}: {between}."),
    "open_months_before": ("Khóa sổ tháng {month} sẽ bỏ qua {n} tháng trước chưa khóa sổ: {months}.",
                           "Khóa sổ các tháng đó trước (tháng cũ trước), hoặc bỏ qua từng tháng và ghi lý do."),
    "publish_before_earlier": ("Ngày công bố {day} trước ngày công bố tháng {period} ({earliest}), tháng có số "
                               "liệu được công bố lại trong bản này.", "Chọn ngày {earliest} hoặc muộn hơn."),
    "tree_missing": ("Chưa có danh mục ngành để tổng hợp.", "Nạp danh mục ngành (vnindustry import-dataset)."),
    "open_items": ("Còn {n} số liệu chưa xử lý trong danh sách cần kiểm tra tháng {month}: {names}.",
                   "Chấp nhận hoặc sửa từng số liệu, hoặc đánh dấu «vẫn khóa sổ» và ghi lý do."),
    "low_response": ("Tỷ lệ trả lời tháng {month} theo giá trị năm gốc là {rate}, thấp hơn mức tối thiểu "
                     "{minimum} (thiết lập close_min_response).",
                     "Đôn đốc các doanh nghiệp chưa báo cáo (danh sách ở trên), hoặc đánh dấu «vẫn khóa sổ» và "
                     "ghi lý do."),
    "not_closed": ("Tháng {month} chưa khóa sổ: tháng chưa khóa sổ không cần điều chỉnh, báo cáo vẫn sửa được.",
                   "Khóa sổ tháng {month}."),
    "compile_failed": ("Không tổng hợp được số liệu: {detail}", "Kiểm tra dữ liệu trong kho rồi thử lại."),
    # -- accounts (portal/accounts.py, the admin's pages) -------------------------------------------------
    "invalid_username": ("«{name}» không phải là tên đăng nhập hợp lệ.",
                         "Dùng 1–150 ký tự: chữ a–z, chữ số và . _ @ - (bắt đầu bằng chữ hoặc số)."),
    "unknown_role": ("Vai trò «{role}» không có.", "Chọn doanh nghiệp, thống kê viên hoặc quản trị."),
    "enterprise_required": ("Tài khoản doanh nghiệp cần mã doanh nghiệp.", "Nhập mã doanh nghiệp."),
    "enterprise_not_allowed": ("Tài khoản {role} không gắn với doanh nghiệp.", "Để trống mã doanh nghiệp."),
    "unknown_account_enterprise": ("Không có doanh nghiệp mã «{enterprise}» trong danh mục.",
                                   "Dùng mã doanh nghiệp có trong danh mục."),
    "user_exists": ("Tên đăng nhập «{name}» đã có.", "Chọn tên khác."),
    "password_short": ("Mật khẩu có {n} ký tự; cần ít nhất {min}.",
                       "Chọn mật khẩu dài hơn (vài từ không liên quan nhau là một mật khẩu tốt)."),
    "password_long": ("Mật khẩu dài quá {max} ký tự.", "Chọn mật khẩu ngắn hơn."),
    "unknown_user": ("Không có tài khoản «{name}».", "Kiểm tra tên đăng nhập."),
    "last_admin": ("«{name}» là tài khoản quản trị cuối cùng đang hoạt động.",
                   "Tạo hoặc mở lại một tài khoản quản trị khác trước."),
    # -- the pages themselves (web/portal_*.py, web/auth.py) ----------------------------------------------
    "no_report": ("Không có báo cáo tháng {month} của doanh nghiệp {enterprise}{version}: báo cáo chưa được lưu.",
                  ""),
    "wrong_role": ("Trang này dành cho {roles}; tài khoản của bạn là {role}.", ""),
    "other_enterprise": ("Tài khoản này chỉ xem được báo cáo của doanh nghiệp mình.", ""),
    "csrf": ("Mã bảo mật của biểu mẫu bị thiếu hoặc đã hết hạn.", "Tải lại trang rồi gửi lại."),
    "form_too_large": ("Biểu mẫu gửi lên lớn hơn {max} KiB.", ""),
    "form_type": ("Biểu mẫu phải được gửi từ trang của cổng.", "Tải lại trang rồi gửi lại."),
    "form_unreadable": ("Không đọc được biểu mẫu gửi lên.", "Tải lại trang rồi gửi lại."),
    "busy": ("Hệ thống đang nhận nhiều báo cáo cùng lúc nên chưa lưu được báo cáo của bạn (chưa có gì được lưu).",
             "Vui lòng gửi lại sau {wait} giây."),
}

# By HTTP status, for an error page whose cause the catalogue does not know (another layer's refusal).
VI_STATUS: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu không đọc được."),
    401: ("Chưa đăng nhập", "Vui lòng đăng nhập."),
    403: ("Không có quyền truy cập", "Tài khoản của bạn không được xem trang này."),
    404: ("Không tìm thấy", "Không có trang hoặc dữ liệu này."),
    405: ("Thao tác không được phép", "Trang này không nhận thao tác đó."),
    409: ("Xung đột", "Dữ liệu đã thay đổi; tải lại trang rồi thử lại."),
    413: ("Nội dung quá lớn", "Nội dung gửi lên quá lớn."),
    415: ("Định dạng không được hỗ trợ", "Nội dung gửi lên không đúng định dạng."),
    422: ("Dữ liệu không hợp lệ", "Dữ liệu gửi lên không hợp lệ."),
    429: ("Quá nhiều yêu cầu", "Vui lòng chờ một lát rồi thử lại."),
    500: ("Lỗi hệ thống", "Đã có lỗi; vui lòng thử lại sau hoặc liên hệ cơ quan thống kê."),
    503: ("Hệ thống đang bận", "Vui lòng thử lại sau ít giây."),
}

# When a code has no entry (it should not: tests/test_issue13_portal.py checks), a sentence per field.
_VI_FIELD = {"quantity": "Sản lượng không hợp lệ.", "comment": "Ghi chú không hợp lệ.",
             "product": "Mã sản phẩm không hợp lệ.", "period": "Tháng báo cáo không hợp lệ.",
             "file": "Tệp không đọc được.", "cell": "Ô không hợp lệ."}

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_PARAMS = ("day", "today", "opens", "earliest")
_MONTH_PARAMS = ("month", "period", "later", "found_period")


@dataclass(frozen=True)
class Formats:
    """How the page writes a month ("12/2026"), a day ("07/12/2026") and a number ("1.234,5") in its language."""

    month: Callable[[str], str]
    day: Callable[[dt.date], str]
    number: Callable[[float], str]


def _shown(name: str, value: Any, fmt: Formats) -> str:
    if isinstance(value, bool):
        return str(value)
    if name in _DAY_PARAMS and isinstance(value, dt.date):
        return fmt.day(value)
    if name in _DAY_PARAMS and isinstance(value, str) and _DAY.match(value):
        return fmt.day(dt.date.fromisoformat(value))
    if name in _MONTH_PARAMS and isinstance(value, str) and _MONTH.match(value):
        return fmt.month(value)
    if name == "months" and isinstance(value, list | tuple):
        return ", ".join(fmt.month(m) if isinstance(m, str) and _MONTH.match(m) else str(m) for m in value)
    if name in ("rate", "minimum") and isinstance(value, int | float):
        return fmt.number(value * 100).rstrip() + "%"
    if isinstance(value, int | float):
        return fmt.number(value)
    return str(value)


def entry(code: str | None, params: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """The catalogue's (message, fix) for ``code`` and its ``params["kind"]`` variant; None if not catalogued."""
    if not code:
        return None
    kind = (params or {}).get("kind")
    return VI.get(f"{code}.{kind}") or VI.get(code)


def localize(code: str | None, params: Mapping[str, Any] | None, lang: str, *, message: str, fix: str | None,
             fmt: Formats, field: str | None = None, status: int | None = None) -> str:
    """A refusal as the page's language writes it: English → the raised ``message`` (and `` — fix``);
    Vietnamese → the catalogue's text for ``code`` with ``params`` filled, and its fix."""
    if lang == "en":
        return f"{message} — {fix}" if fix else message
    found = entry(code, params)
    if found is None:
        text = _VI_FIELD.get(field or "") or VI_STATUS.get(status or 422, VI_STATUS[422])[1]
        return text
    values = {k: _shown(k, v, fmt) for k, v in (params or {}).items()}
    vi_message, vi_fix = found
    try:
        text, hint = vi_message.format_map(_Missing(values)), vi_fix.format_map(_Missing(values))
    except (ValueError, IndexError):  # a malformed template: never the English
        text, hint = vi_message, vi_fix
    return f"{text} {hint}".strip() if hint else text


class _Missing(dict):  # type: ignore[type-arg]
    """A format map that leaves an absent value as "…" rather than failing."""

    def __missing__(self, key: str) -> str:
        return "…"
