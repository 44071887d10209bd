"""Issue 14, item 7: the public supplier directory — consenting suppliers only, search with or without
diacritics, filters, both languages, problem+json for bad filters, and a profile change shown at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vnindustry.linkage.stored import import_csv
from vnindustry.store import open_store
from vnindustry.store.linkage import save_profiles
from vnindustry.web import create_app

LABELLED = Path(__file__).parent / "data" / "linkage"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    import_csv(store.engine, LABELLED / "suppliers.csv", LABELLED / "needs.csv", created_by="tk")
    # One enterprise that did not consent: it must never be shown.
    save_profiles(store.engine, [{"enterprise": "S999", "name": "Công ty Bí Mật", "consent": False,
                                  "data": {"hs": ["7616"], "processes": ["Đúc áp lực"], "description": "đúc nhôm"}}],
                  created_by="tk")
    return TestClient(create_app(db_url=url))


def _listed(html: str) -> list[str]:
    return re.findall(r'data-supplier="([^"]+)"', html)


def test_only_consenting_suppliers_and_never_a_need(client: TestClient) -> None:
    page = client.get("/suppliers")
    assert page.status_code == 200 and "Danh bạ doanh nghiệp công nghiệp hỗ trợ" in page.text
    assert "60 doanh nghiệp" in page.text and len(_listed(page.text)) == 50  # a page of 50
    second = client.get("/suppliers?page=2")
    assert len(_listed(second.text)) == 10 and 'rel="prev"' in second.text
    api = client.get("/api/v1/suppliers").json()
    assert api["total"] == 60 and "S999" not in {i["supplier"] for i in api["items"]}
    for text in (page.text, second.text, client.get("/api/v1/suppliers?format=csv").text):
        assert "S999" not in text and "Bí Mật" not in text
        assert "N01" not in text and "volume" not in text  # needs are never public
    assert all("capacity" not in item for item in api["items"])


def test_search_with_or_without_diacritics(client: TestClient) -> None:
    marked = _listed(client.get("/suppliers?q=đúc áp lực nhôm").text)
    plain = _listed(client.get("/suppliers?q=duc+ap+luc+nhom").text)
    assert marked and plain and marked[:3] == plain[:3]
    api = client.get("/api/v1/suppliers", params={"q": "duc ap luc"}).json()["items"]
    assert {"Die casting", "Đúc áp lực"} & set(api[0]["processes"])


def test_filters(client: TestClient) -> None:
    die = client.get("/api/v1/suppliers?process=die_casting&lang=en").json()["items"]
    assert die and all("Die casting" in i["processes"] for i in die)
    iatf = client.get("/api/v1/suppliers?certification=IATF16949").json()["items"]
    assert iatf and all(any(c.startswith("IATF 16949") for c in i["certifications"]) for i in iatf)
    hs = client.get("/api/v1/suppliers?hs=8534").json()["items"]
    assert hs and all(any(c.replace(".", "").startswith("8534") for c in i["hs"]) for i in hs)
    district = die[0]["district"]
    there = client.get("/api/v1/suppliers", params={"district": district}).json()["items"]
    assert there and {i["district"] for i in there} == {district}
    assert "id=\"no-match\"" in client.get("/suppliers?hs=01").text


@pytest.mark.parametrize("query", ["process=welding2", "certification=ISO", "hs=85a", "lang=fr", "q=" + "x" * 201])
def test_bad_filters_are_problems(client: TestClient, query: str) -> None:
    r = client.get(f"/api/v1/suppliers?{query}")
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"/suppliers?{query}").status_code == 422
    assert client.get("/suppliers?page=0").status_code == 422


def test_english_labels_and_the_enterprises_own_words_marked_vietnamese(client: TestClient) -> None:
    page = client.get("/suppliers?lang=en").text
    assert "Supporting-industry supplier directory" in page and '<html lang="en">' in page
    assert '<span lang="vi">' in page  # names and descriptions as the enterprise wrote them
    assert "Die casting" in page and "Đúc áp lực" not in page.split('<table class="suppliers"')[1].split("<td>", 3)[0]


def test_a_changed_profile_shows_at_once(client: TestClient, tmp_path: Path) -> None:
    before = client.get("/api/v1/suppliers?hs=7616").json()["total"]
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    save_profiles(store.engine, [{"enterprise": "S999", "name": "Công ty Bí Mật", "consent": True,
                                  "data": {"hs": ["7616"], "processes": ["Đúc áp lực"], "description": "đúc nhôm"}}],
                  created_by="tk")
    after = client.get("/api/v1/suppliers?hs=7616").json()
    assert after["total"] == before + 1 and "S999" in {i["supplier"] for i in after["items"]}
