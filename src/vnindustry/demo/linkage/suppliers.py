"""The linkage demo's suppliers (SYNTHETIC, suppliers.csv): the day certificates are judged on, the names,
places and certification bodies suppliers are drawn from, and the draw of the directory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from vnindustry.demo.city.enterprises import DISTRICTS
from vnindustry.demo.city.generate import _allocate
from vnindustry.demo.linkage.clusters import _CLUSTERS, _Cluster
from vnindustry.demo.linkage.draws import _loguniform, _pick, _round2, _strip_diacritics, _subset
from vnindustry.linkage.vocab import PROCESSES

REFERENCE_DAY = dt.date(2026, 12, 6)
"""The day the demo is meant to be matched on (certificates are drawn so that a few have expired by then)."""

_EXPIRED_SHARE = 0.12  # certificates already expired on REFERENCE_DAY
_NO_CAPACITY_SHARE = 0.15
_STRIPPED_SHARE = 0.10  # supplier descriptions typed without diacritics


_VN_NAMES = ("Minh Phát", "Tân Tiến", "Phú Thành", "Hưng Thịnh", "Đại Phát", "Thành Công", "An Phú", "Việt Hưng",
             "Hòa Bình", "Nam Việt", "Phước Lộc", "Kim Long", "Thuận Phát", "Đông Á", "Hoàng Gia", "Vạn Lợi",
             "Trường Thịnh", "Quang Minh", "Nhật Tân", "Bảo Long", "Đức Trí", "Thiên Phúc", "Hải Nam", "Gia Khang",
             "Tiến Đạt", "An Khang", "Phúc Lâm", "Sao Việt", "Tân Á", "Hưng Phát", "Toàn Thắng", "Lộc Thành",
             "Phương Nam", "Sài Gòn Xanh", "Tín Nghĩa", "Hiệp Hưng", "Khải Hoàn", "Ngọc Minh", "Vĩnh Phát",
             "Thái Bình Dương")
_FOREIGN_NAMES = ("Arvio", "Belcora", "Calvex", "Dovrin", "Elmarc", "Ferox", "Galvion", "Hoshiro", "Istrel",
                  "Kanevo", "Lumora", "Norvik", "Pellian", "Quorin", "Rikuto", "Sorvan", "Tavira", "Ulvion",
                  "Velora", "Wakabe", "Yamori", "Zentro", "Kairon", "Montevo", "Saiwa", "Tokuran")
_COUNTRIES = ("Nhật Bản", "Hàn Quốc", "Đài Loan", "Trung Quốc", "Singapore", "Thái Lan")
# Where supporting-industry firms produce outside the city: the neighbouring provinces' industrial districts.
_PROVINCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Bình Dương", ("Thuận An", "Dĩ An", "Thủ Dầu Một", "Bến Cát", "Tân Uyên")),
    ("Đồng Nai", ("Biên Hòa", "Nhơn Trạch", "Long Thành", "Trảng Bom")),
    ("Long An", ("Bến Lức", "Đức Hòa", "Cần Giuộc")),
)
# Share of HCMC, Bình Dương, Đồng Nai, Long An among Vietnamese-owned and foreign-invested suppliers.
_REGION_SHARES = {"vn": (0.6, 0.2, 0.12, 0.08), "foreign": (0.35, 0.3, 0.25, 0.1)}
_CERT_FORMS = {
    "ISO9001": ("ISO 9001:2015", "ISO 9001"), "ISO14001": ("ISO 14001:2015", "ISO 14001"),
    "IATF16949": ("IATF 16949:2016", "IATF 16949"), "IPC610": ("IPC-A-610", "IPC-A-610 Class 2"),
    "UL": ("UL",), "FSC": ("FSC COC", "FSC"), "ISO22000": ("ISO 22000:2018", "FSSC 22000"), "ROHS": ("RoHS",),
    "REACH": ("REACH",),
}
_BODIES = ("Bureau Veritas", "QUACERT", "SGS", "TÜV SÜD", "TÜV Rheinland", "Intertek", "DNV", "BSI", "Vinacontrol",
           "LRQA")
_SPECIAL_BODIES = {"UL": ("UL Solutions",), "IPC610": ("IPC",), "ROHS": ("SGS", "Intertek"),
                   "REACH": ("SGS", "Intertek"), "FSC": ("SGS", "Control Union", "Bureau Veritas")}


@dataclass(frozen=True)
class _Supplier:
    id: str
    name: str
    district: str
    ownership: str
    cluster: str
    hs: tuple[str, ...]
    processes: tuple[str, ...]  # codes of the declared list (unlisted ones are only in ``written``)
    written: tuple[str, ...]  # the processes as the cell writes them
    certs: tuple[tuple[str, dt.date], ...]  # (code, expiry)
    cert_cell: str
    capacity: int | None
    description: str

    def row(self) -> tuple[str, ...]:
        return (self.id, self.name, self.district, self.ownership, ";".join(self.hs), ";".join(self.written),
                self.cert_cell, "" if self.capacity is None else str(self.capacity), self.description)


_PROCESS = {e.code: e for e in PROCESSES}


def _district(rng: np.random.Generator, foreign: bool) -> str:
    shares = np.array(_REGION_SHARES["foreign" if foreign else "vn"])
    region = int(rng.choice(len(shares), p=shares / shares.sum()))
    if region == 0:
        w = np.array([w for _, w in DISTRICTS])
        return DISTRICTS[int(rng.choice(len(DISTRICTS), p=w / w.sum()))][0]
    province, districts = _PROVINCES[region - 1]
    return f"{_pick(rng, districts)}, {province}"


def _expiry(rng: np.random.Generator) -> dt.date:
    """A certificate's expiry in 2025-06..2028-12: about one in eight before REFERENCE_DAY."""
    if rng.random() < _EXPIRED_SHARE:
        lo, hi = dt.date(2025, 6, 1), REFERENCE_DAY - dt.timedelta(days=1)
    else:
        lo, hi = dt.date(2027, 1, 1), dt.date(2028, 12, 31)
    return lo + dt.timedelta(days=int(rng.integers((hi - lo).days + 1)))


def _expiry_text(rng: np.random.Generator, day: dt.date) -> tuple[str, dt.date]:
    """The expiry as firms write it, and the date the reader will take (a month means its last day)."""
    u = rng.random()
    if u < 0.5:
        return day.isoformat(), day
    if u < 0.7:
        return f"{day.day:02d}/{day.month:02d}/{day.year}", day
    last = (dt.date(day.year + day.month // 12, day.month % 12 + 1, 1) - dt.timedelta(days=1))
    return (f"{day.year}-{day.month:02d}" if u < 0.9 else f"{day.month:02d}/{day.year}"), last


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    k = 2
    while f"{name} {k}" in taken:
        k += 1
    return f"{name} {k}"


def _supplier_name(rng: np.random.Generator, c: _Cluster, ownership: str, taken: set[str]) -> str:
    for _ in range(50):
        trade, vn, foreign = _pick(rng, c.trades), _pick(rng, _VN_NAMES), _pick(rng, _FOREIGN_NAMES)
        if ownership == "fdi":
            name = f"Công ty TNHH {foreign} {c.trade_en} Việt Nam"
        elif ownership == "jv":
            name = f"Công ty TNHH Liên doanh {trade} {vn} {foreign}"
        else:
            u = rng.random()
            form = ("Công ty TNHH" if u < 0.6 else "Công ty Cổ phần" if u < 0.85
                    else "Công ty TNHH Sản xuất Thương mại" if u < 0.95 else "Cơ sở")
            name = f"{form} {trade} {vn}"
        if name not in taken:
            return name
    return _unique(name, taken)


def _description(rng: np.random.Generator, c: _Cluster, ownership: str) -> str:
    material, tol, customer = _pick(rng, c.materials), _pick(rng, c.tolerances), _pick(rng, c.customers)
    p = _subset(rng, c.products, 3)
    rng.shuffle(p)
    verb = c.verb[0].upper() + c.verb[1:]
    form = c.forms[int(rng.integers(len(c.forms)))]
    if form == 0:
        first = f"{verb} {material}: {p[0]}, {p[1]} và {p[2]} cho ngành {customer}, {tol}."
    elif form == 1:
        first = f"Chuyên {c.verb} {p[0]} và {p[1]} bằng {material} theo bản vẽ của khách hàng, {tol}."
    else:
        first = f"{p[0][0].upper() + p[0][1:]}, {p[1]} và {p[2]} bằng {material} cho ngành {customer}; {tol}."
    n = int(rng.integers(6, 26))
    fact = _pick(rng, c.facts).format(n=n, m=int(rng.integers(2, n // 2 + 2)))
    if ownership != "vn":
        how = "vốn" if ownership == "fdi" else "liên doanh với đối tác"
        text = f"{first} Doanh nghiệp {how} {_pick(rng, _COUNTRIES)}, {fact}"
    elif rng.random() < 0.65:
        text = f"{first} {fact[0].upper() + fact[1:]}"
    else:
        text = first
    return _strip_diacritics(text) if rng.random() < _STRIPPED_SHARE else text


def _draw_suppliers(rng: np.random.Generator, n: int) -> list[_Supplier]:
    counts = _allocate(n, [c.weight for c in _CLUSTERS], [3] * len(_CLUSTERS))
    # Ids are given after shuffling, so a cluster's members are spread over the list as in a real directory.
    order = [ci for ci, k in enumerate(counts) for _ in range(k)]
    order = [order[i] for i in rng.permutation(len(order))]
    taken: set[str] = set()
    out = []
    for idx, ci in enumerate(order):
        c = _CLUSTERS[ci]
        u = rng.random()
        ownership = "vn" if u >= c.foreign else "fdi" if u < 0.7 * c.foreign else "jv"
        name = _supplier_name(rng, c, ownership, taken)
        taken.add(name)
        district = _district(rng, ownership != "vn")
        hs = _subset(rng, c.hs_main, 1 + int(rng.random() < 0.4))
        hs += _subset(rng, c.hs_extra, int(rng.choice(3, p=[0.45, 0.4, 0.15])))
        core = _subset(rng, c.core, 1 + int(rng.integers(len(c.core))))
        processes = core + [p for p in c.optional if rng.random() < 0.4]
        style = rng.random()  # one way of writing per firm: Vietnamese, English, or Vietnamese without marks
        written = [(_PROCESS[p].name_en if style < 0.25 else _strip_diacritics(_PROCESS[p].name_vi) if style < 0.35
                    else _PROCESS[p].name_vi) for p in processes]
        if c.unlisted and rng.random() < 0.3:
            written.append(_pick(rng, c.unlisted))
        certs, cells = [], []
        for code, share in c.certs:
            # IATF 16949 is certified on top of ISO 9001 (its clauses extend it): never without it.
            if rng.random() < share and (code != "IATF16949" or any(held == "ISO9001" for held, _ in certs)):
                text, expires = _expiry_text(rng, _expiry(rng))
                body = _pick(rng, _SPECIAL_BODIES.get(code, _BODIES))
                cells.append(f"{_pick(rng, _CERT_FORMS[code])} ({body}, {text})")
                certs.append((code, expires))
        capacity = None if rng.random() < _NO_CAPACITY_SHARE else _round2(_loguniform(rng, *c.capacity))
        out.append(_Supplier(f"S{idx + 1:04d}", name, district, ownership, c.key, tuple(hs), tuple(processes),
                             tuple(written), tuple(certs), ";".join(cells), capacity,
                             _description(rng, c, ownership)))
    return out
