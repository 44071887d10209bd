"""Generate a national-scale IIP dataset for the compile benchmark.

Default: 100,000 enterprises x 8 products x 120 months (2016-01..2025-12) with ~3% non-response,
about 93 M production rows written to ``production.parquet`` (one row group per month, zstd), plus the
small ``industries.csv`` and ``products.csv`` the engine needs.

    python benchmarks/generate_national.py benchmarks/data/national [--enterprises 100000]

The data are random but deterministic (seeded); only their size and shape matter here.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def generate(
    out: Path,
    *,
    enterprises: int = 100_000,
    products_per_enterprise: int = 8,
    months: int = 120,
    start_year: int = 2016,
    n_divisions: int = 30,
    leaves_per_division: int = 8,
    products_per_leaf: int = 10,
    nonresponse: float = 0.03,
    seed: int = 7,
) -> int:
    """Write the dataset folder ``out`` and return the number of production rows."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    sections = ["B", "C", "D", "E"]
    industries: list[tuple[str, str, str, str, str]] = [("TOTAL", "", "Toàn ngành", "Total", "")]
    for s in sections:
        industries.append((s, "TOTAL", f"Ngành {s}", f"Section {s}", ""))
    leaves: list[str] = []
    for d in range(n_divisions):
        div = f"{5 + d:02d}"
        industries.append((div, sections[min(d * 4 // n_divisions, 3)], f"Ngành {div}", f"Division {div}", ""))
        for g in range(leaves_per_division):
            leaf = f"{div}{g}"
            leaves.append(leaf)
            weight = f"{rng.uniform(100, 5000):.3f}"
            industries.append((leaf, div, f"Nhóm {leaf}", f"Group {leaf}", weight))
    with open(out / "industries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "parent", "name_vi", "name_en", "weight"])
        w.writerows(industries)

    n_products = len(leaves) * products_per_leaf
    product_codes = np.array([f"P{i:05d}" for i in range(n_products)])
    # Each enterprise makes products_per_enterprise distinct products of one leaf industry.
    ent_leaf = rng.integers(0, len(leaves), enterprises)
    offsets = np.argsort(rng.random((enterprises, products_per_leaf)), axis=1)[:, :products_per_enterprise]
    ent_products = ent_leaf[:, None] * products_per_leaf + offsets  # (E, k)
    size = rng.lognormal(3.0, 1.0, enterprises)
    base_level = size[:, None] * rng.uniform(0.5, 1.5, ent_products.shape)
    pair_product = ent_products.ravel()
    pair_enterprise = np.repeat(np.arange(enterprises), products_per_enterprise)
    pair_base = base_level.ravel()
    base_total = np.bincount(pair_product, weights=pair_base, minlength=n_products)
    with open(out / "products.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "industry", "name_vi", "unit", "weight", "base_quantity"])
        for p in range(n_products):
            q0 = base_total[p] if base_total[p] > 0 else 1.0
            w.writerow([product_codes[p], leaves[p // products_per_leaf], f"Sản phẩm {p}", "tấn",
                        f"{rng.uniform(10, 1000):.3f}", f"{q0:.3f}"])

    ent_codes = pa.array([f"DN{i:06d}" for i in range(enterprises)])
    prod_codes = pa.array(product_codes)
    schema = pa.schema([("enterprise", pa.string()), ("product", pa.string()),
                        ("period", pa.string()), ("quantity", pa.float64())])
    rows = 0
    trend = rng.normal(0.003, 0.004, n_products)
    with pq.ParquetWriter(out / "production.parquet", schema, compression="zstd") as writer:
        for m in range(months):
            year, month = start_year + m // 12, m % 12 + 1
            keep = rng.random(pair_product.size) >= nonresponse
            growth = np.exp(trend[pair_product[keep]] * m) * (1 + 0.1 * np.sin(month / 12 * 2 * np.pi))
            qty = np.round(pair_base[keep] * growth * rng.lognormal(0, 0.1, keep.sum()), 3)
            table = pa.table(
                {
                    "enterprise": ent_codes.take(pa.array(pair_enterprise[keep])),
                    "product": prod_codes.take(pa.array(pair_product[keep])),
                    "period": pa.array(np.full(keep.sum(), f"{year}-{month:02d}")),
                    "quantity": pa.array(qty),
                },
                schema=schema,
            )
            writer.write_table(table)
            rows += table.num_rows
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--enterprises", type=int, default=100_000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--nonresponse", type=float, default=0.03)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = generate(args.out, enterprises=args.enterprises, months=args.months, nonresponse=args.nonresponse)
    print(f"{rows:,} production rows written to {args.out} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
