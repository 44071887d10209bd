"""Property-based conformance of the data API to its own OpenAPI document (schemathesis; slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from test_api import build_store  # noqa: E402
from vnindustry.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = build_store(f"sqlite:///{Path(tmp_path_factory.mktemp('schemathesis')) / 'store.db'}")
    with pytest.MonkeyPatch.context() as env:  # the limits are read once, by create_app
        env.setenv("VNINDUSTRY_API_RATE_LIMIT", "0")
        app = create_app(store)
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@pytest.mark.slow
def test_api_conforms_to_its_openapi(api_schema) -> None:  # type: ignore[no-untyped-def]
    """For every operation: no 5xx, responses match the documented schemas and content types, and every
    error is problem+json. (Each operation is driven by its own hypothesis strategy: schemathesis'
    ``from_fixture`` does not run under this project's pytest.)"""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call()
            # Semantic 400s (from after to, too many rows) are documented but not expressible in the schema.
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
            if response.status_code >= 400:
                content_type = response.headers["content-type"]  # schemathesis keeps every value: a list
                assert content_type[0].startswith("application/problem+json")

        check()
