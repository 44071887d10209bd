"""Vietnamese and English number formatting (decimal comma, thousands dot, tăng/giảm by sign)."""

import pytest

from vnindustry.publish.numbers import format_change, format_number, format_pct, round_half_up


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (3.4, 1, "3,4", "3.4"),
        (120000, 0, "120.000", "120,000"),
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (0.05, 1, "0,1", "0.1"),
        (-4.44, 1, "-4,4", "-4.4"),
    ],
)
def test_format_number(value, decimals, vi, en):
    assert format_number(value, decimals, "vi") == vi
    assert format_number(value, decimals, "en") == en


def test_change_words():
    assert format_change(3.4) == "tăng 3,4%"
    assert format_change(-4.4) == "giảm 4,4%"
    assert format_change(0.04) == "không đổi"
    assert format_change(0.2, lang="en") == "up 0.2%"
    assert format_change(-12.25, lang="en") == "down 12.3%"
    assert format_pct(-4.449) == "-4,4%"


def test_round_half_up_not_bankers():
    assert round_half_up(2.25, 1) == 2.3
    assert round_half_up(2.675, 2) == 2.68
    assert round_half_up(-0.05, 1) == -0.1
    assert round_half_up(0.35, 1) == 0.4


def test_a_small_negative_rounds_to_zero_not_minus_zero() -> None:
    """Seen on /competitiveness: a change of -0.001 printed "-0,00"."""
    assert str(round_half_up(-0.001, 2)) == "0.0"
    assert format_number(-0.001, 2) == "0,00" and format_pct(-0.01) == "0,0%"


def test_unknown_language():
    with pytest.raises(ValueError, match="unknown language"):
        format_number(1.0, 1, "fr")
