"""Business connection requests (issue 14, item 6): one enterprise profile, routed to industry associations,
e-commerce and online trade connection programmes, or banks' credit packages — and counted once.

A request (``connect.csv``: ``request,enterprise,kind,sector,amount,tenor_months,purpose,description``) is one of:

- ``association`` — routed to every association of ``data/associations.csv`` covering the enterprise's sector;
- ``ecommerce`` — routed to the online trade connection programmes of ``programmes.csv`` covering the sector;
- ``credit`` — routed to the credit packages (``packages.csv``:
  ``package,bank,name,sectors,min_amount,max_amount,max_tenor_months,valid_from,valid_to``) whose sectors include
  the enterprise's, whose amount range holds the amount asked, whose tenor is long enough, valid on the day.

The bank decides; the system only routes and counts. A request's life is a list of status events
(``status.csv``: ``request,at,status,to,amount``): ``routed`` → ``approved`` → ``disbursed`` (or ``rejected``,
``withdrawn``), each naming the package or association it concerns. Counting never double counts across
programmes: a request routed to three packages is one request; a loan approved by two banks is approved once;
the amount disbursed is the sum of its disbursements (a second disbursement of the same request is a further
tranche, not a second loan), counted under the programme that disbursed it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from vnindustry.errors import InputError
from vnindustry.linkage.csvfiles import read_rows

__all__ = ["KINDS", "KIND_NAMES", "SECTORS", "SECTOR_NAMES", "STATUSES", "STATUS_NAMES", "Association", "Package",
           "Request", "Route", "Status", "Summary", "associations", "read_packages", "read_requests", "read_statuses",
           "refuse_step", "route", "summarise"]

KINDS = ("association", "ecommerce", "credit")
STATUSES = ("routed", "approved", "rejected", "disbursed", "withdrawn")
SECTORS = ("mechanical", "metal_products", "electronics", "chemicals_plastics_rubber", "textiles_garments", "food",
           "wood_paper_packaging")
# The words the pages and the CLI use for the codes above, (Vietnamese, English).
SECTOR_NAMES: dict[str, tuple[str, str]] = {
    "mechanical": ("Cơ khí", "Mechanical engineering"),
    "metal_products": ("Sản phẩm kim loại", "Metal products"),
    "electronics": ("Điện tử – công nghệ thông tin", "Electronics and IT"),
    "chemicals_plastics_rubber": ("Hóa chất – nhựa – cao su", "Chemicals, plastics and rubber"),
    "textiles_garments": ("Dệt may – da giày", "Textiles, garments and footwear"),
    "food": ("Chế biến lương thực – thực phẩm", "Food processing"),
    "wood_paper_packaging": ("Gỗ – giấy – bao bì", "Wood, paper and packaging"),
}
KIND_NAMES: dict[str, tuple[str, str]] = {
    "association": ("Kết nối hiệp hội ngành hàng", "Industry associations"),
    "ecommerce": ("Thương mại điện tử, kết nối giao thương trực tuyến", "E-commerce and online trade connection"),
    "credit": ("Kết nối ngân hàng – doanh nghiệp (vay vốn)", "Bank–enterprise capital connection (a loan)"),
}
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "routed": ("Đã chuyển đến", "Routed"),
    "approved": ("Được chấp thuận", "Approved"),
    "rejected": ("Không được chấp thuận", "Rejected"),
    "disbursed": ("Đã giải ngân", "Disbursed"),
    "withdrawn": ("Doanh nghiệp đã rút", "Withdrawn"),
}


@dataclass(frozen=True)
class Association:
    """An industry association and the sectors it covers."""

    id: str
    name_vi: str
    name_en: str
    sectors: frozenset[str]
    website: str = ""


@dataclass(frozen=True)
class Package:
    """A bank's credit package, or (``bank`` empty, amounts none) an online trade connection programme."""

    id: str
    bank: str
    name: str
    sectors: frozenset[str]
    min_amount: float = 0.0
    max_amount: float = math.inf
    max_tenor_months: int = 0
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Request:
    """An enterprise's connection request."""

    id: str
    enterprise: str
    kind: str
    sector: str
    amount: float | None = None
    tenor_months: int | None = None
    purpose: str = ""
    description: str = ""


@dataclass(frozen=True)
class Route:
    """Where a request goes, and why (in both languages)."""

    request: str
    to: str
    name: str
    reason_vi: str
    reason_en: str


@dataclass(frozen=True)
class Status:
    """One step of a request's life."""

    request: str
    at: dt.date
    status: str
    to: str
    amount: float | None = None


@dataclass(frozen=True)
class Summary:
    """Counts of one programme (or ``all``): requests routed, approved, disbursed, and the amount disbursed."""

    programme: str
    requests: int
    approved: int
    disbursed: int
    amount: float


def _rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    return read_rows(Path(path), columns)  # the linkage files' one reader: whole, or refused with line and column


def _amount(text: str, path: Path, line: int, column: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{text!r} is not an amount", file=path, line=line, column=column,
                         fix="write the amount in VND, digits only")
    return value


def _sectors(text: str, path: Path, line: int) -> frozenset[str]:
    sectors = frozenset(x.strip() for x in text.split(";") if x.strip())
    unknown = sorted(sectors - set(SECTORS))
    if unknown:
        raise InputError(f"unknown sector(s) {', '.join(unknown)}", file=path, line=line, column="sectors",
                         fix="use " + ", ".join(SECTORS))
    return sectors


def _date(text: str, path: Path, line: int, column: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date", file=path, line=line, column=column,
                         fix="write YYYY-MM-DD") from None


@cache
def associations() -> tuple[Association, ...]:
    """The associations of ``data/associations.csv``."""
    text = resources.files("vnindustry.linkage").joinpath("data", "associations.csv").read_text(encoding="utf-8")
    return tuple(Association(r["association"], r["name_vi"], r["name_en"],
                             frozenset(s for s in r["sectors"].split(";") if s), r["website"])
                 for r in csv.DictReader(io.StringIO(text)))


def read_packages(path: Path) -> list[Package]:
    """``packages.csv``: credit packages (bank given) and online programmes (bank empty)."""
    path = Path(path)
    out = []
    for line, r in _rows(path, ("package", "bank", "name", "sectors", "min_amount", "max_amount",
                                "max_tenor_months", "valid_from", "valid_to")):
        tenor = r["max_tenor_months"]
        if tenor and not tenor.isdigit():
            raise InputError(f"{tenor!r} is not a number of months", file=path, line=line, column="max_tenor_months",
                             fix="write whole months, e.g. 36")
        low = _amount(r["min_amount"], path, line, "min_amount") or 0.0
        high = _amount(r["max_amount"], path, line, "max_amount")
        out.append(Package(r["package"], r["bank"], r["name"], _sectors(r["sectors"], path, line), low,
                           math.inf if high is None else high, int(tenor or 0),
                           _date(r["valid_from"], path, line, "valid_from"),
                           _date(r["valid_to"], path, line, "valid_to")))
    return out


def read_requests(path: Path) -> list[Request]:
    """``connect.csv``: the enterprises' connection requests."""
    path = Path(path)
    out = []
    for line, r in _rows(path, ("request", "enterprise", "kind", "sector", "amount", "tenor_months", "purpose",
                                "description")):
        if r["kind"] not in KINDS:
            raise InputError(f"{r['kind']!r} is not a kind of request", file=path, line=line, column="kind",
                             fix="write association, ecommerce or credit")
        if r["sector"] not in SECTORS:
            raise InputError(f"{r['sector']!r} is not a sector", file=path, line=line, column="sector",
                             fix="use " + ", ".join(SECTORS))
        amount = _amount(r["amount"], path, line, "amount")
        tenor = r["tenor_months"]
        if tenor and not tenor.isdigit():
            raise InputError(f"{tenor!r} is not a number of months", file=path, line=line, column="tenor_months",
                             fix="write whole months, e.g. 24")
        if r["kind"] == "credit" and (amount is None or not tenor):
            raise InputError("a credit request needs its amount and tenor", file=path, line=line,
                             column="amount" if amount is None else "tenor_months",
                             fix="write the amount in VND and the tenor in months")
        out.append(Request(r["request"], r["enterprise"], r["kind"], r["sector"], amount,
                           int(tenor) if tenor else None, r["purpose"], r["description"]))
    return out


def read_statuses(path: Path) -> list[Status]:
    """``status.csv``: each step of the requests' lives."""
    path = Path(path)
    out = []
    for line, r in _rows(path, ("request", "at", "status", "to", "amount")):
        if r["status"] not in STATUSES:
            raise InputError(f"{r['status']!r} is not a status", file=path, line=line, column="status",
                             fix="write " + ", ".join(STATUSES))
        at = _date(r["at"], path, line, "at")
        if at is None:
            raise InputError("no date", file=path, line=line, column="at", fix="write YYYY-MM-DD")
        amount = _amount(r["amount"], path, line, "amount")
        if r["status"] == "disbursed" and not amount:
            raise InputError("a disbursement needs its amount", file=path, line=line, column="amount",
                             fix="write the amount disbursed in VND")
        out.append(Status(r["request"], at, r["status"], r["to"], amount))
    return out


def route(requests: Iterable[Request], packages: Sequence[Package], *, on: dt.date | None = None,
          lang: str = "vi") -> list[Route]:
    """Where each request goes (see the module docstring); a request no programme takes gets no route."""
    day = on or dt.date.today()
    out = []
    for r in requests:
        if r.kind == "association":
            for a in associations():
                if r.sector in a.sectors:
                    out.append(Route(r.id, a.id, a.name_vi if lang == "vi" else a.name_en,
                                     "hiệp hội của ngành", "covers the sector"))
            continue
        for p in packages:
            if r.sector not in p.sectors or (p.valid_from and day < p.valid_from) or (p.valid_to and day > p.valid_to):
                continue
            if r.kind == "ecommerce" and not p.bank:
                out.append(Route(r.id, p.id, p.name, "chương trình của ngành", "a programme of the sector"))
            elif r.kind == "credit" and p.bank and r.amount is not None and p.min_amount <= r.amount <= p.max_amount \
                    and (r.tenor_months or 0) <= p.max_tenor_months:
                out.append(Route(r.id, p.id, f"{p.bank}: {p.name}",
                                 f"đúng ngành, hạn mức và kỳ hạn (tối đa {p.max_tenor_months} tháng)",
                                 f"sector, amount and tenor fit (up to {p.max_tenor_months} months)"))
    return out


def summarise(requests: Sequence[Request], statuses: Iterable[Status], *, by: str = "programme") -> list[Summary]:
    """Requests, approvals, disbursements and the amount disbursed, per programme (``by="programme"``) and in
    all (``programme == "all"``) — each request counted once in "all" however many programmes it was routed to
    or approved by; its disbursed amount is the sum of its disbursements."""
    if by != "programme":
        raise ValueError("by must be programme")
    known = {r.id for r in requests}
    steps = sorted((s for s in statuses if s.request in known), key=lambda s: (s.at, s.request))
    per: dict[str, dict[str, set[str] | float]] = {}
    every: dict[str, set[str] | float] = {"requests": set(), "approved": set(), "disbursed": set(), "amount": 0.0}
    for s in steps:
        if not s.to:
            continue  # a withdrawal concerns the whole request, no programme; it counts nowhere
        bucket = per.setdefault(s.to, {"requests": set(), "approved": set(), "disbursed": set(), "amount": 0.0})
        for target in (bucket, every):
            if s.status in ("routed", "approved", "disbursed"):
                target["requests"].add(s.request)  # type: ignore[union-attr]
            if s.status in ("approved", "disbursed"):
                target["approved"].add(s.request)  # type: ignore[union-attr]
            if s.status == "disbursed":
                target["disbursed"].add(s.request)  # type: ignore[union-attr]
                target["amount"] = float(target["amount"]) + float(s.amount or 0.0)  # type: ignore[arg-type]
    out = [Summary(k, len(v["requests"]), len(v["approved"]), len(v["disbursed"]), float(v["amount"]))  # type: ignore[arg-type]
           for k, v in sorted(per.items())]
    out.append(Summary("all", len(every["requests"]), len(every["approved"]), len(every["disbursed"]),  # type: ignore[arg-type]
                       float(every["amount"])))  # type: ignore[arg-type]
    return out


def refuse_step(kind: str, steps: Sequence[Status], step: Status) -> str | None:
    """Why ``step`` cannot follow ``steps`` (the request's earlier steps, oldest first), as a code — or None when
    it can. A withdrawn request takes no step (``closed``); a step names a programme the request was routed to
    (``not_routed``; a withdrawal names none); approved or rejected follow routed (``bad_order``), a
    disbursement (a loan's, with an amount: ``not_credit``, ``needs_amount``) follows approval or an earlier
    tranche; routing twice to one programme is ``bad_order`` too."""
    if any(s.status == "withdrawn" for s in steps):
        return "closed"
    if step.status == "withdrawn":
        return None if not step.to else "not_routed"
    at = [s.status for s in steps if s.to == step.to]
    last = at[-1] if at else None
    if step.status == "routed":
        return None if last is None and step.to else "bad_order"
    if last is None:
        return "not_routed"
    if step.status == "approved":
        return None if last == "routed" else "bad_order"
    if step.status == "rejected":
        return None if last in ("routed", "approved") else "bad_order"
    if step.status == "disbursed":
        if kind != "credit":
            return "not_credit"
        if not step.amount or step.amount <= 0:
            return "needs_amount"
        return None if last in ("approved", "disbursed") else "bad_order"
    return "bad_order"
