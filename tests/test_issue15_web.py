"""Issue 15 on the web: the public /origin page (form, upload, the answer with its citations, PDF) in both
languages, the API (answer, rules, parse report) with problems naming the line and column, and the guide."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vnindustry.linkage.stored import import_csv
from vnindustry.store import open_store
from vnindustry.web import create_app

DATA = Path(__file__).parent / "data"
MOTOR = (DATA / "origin" / "motor.csv").read_text(encoding="utf-8")


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    import_csv(store.engine, DATA / "linkage" / "suppliers.csv", None, created_by="t")  # consenting suppliers
    return TestClient(create_app(store))


def test_the_page_answers_with_citations_in_both_languages(client: TestClient) -> None:
    form = client.get("/origin")
    assert form.status_code == 200 and 'id="origin-form"' in form.text and "Xuất xứ hàng hóa theo EVFTA" in form.text
    r = client.post("/origin", data={"hs": "8501.52", "ex_works": "100", "bom": MOTOR})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert 'data-originates="false"' in r.text and "KHÔNG đạt xuất xứ EVFTA" in r.text
    # 30 + 15 + 6 + 10 = 61 of 100, said the Vietnamese way, with the note it rests on.
    assert "MaxNOM 61,00% vượt 50% giá xuất xưởng (Phụ lục I, Ghi chú 3.4)" in r.text
    assert "trừ nguyên liệu thuộc cùng nhóm với sản phẩm và nguyên liệu thuộc nhóm 8503" in r.text
    assert 'id="to-originate"' in r.text and "stator laminations" in r.text
    # The directory's suppliers that make the stator laminations, ranked by the linkage's matching with reasons.
    assert 'data-supplier="S038"' in r.text and "cùng phân nhóm HS 8503.90" in r.text
    assert "không phải xác định trước xuất xứ có giá trị ràng buộc" in r.text
    en = client.post("/origin?lang=en", data={"hs": "850152", "ex_works": "100", "bom": MOTOR, "lang": "en"})
    assert "does NOT originate under the EVFTA" in en.text and "(Annex I, Note 3.4)" in en.text
    assert "not a binding ruling" in en.text and "Ghi chú" not in en.text
    uploaded = client.post("/origin", data={"hs": "850152", "ex_works": "100"},
                           files={"file": ("bom.csv", MOTOR.encode("utf-8-sig"), "text/csv")})
    assert uploaded.status_code == 200 and 'data-originates="false"' in uploaded.text
    pdf = client.post("/origin", data={"hs": "850152", "ex_works": "100", "bom": MOTOR, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and 'filename="origin-850152.pdf"' in pdf.headers["content-disposition"]


@pytest.mark.parametrize(("lang", "said"), [("vi", "dòng 3, cột «hs»: «85039» không phải mã HS 4 hoặc 6 chữ số"),
                                            ("en", "line 3, column &#39;hs&#39;: &#39;85039&#39; is not an HS code")])
def test_a_bad_line_comes_back_on_the_form(client: TestClient, lang: str, said: str) -> None:
    bad = MOTOR.replace("854411", "85039")
    r = client.post(f"/origin?lang={lang}", data={"hs": "850152", "ex_works": "100", "bom": bad, "lang": lang})
    assert r.status_code == 422 and said in r.text
    assert "85039" in r.text and 'id="origin-form"' in r.text  # what was typed is kept
    r = client.post(f"/origin?lang={lang}", data={"hs": "85", "ex_works": "0", "bom": MOTOR, "lang": lang})
    assert r.status_code == 422 and ("4–10 chữ số" if lang == "vi" else "4–10 digits") in r.text
    r = client.post(f"/origin?lang={lang}", data={"hs": "0000", "ex_works": "100", "bom": MOTOR, "lang": lang})
    assert r.status_code == 422 and ("không có quy tắc nào" if lang == "vi" else "no rule of Annex II") in r.text


def test_the_api(client: TestClient) -> None:
    r = client.post("/api/v1/origin/check", json={"hs": "850152", "ex_works": 100, "bom_csv": MOTOR, "lang": "en"})
    assert r.status_code == 200
    body = r.json()
    assert body["originates"] is False and body["maxnom_pct"] == pytest.approx(61.0)
    assert body["rule"]["heading"] == "8501 to 8502" and body["reasons"]
    assert body["to_originate"]["source_as_originating"] == ["stator laminations (lá thép stato)"]
    lines = [{"material": "stator", "hs": "850390", "value": 30, "origin": "DE"},
             {"material": "wire", "hs": "854411", "value": 20, "origin": "CN"}]
    ok = client.post("/api/v1/origin/check", json={"hs": "850152", "ex_works": 100, "bom": lines}).json()
    assert ok["originates"] is True and ok["rule"]["alternative"] == 1 and ok["headroom"]  # EU stator: cumulation
    bad = client.post("/api/v1/origin/check", json={"hs": "850152", "ex_works": 100,
                                                    "bom_csv": MOTOR.replace(",30,", ",ba mươi,")})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert (bad.json()["line"], bad.json()["column"]) == (2, "value")
    both = client.post("/api/v1/origin/check", json={"hs": "850152", "ex_works": 100, "bom": lines, "bom_csv": MOTOR})
    assert both.status_code == 422 and both.headers["content-type"].startswith("application/problem+json")
    rules = client.get("/api/v1/origin/rules?hs=850152").json()
    assert rules["items"][0]["alternatives"][0]["conditions"] == ["CTH except 8503"]
    assert rules["source"]["commit"].startswith("3c0266943e27")
    assert client.get("/api/v1/origin/rules?hs=0000").status_code == 404
    report = client.get("/api/v1/origin/report").json()
    assert report["rule_sets"] == 383 and report["computed"] + report["declared"] + report["unparsed"] == 607


def test_the_guide(client: TestClient) -> None:
    vi = client.get("/origin/guide")
    assert vi.status_code == 200 and "EUR.1" in vi.text and "6.000 EUR" in vi.text and "<table>" in vi.text
    en = client.get("/origin/guide?lang=en")
    assert en.status_code == 200 and "Proofs of origin under the EVFTA" in en.text
