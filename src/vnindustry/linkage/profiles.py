"""Supplier profiles and buyers' sourcing needs (nhu cầu tìm nhà cung cấp), as the matching reads them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from vnindustry.linkage.vocab import Term, certification

__all__ = ["Certificate", "Need", "Supplier", "parse_certificate", "parse_expiry"]

OWNERSHIPS = {"vn": "vn", "fdi": "fdi", "jv": "jv", "trong nuoc": "vn", "viet nam": "vn", "domestic": "vn",
              "nha nuoc": "vn", "tu nhan": "vn", "foreign": "fdi", "von nuoc ngoai": "fdi", "lien doanh": "jv",
              "joint venture": "jv"}
"""Ownership as written → vn (Vietnamese-owned, state or private), fdi (foreign-invested), jv (joint venture)."""


@dataclass(frozen=True)
class Certificate:
    """A certification held: what (:class:`Term`), by which body, valid until (None: no date given)."""

    term: Term
    body: str = ""
    expires: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        """Valid on ``day``: no expiry given (a one-shot CSV run takes it as valid) or not yet expired."""
        return self.expires is None or self.expires >= day


@dataclass(frozen=True)
class Supplier:
    """A supplier's profile: what it makes (HS codes, processes), its certifications, capacity and text."""

    id: str
    name: str
    district: str = ""
    ownership: str = "vn"
    hs: tuple[str, ...] = ()
    processes: tuple[Term, ...] = ()
    certifications: tuple[Certificate, ...] = ()
    capacity: float | None = None  # units a month, in the unit the needs' volumes use
    description: str = ""
    consent: bool = True  # listed in the directory and offered to buyers (a CSV run: every listed supplier)
    materials: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Need:
    """A buyer's sourcing need: the part, its HS codes, the processes and certifications it requires."""

    id: str
    buyer: str
    title: str
    hs: tuple[str, ...] = ()
    processes: tuple[Term, ...] = ()
    certifications: tuple[Term, ...] = ()
    volume: float | None = None  # units a month
    description: str = ""
    material: str = ""


_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_VN_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_VN_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")


def parse_expiry(text: str) -> dt.date | None:
    """An expiry date as written: 2027-03-31, 2027-03 (end of month), 31/03/2027, 03/2027; None if it is not
    written like a date; ValueError if it is written like one but does not exist (2027-02-30)."""
    s = text.strip()
    if m := _ISO_DAY.match(s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _VN_DAY.match(s):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    elif (m := _ISO_MONTH.match(s)) or (m2 := _VN_MONTH.match(s)):
        y, mo = (int(m[1]), int(m[2])) if m else (int(m2[2]), int(m2[1]))  # type: ignore[index]
        if not 1 <= mo <= 12:
            raise ValueError(f"{s!r} is not a month")
        d = calendar.monthrange(y, mo)[1]
    else:
        return None
    return dt.date(y, mo, d)  # ValueError names the impossible part


def parse_certificate(text: str) -> Certificate:
    """"ISO 9001:2015 (Bureau Veritas, 2027-03-31)" → the certification, its body and expiry. The parentheses
    are optional, and so is either part inside them. ValueError for an impossible date."""
    s = text.strip()
    body, expires = "", None
    if s.endswith(")") and "(" in s:
        s, _, inside = s[:-1].partition("(")
        for part in (p.strip() for p in inside.split(",")):
            if not part:
                continue
            when = parse_expiry(part)
            if when is not None:
                expires = when
            elif re.fullmatch(r"[\d/.-]+", part):
                raise ValueError(f"{part!r} is not a date")
            else:
                body = part
    return Certificate(certification(s.strip()), body, expires)
