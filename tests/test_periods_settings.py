"""Month codes and the settings table."""

import pytest

from vnindustry import settings
from vnindustry.periods import month_code, month_key, parse_month


@pytest.mark.parametrize("text", ["2025-03", "2025M03", "03/2025", "3/2025", " 2025-03 "])
def test_accepted_month_forms(text):
    assert parse_month(text) == month_key(2025, 3)
    assert month_code(parse_month(text)) == "2025-03"


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025/03", "Mar 2025", "", "2025-3", "20253"])
def test_rejected_month_forms(text):
    assert parse_month(text) is None


def test_previous_month_and_year_are_key_arithmetic():
    assert month_code(month_key(2025, 1) - 1) == "2024-12"
    assert month_code(month_key(2025, 1) - 12) == "2024-01"


def test_environment_overrides_default(monkeypatch):
    assert settings.get("max_impute_gap") == 3
    monkeypatch.setenv("VNINDUSTRY_MAX_IMPUTE_GAP", "5")
    assert settings.get("max_impute_gap") == 5
    monkeypatch.setenv("VNINDUSTRY_MAX_IMPUTE_GAP", "five")
    with pytest.raises(ValueError, match="VNINDUSTRY_MAX_IMPUTE_GAP"):
        settings.get("max_impute_gap")


def test_every_setting_is_documented():
    for s in settings.SETTINGS:
        assert s.help and isinstance(s.default, s.type)
        assert s.env_var == "VNINDUSTRY_" + s.name.upper()


def test_environment_setting_reaches_the_engine(monkeypatch):
    from pathlib import Path

    import vnindustry

    monkeypatch.setenv("VNINDUSTRY_MAX_IMPUTE_GAP", "0")
    result = vnindustry.compile_dataset(Path(__file__).parent / "data" / "ppi_manual")
    assert result.spec.max_impute_gap == 0


def test_settings_command_lists_every_setting():
    from typer.testing import CliRunner

    from vnindustry.cli import app

    res = CliRunner().invoke(app, ["settings"], env={"COLUMNS": "250"})
    assert res.exit_code == 0
    for s in settings.SETTINGS:
        assert s.env_var in res.output
