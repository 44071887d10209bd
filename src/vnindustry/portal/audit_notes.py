"""The audit log's notes in the page's language (issue 13).

The "why" of an audit row is partly typed by a person (a note, a reason: shown as typed) and partly written by the
portal itself in a fixed form — the close's "publish on 2026-12-07; response 99.7% by value; …", a skip's
"skipped by the close of 2026-11 (not published): …", a revision's "(new release 12, months to 2026-11, publish on
…)", the account events' "role statistician", "2 session(s) ended" … (:mod:`vnindustry.portal.review`,
:mod:`vnindustry.portal.accounts`; the stored text stays as written, the API returns it). :func:`describe` reads
those forms back — each pattern below is the writer's own format, kept beside it by a test that writes every kind
through the real functions — and says them in Vietnamese or English, with days and months as the page writes
them; the person's words are kept verbatim, and a note in no known form is shown as stored.
"""

from __future__ import annotations

import datetime as dt
import re

from vnindustry.portal.messages import Formats

_DAY = r"(\d{4}-\d{2}-\d{2})"
_M = r"\d{4}-\d{2}"
_MONTH = rf"({_M})"
_CLOSE = re.compile(
    rf"^publish on {_DAY}(?:; response ([\d.]+)% by value)?(?:; forced with (\d+) open item\(s\))?"
    rf"(?:; forced below the (\d+)% response)?(?:: (.*?))?(?:; skipped ({_M}(?:, {_M})*))?$", re.S)
_INTERRUPTED = "an interrupted close left the month closed without its release; month reopened"
_SKIP = re.compile(rf"^skipped by the close of {_MONTH} \(not published\): (.*)$", re.S)
_REVISE = re.compile(rf"^(.*) \((new release|no change since release) (\d+|None), months to {_MONTH}, "
                     rf"publish on {_DAY}\)$", re.S)


def _words(vi: str, en: str, lang: str) -> str:
    return en if lang == "en" else vi


def _role(role: str, lang: str) -> str:
    names = {"enterprise": ("doanh nghiệp", "enterprise"), "statistician": ("thống kê viên", "statistician"),
             "admin": ("quản trị", "administrator")}
    vi, en = names.get(role, (role, role))
    return _words(vi, en, lang)


def _pct(text: str, fmt: Formats) -> str:
    return f"{fmt.number(float(text))}%"


def _account_part(part: str, lang: str, fmt: Formats) -> str:
    """One " · " part of an account event's note ("subject · detail · client"), in words (a name or an address
    is kept)."""
    if m := re.fullmatch(r"role (\w+)(?:, enterprise (\S+))?", part):
        text = _words("vai trò ", "role ", lang) + _role(m.group(1), lang)
        if m.group(2):
            text += _words(", doanh nghiệp ", ", enterprise ", lang) + m.group(2)
        return text
    if m := re.fullmatch(r"(was inactive already; )?(\d+) session\(s\) ended", part):
        text = _words(f"{fmt.number(int(m.group(2)))} phiên đăng nhập đã kết thúc",
                      f"{fmt.number(int(m.group(2)))} session(s) ended", lang)
        return (_words("đã bị khóa từ trước; ", "was inactive already; ", lang) + text) if m.group(1) else text
    if part == "was active already":
        return _words("đang hoạt động từ trước", "was active already", lang)
    if m := re.fullmatch(r"throttled: (\d+) failed logins, retry after (\d+) s", part):
        return _words(f"tạm chặn: {m.group(1)} lần đăng nhập sai, thử lại sau {m.group(2)} giây",
                      f"throttled: {m.group(1)} failed logins, retry after {m.group(2)} s", lang)
    if m := re.fullmatch(r"(\d+) expired session\(s\), (\d+) idle failed-login record\(s\) deleted", part):
        return _words(f"đã xóa {m.group(1)} phiên hết hạn và {m.group(2)} bản ghi đăng nhập sai cũ",
                      f"{m.group(1)} expired session(s), {m.group(2)} idle failed-login record(s) deleted", lang)
    simple = {"wrong password": ("sai mật khẩu", "wrong password"), "unknown user": ("không có tài khoản",
                                                                                      "unknown user"),
              "inactive user": ("tài khoản đã bị khóa", "inactive user")}
    if part in simple:
        return _words(*simple[part], lang)
    return part


ACCOUNT_ACTIONS = ("login", "login_failed", "logout", "user_add", "user_deactivate", "user_reactivate",
                   "password_reset", "sessions_purge")


def describe(action: str, note: str, lang: str, fmt: Formats) -> str:
    """The note of an audit row with ``action`` as ``lang`` says it (see the module docstring)."""
    if not note:
        return note
    if action in ACCOUNT_ACTIONS:
        return " · ".join(_account_part(p, lang, fmt) for p in note.split(" · "))
    if action == "close":
        if note == _INTERRUPTED:
            return _words("lần khóa sổ trước bị gián đoạn, tháng bị khóa mà chưa có bản công bố; đã mở lại tháng",
                          note, lang)
        if m := _CLOSE.match(note):
            day, rate, items, minimum, why, skipped = m.groups()[:6]
            parts = [_words("công bố ngày ", "publish on ", lang) + fmt.day(dt.date.fromisoformat(day))]
            if rate:
                parts.append(_words("tỷ lệ trả lời theo giá trị ", "response by value ", lang) + _pct(rate, fmt))
            if items:
                parts.append(_words(f"vẫn khóa sổ khi còn {items} số liệu chưa xử lý",
                                    f"forced with {items} open item(s)", lang))
            if minimum:
                parts.append(_words(f"vẫn khóa sổ dù tỷ lệ trả lời dưới {minimum}%",
                                    f"forced below the {minimum}% response", lang))
            text = "; ".join(parts)
            if why:
                text += f": {why}"
            if skipped:
                text += _words("; bỏ qua tháng ", "; skipped ", lang) + ", ".join(
                    fmt.month(s) for s in skipped.split(", "))
            return text
    if action == "skip" and (m := _SKIP.match(note)):
        return _words(f"bỏ qua khi khóa sổ tháng {fmt.month(m.group(1))} (không công bố): ",
                      f"skipped by the close of {fmt.month(m.group(1))} (not published): ", lang) + m.group(2)
    if action == "revise" and (m := _REVISE.match(note)):
        why, what, release, upto, day = m.groups()
        if what == "new release":
            said = _words(f"bản công bố mới số {release}", f"new release {release}", lang)
        else:
            said = _words(f"không thay đổi so với bản công bố số {release}", f"no change since release {release}",
                          lang)
        return f"{why} (" + said + _words(f", các tháng đến tháng {fmt.month(upto)}, công bố ngày ",
                                          f", months to {fmt.month(upto)}, publish on ", lang) + \
            fmt.day(dt.date.fromisoformat(day)) + ")"
    return note
