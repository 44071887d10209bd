"""The demo's business connection requests (issue 14, item 6). SYNTHETIC: invented banks' packages and requests.

:func:`generate_connect` writes, into one folder (with a ``SYNTHETIC`` marker), in the formats of
:mod:`vnindustry.linkage.connect`: ``packages.csv`` — five credit packages of three invented banks ("Ngân hàng
A/B/C (giả lập)") and two online trade connection programmes; ``connect.csv`` — requests of the demo's suppliers
(credit, association, e-commerce), each in its supplier's sector (by the HS chapter of what it makes);
``status.csv`` — what the banks answered: some approved, a few by two banks, some rejected, disbursed in one or
two tranches. The routed steps are not in the file: the store routes each request when it imports it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vnindustry.linkage.hs import sector_key
from vnindustry.linkage.profiles import Supplier

__all__ = ["ROUTED_ON", "DemoConnect", "generate_connect"]

ROUTED_ON = dt.date(2026, 3, 2)  # the day the demo's requests were sent and routed

PACKAGES = (
    ("NHA-CNHT", "Ngân hàng A (giả lập)", "Gói vay ưu đãi công nghiệp hỗ trợ",
     "mechanical;metal_products;electronics;chemicals_plastics_rubber", 500e6, 20e9, 60, "2026-01-01", "2027-12-31"),
    ("NHA-VLD", "Ngân hàng A (giả lập)", "Vốn lưu động cho doanh nghiệp nhỏ và vừa",
     "mechanical;metal_products;electronics;chemicals_plastics_rubber;textiles_garments;food;wood_paper_packaging",
     100e6, 5e9, 12, "2026-01-01", "2026-12-31"),
    ("NHB-XK", "Ngân hàng B (giả lập)", "Tín dụng cho doanh nghiệp xuất khẩu",
     "textiles_garments;food;wood_paper_packaging;electronics", 1e9, 30e9, 36, "2026-01-01", "2027-06-30"),
    ("NHB-DMTB", "Ngân hàng B (giả lập)", "Đổi mới máy móc thiết bị",
     "mechanical;metal_products;chemicals_plastics_rubber", 2e9, 50e9, 84, "2025-07-01", "2027-12-31"),
    ("NHC-XANH", "Ngân hàng C (giả lập)", "Tín dụng xanh, tiết kiệm năng lượng",
     "mechanical;metal_products;electronics;chemicals_plastics_rubber;textiles_garments;food;wood_paper_packaging",
     1e9, 15e9, 60, "2026-01-01", "2028-12-31"),
    ("TMDT-SAN", "", "Chương trình đưa doanh nghiệp lên sàn thương mại điện tử (giả lập)",
     "food;textiles_garments;wood_paper_packaging;chemicals_plastics_rubber", None, None, None, "2026-01-01",
     "2026-12-31"),
    ("GTTT-CNHT", "", "Kết nối giao thương trực tuyến công nghiệp hỗ trợ (giả lập)",
     "mechanical;metal_products;electronics;chemicals_plastics_rubber", None, None, None, "2026-01-01", "2027-12-31"),
)
_PURPOSES = ("Mua máy CNC 5 trục", "Đầu tư dây chuyền đúc áp lực", "Vốn lưu động thực hiện đơn hàng FDI",
             "Mở rộng nhà xưởng", "Đầu tư hệ thống xử lý bề mặt", "Mua máy ép nhựa 350 tấn",
             "Chuyển đổi sang thiết bị tiết kiệm năng lượng")


@dataclass(frozen=True)
class DemoConnect:
    """The files written and how many requests and steps they hold."""

    packages: Path
    requests: Path
    statuses: Path
    n_requests: int
    n_steps: int


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(["" if v is None else v for v in row] for row in rows)


def _eligible(amount: float, tenor: int, sector: str) -> list[str]:
    return [p[0] for p in PACKAGES if p[1] and sector in p[3].split(";") and p[4] <= amount <= p[5]
            and tenor <= p[6] and dt.date.fromisoformat(p[7]) <= ROUTED_ON <= dt.date.fromisoformat(p[8])]


def generate_connect(folder: Path, suppliers: Sequence[Supplier], *, seed: int = 2020,
                     n_requests: int = 48) -> DemoConnect:
    """Write the demo's packages, requests and the banks' answers into ``folder``."""
    rng = np.random.default_rng(seed + 146)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SYNTHETIC").write_text("Synthetic connection requests of the vnindustry demo (invented banks, "
                                      "packages and requests).\n", encoding="utf-8")
    _write(folder / "packages.csv", ("package", "bank", "name", "sectors", "min_amount", "max_amount",
                                     "max_tenor_months", "valid_from", "valid_to"),
           [(c, b, n, s, None if lo is None else f"{lo:.0f}", None if hi is None else f"{hi:.0f}", t, f, to)
            for c, b, n, s, lo, hi, t, f, to in PACKAGES])
    pool = [s for s in suppliers if sector_key(s.hs)]
    chosen = [pool[int(i)] for i in rng.choice(len(pool), size=min(n_requests, len(pool)), replace=False)]
    requests, steps = [], []
    for k, s in enumerate(chosen, start=1):
        code, sector = f"YC-DEMO-{k:03d}", str(sector_key(s.hs))
        kind = str(rng.choice(["credit", "credit", "credit", "association", "ecommerce"]))
        if kind != "credit":
            requests.append((code, s.id, kind, sector, None, None, "", "Đề nghị kết nối (giả lập)"))
            continue
        amount = float(np.round(np.exp(rng.uniform(np.log(3e8), np.log(2.5e10))), -8))
        tenor = int(rng.choice([12, 24, 36, 48, 60]))
        requests.append((code, s.id, kind, sector, f"{amount:.0f}", tenor, str(rng.choice(_PURPOSES)),
                         "Đề nghị vay vốn (giả lập)"))
        eligible = _eligible(amount, tenor, sector)
        answered = ROUTED_ON + dt.timedelta(days=int(rng.integers(20, 60)))
        approved = False
        for package in eligible:
            u = rng.random()
            if u < 0.45 and not (approved and rng.random() < 0.6):
                steps.append((code, answered.isoformat(), "approved", package, None))
                approved = True
                # The enterprise takes one bank's loan: the first approval disburses, in one or two tranches.
                if len([x for x in steps if x[0] == code and x[2] == "approved"]) == 1 and rng.random() < 0.8:
                    tranches = 1 if rng.random() < 0.6 else 2
                    for j in range(tranches):
                        steps.append((code, (answered + dt.timedelta(days=15 + 60 * j)).isoformat(), "disbursed",
                                      package, f"{amount / tranches:.0f}"))
            elif u < 0.75:
                steps.append((code, answered.isoformat(), "rejected", package, None))
    _write(folder / "connect.csv", ("request", "enterprise", "kind", "sector", "amount", "tenor_months", "purpose",
                                    "description"), requests)
    _write(folder / "status.csv", ("request", "at", "status", "to", "amount"), steps)
    return DemoConnect(folder / "packages.csv", folder / "connect.csv", folder / "status.csv", len(requests),
                       len(steps))
