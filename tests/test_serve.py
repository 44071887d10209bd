"""`vnindustry serve` starts the API on a real socket (loopback only)."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

import vnindustry
from vnindustry.store import open_store
from vnindustry.store.compiled import store_compile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_loopback(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    store_compile(open_store(url), vnindustry.compile_dataset(Path(__file__).parent / "data" / "ppi_manual"))
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vnindustry.cli", "serve", "--db", url, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert health.status_code == 200
        obs = httpx.get(f"http://127.0.0.1:{port}/api/v1/series/city/iip/TOTAL/observations",
                        params={"measure": "level", "format": "csv"}, timeout=5)
        assert obs.status_code == 200 and obs.content.startswith(b"\xef\xbb\xbf")
        assert "2020-05" in obs.text
        missing = httpx.get(f"http://127.0.0.1:{port}/api/v1/series/nope/observations", timeout=5)
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
