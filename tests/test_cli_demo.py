"""`vnindustry demo` end to end, as the README's first command runs it."""

import subprocess
import sys
from pathlib import Path

import pandas as pd


def test_demo_end_to_end(tmp_path):
    out = tmp_path / "city"
    proc = subprocess.run([sys.executable, "-m", "vnindustry.cli", "demo", "--out", str(out)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Chỉ số sản xuất công nghiệp (IIP) tháng 12/2025 ")
    assert "so với cùng kỳ năm trước" in proc.stdout and "4 ngành công nghiệp trọng yếu" in proc.stdout
    iip = pd.read_csv(out / "output" / "iip.csv", dtype={"code": str})
    assert set(iip["kind"]) == {"total", "industry", "group"}
    total = iip[iip["code"] == "TOTAL"].set_index("period")["index"]
    assert abs(total["2020-01":"2020-12"].mean() - 100) < 2  # base year 2020
    assert total["2021-08"] < 0.85 * total["2021-06"]  # the HCMC lockdown
    assert total["2020-04"] < total["2020-03"]  # April 2020 social distancing
    validation = pd.read_csv(out / "output" / "validation.csv")
    assert (validation["check"] == "suspicious_value").sum() >= 4  # the planted unit slips
    assert Path(out / "output" / "compile.json").is_file()
    # The whole pipeline: stored, and the latest month's bulletin in every format and both languages.
    for suffix in ("", "-en"):
        for fmt in ("md", "html", "docx", "pdf", "xlsx"):
            assert (out / "output" / f"bulletin-2025-12{suffix}.{fmt}").stat().st_size > 1000
    assert (out / "vnindustry.db").is_file()
    md = (out / "output" / "bulletin-2025-12.md").read_text(encoding="utf-8")
    assert "ước tính" in md and "điểm phần trăm" in md
    # The annex: export competitiveness in the EU and the key products, from the demo's trade data and scoring.
    assert "Phụ lục 1. Năng lực cạnh tranh xuất khẩu trên thị trường EU" in md and "Phụ lục 2." in md
    english = (out / "output" / "bulletin-2025-12-en.md").read_text(encoding="utf-8")
    assert "Annex 1." in english
    # The store behind `vnindustry serve`: the city, GSO's sample figures, and the city's confidential cells
    # (power generation has one enterprise) withheld from everything public.
    from fastapi.testclient import TestClient

    from vnindustry.store import open_store
    from vnindustry.web import create_app

    store = open_store(f"sqlite:///{out / 'vnindustry.db'}")
    sources = set(store.catalogue()["source"])
    assert {"city", "gso"} <= sources
    assert len(store.releases()) >= 1 + 158 + 3  # the compile, GSO's history months, the three workbooks
    assert not store.suppressions().empty
    client = TestClient(create_app(store))
    power = client.get("/api/v1/series/city/iip/3511/observations", params={"measure": "level"}).json()
    assert power["observations"] and all(o["flag"] == "c" and o["value"] is None for o in power["observations"])
    home = client.get("/").text
    assert "Chỉ số sản xuất công nghiệp" in home and "tháng 12/2025" in home
    retail = client.get("/", params={"source": "gso"}).text
    assert "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng" in retail
    assert "Kim ngạch xuất khẩu (không kể dầu thô)" in retail
