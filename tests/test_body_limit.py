"""The app's ceiling on request bodies (web/limits.py, setting max_body_bytes), announced and chunked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from builders import portal_store
from vnindustry.web import create_app


@pytest.fixture
def client(tmp_path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
    monkeypatch.setenv("VNINDUSTRY_MAX_BODY_BYTES", "1000")
    return TestClient(create_app(portal_store(f"sqlite:///{tmp_path / 'store.db'}")))


def test_an_announced_body_over_the_ceiling_is_refused(client: TestClient) -> None:
    for path in ("/api/v1/auth/login", "/portal/login", "/api/v1/admin/users", "/api/v1/series"):
        r = client.post(path, content=b"x" * 1001, headers={"content-type": "application/json"})
        assert r.status_code == 413, (path, r.text)
        assert r.headers["content-type"] == "application/problem+json" and "1,000 bytes" in r.json()["detail"]


def test_a_chunked_body_is_counted(client: TestClient) -> None:
    def chunks():
        for _ in range(20):
            yield b'{"username": "e1", "password": "' + b"x" * 90

    r = client.post("/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["title"] == "Content too large"


def test_a_body_under_the_ceiling_goes_through(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"username": "e1", "password": "wrong password"})
    assert r.status_code == 401
