"""Time an EVFTA origin answer (``vnindustry.origin.assess``) the way the page and the API give it.

    python benchmarks/bench_origin.py [--repeat 20]

Three bills of materials: the README's motor (5 lines, fails; the smallest set to source found exactly), a
40-line power tool with a two-level sub-assembly (passes; headroom), and a 16-line product whose only way to
originate is to source everything (the exact search hits its budget and answers largest-first). Each with the
supplier directory of tests/data/linkage (60 suppliers) for the inputs to source. Prints the median and the
worst of ``--repeat`` runs, with the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from vnindustry.linkage import read_suppliers
from vnindustry.origin import assess, parse_bom, read_bom

ROOT = Path(__file__).resolve().parent.parent
HEADER = "material,hs,value,origin,originating,level\n"


def _tool() -> str:
    lines = ["motor,850140,30,VN,,1", "stator,850390,12,VN,,2", "steel,722619,8,CN,,3", "wire,854411,6,CN,,2"]
    lines += [f"part {i},{7300 + i % 20:04d}{10 + i % 80:02d},1.2,{'CN' if i % 3 else 'VN'},,1" for i in range(36)]
    return HEADER + "\n".join(lines) + "\n"


def _tyres() -> str:
    return HEADER + "\n".join(f"part{i},{5200 + i % 8}10,5,CN,,1" for i in range(16)) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    suppliers = read_suppliers(ROOT / "tests" / "data" / "linkage" / "suppliers.csv")[0]
    cases = [("motor, 5 lines, fails → source the stator", read_bom(ROOT / "tests/data/origin/motor.csv"), "850152",
              100.0, None),
             ("power tool, 40 lines, 3 levels, passes", parse_bom(_tool()), "846729", 200.0, None),
             ("16 lines, only sourcing all works (budget)", parse_bom(_tyres()), "401211", 100.0, 97)]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for name, materials, hs, price, rule_set in cases:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            answer = assess(materials, hs, price, rule_set=rule_set, suppliers=suppliers)
            times.append(time.perf_counter() - started)
        print(f"{name}: originates={answer['originates']}, median {statistics.median(times) * 1000:.1f} ms, "
              f"worst {max(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
