"""Issue 13, trade: one source of truth for exports/imports excluding crude oil and the balance.

The store is built from the GSO data the demo imports (src/vnindustry/demo/data/gso: the 2012–2025 history
CSVs and the three monthly workbooks), with ``store_history`` and ``store_workbook`` as the demo does.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from builders import gso_demo_store
from vnindustry.analysis.indicators import monthly_indicators
from vnindustry.publish.document import Paragraph, Table
from vnindustry.publish.trade_section import balance_words, trade_section
from vnindustry.publish.wording import change, money_usd
from vnindustry.sources.gso import read_workbook
from vnindustry.sources.gso.crude_oil import (
    EXCL_CRUDE,
    INCL_CRUDE,
    derived_trade_records,
    excluding_crude,
    rate_excluding,
)
from vnindustry.sources.gso.labels import fold
from vnindustry.sources.gso.records import records_frame
from vnindustry.web.app import create_app
from vnindustry.web.pages import HISTORY, SeriesIndex, home_keys
from vnindustry.web.trade_pages import balance_text, home_trade_cards

# Exports also print crude oil as a part of the FDI sector (the same figure): used where the commodity row is not.
FDI_CRUDE = "gso/exports/khu-vuc-co-von-dau-tu-nn.dau-tho"
DATA = Path(__file__).resolve().parents[1] / "src" / "vnindustry" / "demo" / "data" / "gso"


# -- the arithmetic ----------------------------------------------------------------------------------------
def test_rate_excluding_against_an_independent_calculation() -> None:
    # A year ago: total 200, crude 20 → rest 180. Now: total 260 (+30 %), crude 10 (−50 %) → rest 250.
    assert rate_excluding(260.0, 30.0, 10.0, -50.0) == pytest.approx(100 * (250 / 180 - 1))
    # GSO's index convention (previous = 100) gives the same.
    got = excluding_crude({"level": 260.0, "pct_same_month_last_year": 130.0, "level_ytd": 500.0,
                           "pct_ytd_last_year": 125.0},
                          {"level": 10.0, "pct_same_month_last_year": 50.0, "level_ytd": 30.0,
                           "pct_ytd_last_year": 75.0})
    assert got["level"] == 250.0 and got["level_ytd"] == 470.0
    assert got["pct_change_same_month_last_year"] == pytest.approx(100 * (250 / 180 - 1))
    assert got["pct_change_ytd_last_year"] == pytest.approx(100 * (470 / (400 - 40) - 1))
    # Not the total's rate.
    assert got["pct_change_same_month_last_year"] != pytest.approx(30.0)
    # Missing crude-oil rate: no ex-crude rate (the level stays).
    partial = excluding_crude({"level": 260.0, "pct_same_month_last_year": 130.0}, {"level": 10.0})
    assert partial == {"level": 250.0}
    assert math.isnan(rate_excluding(100.0, math.nan, 1.0, 3.0))


def _rows(*rows: tuple[str, str, str, float]) -> object:
    return records_frame([(table, code, code, "Triệu USD", period, measure, value, "estimate", "s", f"A{i}")
                          for i, (table, code, measure, value) in enumerate(rows)
                          for period in ("2025-02",)])


def test_a_month_without_crude_oil_has_no_ex_crude_figure() -> None:
    records = _rows(("exports", "TOTAL", "level", 100.0), ("exports", "dau-tho", "level", 4.0),
                    ("imports", "TOTAL", "level", 90.0))
    derived, notes = derived_trade_records(records)
    got = {(r.table, r.code, r.measure): r.value for r in derived.itertuples()}
    assert got[("exports", EXCL_CRUDE, "level")] == 96.0
    assert ("imports", EXCL_CRUDE, "level") not in got  # missing, not the total
    assert got[("trade_balance", INCL_CRUDE, "level")] == 10.0
    assert ("trade_balance", EXCL_CRUDE, "level") not in got
    assert notes == ["imports 2025-02: no crude-oil row, so no figure excluding crude oil"]


# -- the stored series and the surfaces --------------------------------------------------------------------
@pytest.fixture(scope="module")
def gso(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, TestClient]:
    store = gso_demo_store(tmp_path_factory.mktemp("trade") / "gso.db")
    return store, TestClient(create_app(store))


RELEASES: dict[tuple[str, str, str], int] = {}  # (key, period, measure) → the release the API names


def _api(client: TestClient, key: str) -> dict[tuple[str, str], float]:
    r = client.get(f"/api/v1/series/{quote(key, safe='')}/observations?format=json")
    assert r.status_code == 200, r.text
    observations = [o for o in r.json()["observations"] if o["value"] is not None]
    RELEASES.update({(key, o["period"], o["measure"]): o["release"] for o in observations})
    return {(o["period"], o["measure"]): o["value"] for o in observations}


@pytest.fixture(scope="module")
def api(gso: tuple[object, TestClient]) -> dict[str, dict[tuple[str, str], float]]:
    _, client = gso
    keys = [f"gso/{t}/{c}" for t in ("exports", "imports") for c in ("TOTAL", "dau-tho", EXCL_CRUDE)]
    keys += [f"gso/trade_balance/{c}" for c in ("TOTAL", INCL_CRUDE, EXCL_CRUDE)]
    keys.append(FDI_CRUDE)
    return {k: _api(client, k) for k in keys}


def _months(api: dict[str, dict[tuple[str, str], float]]) -> list[str]:
    return sorted({p for p, m in api["gso/exports/TOTAL"] if m == "level" and re.fullmatch(r"\d{4}-\d{2}", p)})


def _yoy(values: dict[tuple[str, str], float], key: str, period: str) -> float:
    """The change on a year earlier published by the release that published the level (one vintage; a
    month re-published by a workbook holds GSO's index next to the history's change)."""
    release = RELEASES[(key, period, "level")]
    for measure, minus in (("pct_change_same_month_last_year", 0.0), ("pct_same_month_last_year", 100.0)):
        if RELEASES.get((key, period, measure)) == release:
            return values[(period, measure)] - minus
    return math.nan


def test_stored_ex_crude_series_against_an_independent_calculation(api: dict) -> None:
    months = _months(api)
    assert len(months) >= 130  # 2014-01 … 2025-02 (the history has trade from 2014)
    checked = 0
    for flow in ("exports", "imports"):
        total, commodity, excl = (api[f"gso/{flow}/{c}"] for c in ("TOTAL", "dau-tho", EXCL_CRUDE))
        for m in months:
            crude_key = f"gso/{flow}/dau-tho" if (m, "level") in commodity or flow == "imports" else FDI_CRUDE
            crude = api[crude_key]
            if (m, "level") not in crude:
                assert (m, "level") not in excl  # no crude-oil row: the series is missing there
                continue
            assert excl[(m, "level")] == pytest.approx(total[(m, "level")] - crude[(m, "level")], abs=1e-9)
            rate_release = RELEASES.get((f"gso/{flow}/{EXCL_CRUDE}", m, "pct_change_same_month_last_year"))
            if rate_release is not None and rate_release != RELEASES[(f"gso/{flow}/TOTAL", m, "level")]:
                continue  # a later workbook re-published the month's level only: the rate is the earlier vintage's
            t_rate, c_rate = _yoy(total, f"gso/{flow}/TOTAL", m), _yoy(crude, crude_key, m)
            if not (math.isnan(t_rate) or math.isnan(c_rate)):
                before = total[(m, "level")] / (1 + t_rate / 100) - crude[(m, "level")] / (1 + c_rate / 100)
                want = 100 * (excl[(m, "level")] / before - 1)
                assert excl[(m, "pct_change_same_month_last_year")] == pytest.approx(want, abs=1e-9)
                checked += 1
            else:  # a rate missing from either row: no ex-crude rate (never the total's)
                assert (m, "pct_change_same_month_last_year") not in excl
    assert checked > 100


def test_balance_against_gso_printed_balance(api: dict) -> None:
    printed, incl, excl = (api[f"gso/trade_balance/{c}"] for c in ("TOTAL", INCL_CRUDE, EXCL_CRUDE))
    compared = 0
    for (period, measure), value in printed.items():
        ours = RELEASES.get((f"gso/trade_balance/{INCL_CRUDE}", period, measure))
        same_release = ours == RELEASES[("gso/trade_balance/TOTAL", period, measure)]
        if measure == "level" and same_release:  # the same vintage (a later workbook revises some months)
            assert incl[(period, measure)] == pytest.approx(value, abs=0.5), period
            compared += 1
    assert compared >= 100
    # The month of the issue: GSO printed "nhập siêu 1,55 tỷ USD".
    assert balance_text(incl[("2025-02", "level")], "vi") == "nhập siêu 1,55 tỷ USD"
    assert balance_text(excl[("2025-02", "level")], "vi") == "nhập siêu 0,87 tỷ USD"
    ex, im = api["gso/exports/" + EXCL_CRUDE], api["gso/imports/" + EXCL_CRUDE]
    assert excl[("2025-02", "level")] == pytest.approx(ex[("2025-02", "level")] - im[("2025-02", "level")])


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<svg.*?</svg>", "", page, flags=re.S)))


def _card(page: str, title: str) -> str:
    """The home card titled ``title`` (its HTML up to the next card)."""
    text = _text(page)
    start = text.index(f"<h2>{title}</h2>") if f"<h2>{title}</h2>" in text else text.index(title)
    end = text.find("<section", start)
    return text[start:end if end > 0 else None]


def _home_card_texts(store: object, month: str) -> dict[str, str]:
    """The home page's trade cards for ``month`` as the home route builds them (its indicators, its keys), each
    card flattened to text: title → "value | label: text | … | csv". The route itself shows the latest month
    only; the issue-month test reads it over HTTP too."""
    index = SeriesIndex.read(store)
    ind = monthly_indicators(store, month, "gso", history_months=HISTORY, keys=home_keys(index, "gso"))
    return {c.title: " | ".join([c.value, *(f"{label}</dt><dd>{text}" for label, text in c.changes), c.csv])
            for c in home_trade_cards(ind, "vi")}


def _check_month(store: object, client: TestClient, api: dict, month: str) -> None:
    cards = _home_card_texts(store, month)
    trade = client.get(f"/trade?source=gso&period={month}")
    assert trade.status_code == 200
    trade_text = _text(trade.text)
    section = trade_section(monthly_indicators(store, month, "gso"), "vi")
    assert section is not None
    paragraph = next(b.text for b in section.blocks if isinstance(b, Paragraph))
    for flow, word in (("exports", "xuất khẩu"), ("imports", "nhập khẩu")):
        excl = api[f"gso/{flow}/{EXCL_CRUDE}"]
        if (month, "level") not in excl:
            assert f"Kim ngạch {word} (không kể dầu thô)" not in cards
            assert f"Kim ngạch {word} (kể cả dầu thô)" in cards  # the total, titled so
            continue
        level = money_usd(excl[(month, "level")], "vi")
        yoy = change(excl.get((month, "pct_change_same_month_last_year"), math.nan), "vi")
        card = cards[f"Kim ngạch {word} (không kể dầu thô)"]
        assert card.startswith(level + " | "), (month, flow)
        assert card.endswith(f"/api/v1/series/{quote(f'gso/{flow}/{EXCL_CRUDE}')}/observations?format=csv")
        if yoy:
            assert f"So với cùng kỳ năm trước</dt><dd>{yoy}" in card, (month, flow)
        before = excl.get((_prev(month), "level"))
        if before:  # month on month, from the stored ex-crude levels of consecutive months
            assert f"So với tháng trước</dt><dd>{change(100 * (excl[(month, 'level')] / before - 1), 'vi')}" in card
        assert f"Không kể dầu thô</dt><dd>{level}{f' ({yoy})' if yoy else ''}" in trade_text, (month, flow)
        assert f"không kể dầu thô đạt {level}{f', {yoy}' if yoy else ''}" in paragraph, (month, flow)
    incl_b, excl_b = api["gso/trade_balance/" + INCL_CRUDE], api["gso/trade_balance/" + EXCL_CRUDE]
    if (month, "level") in incl_b:
        text = balance_text(incl_b[(month, "level")], "vi")
        card = cards["Cán cân thương mại (kể cả dầu thô)"]
        assert card.startswith(text + " | ")
        assert card.endswith(f"/api/v1/series/gso/trade_balance/{INCL_CRUDE}/observations?format=csv")  # balance
        assert text in trade_text and balance_words(incl_b[(month, "level")], "vi") in paragraph
    if (month, "level") in excl_b:
        text = balance_text(excl_b[(month, "level")], "vi")
        assert f"Không kể dầu thô</dt><dd>{text}" in cards["Cán cân thương mại (kể cả dầu thô)"]
        assert "Cán cân thương mại (không kể dầu thô)</h2>" in trade_text and text in trade_text
        assert f"không kể dầu thô {text}" in paragraph


def _prev(month: str) -> str:
    year, m = int(month[:4]), int(month[5:])
    return f"{year - (m == 1)}-{(m - 2) % 12 + 1:02d}"


def test_surfaces_agree_in_the_issue_month(gso: tuple, api: dict) -> None:
    store, client = gso
    _check_month(store, client, api, "2025-02")
    home = client.get("/?source=gso").text  # the latest month, over HTTP: the same cards
    assert "tháng 2/2025" in home
    for title, text in _home_card_texts(store, "2025-02").items():
        card = _card(home, title)
        for part in text.split(" | "):
            assert part in card, (title, part)  # the page's text, entities decoded
    card = _card(home, "Kim ngạch nhập khẩu (không kể dầu thô)")
    assert "31,9 tỷ USD" in card and "tăng 39,8%" in card and "tăng 40,0%" not in card  # not the total's rate


@pytest.mark.slow
def test_surfaces_agree_for_every_month_of_the_history(gso: tuple, api: dict) -> None:
    store, client = gso
    months = _months(api)
    for month in months:
        _check_month(store, client, api, month)


def test_trade_tables_in_gso_order_and_hierarchy(gso: tuple) -> None:
    store, client = gso
    workbook = read_workbook(DATA / "xlsx" / "2025-02.xlsx").records
    for flow, title in (("exports", "Kim ngạch xuất khẩu (kể cả dầu thô) — "),
                        ("imports", "Kim ngạch nhập khẩu (kể cả dầu thô) — ")):
        rows = workbook[(workbook["table"] == flow) & (workbook["period"] == "2025-02")
                        & (workbook["measure"] == "level")].copy()
        rows["row"] = rows["cell"].str.extract(r"(\d+)$")[0].astype(int)
        printed = [c for c in rows.sort_values("row")["code"]
                   if c not in ("khu-vuc-co-von-dau-tu-nn.dau-tho", "khu-vuc-co-von-dau-tu-nn.hang-hoa-khac")]
        stored = client.get(f"/api/v1/series?source=gso&table={flow}&limit=1000").json()["items"]
        names = {i["code_in_table"]: fold(i["name_vi"]) for i in stored}  # the stored (first-seen) names
        page = _text(client.get("/trade?source=gso&period=2025-02").text)
        table = page[page.index(title):]
        table = table[:table.index("</table>")]
        row = r"<tr class=\"[^\"]*\"><td>(?:&emsp;| )*(?:<strong>)?([^<]+)"
        shown = [fold(html.unescape(n)) for n in re.findall(row, table)]
        want = [names[c] for c in printed]
        assert shown == want, flow
        assert shown.count("dau tho") == 1  # crude oil once
        # Sectors are sector rows, above the heading of the commodities.
        assert table.index("Khu vực có vốn đầu tư NN") < table.index("Mặt hàng chủ yếu")
        assert re.search(r'<tr class="sector"><td>Khu vực có vốn đầu tư NN', table)
    section = trade_section(monthly_indicators(store, "2025-02", "gso"), "vi")
    assert section is not None
    table = next(b for b in section.blocks if isinstance(b, Table))
    names = [r[0] for r in table.rows]
    assert names[:4] == ["TỔNG TRỊ GIÁ", "Khu vực kinh tế trong nước", "Khu vực có vốn đầu tư NN", "Mặt hàng chủ yếu"]
    assert names.count("Dầu thô") == 1


def test_catalogue_names_the_derived_series_in_both_languages(gso: tuple) -> None:
    _, client = gso
    items = {i["code"]: i for i in client.get("/api/v1/series?source=gso&limit=1000").json()["items"]}
    for key, vi, en in (
            (f"gso/exports/{EXCL_CRUDE}", "Kim ngạch xuất khẩu (không kể dầu thô)", "Exports excluding crude oil"),
            (f"gso/imports/{EXCL_CRUDE}", "Kim ngạch nhập khẩu (không kể dầu thô)", "Imports excluding crude oil"),
            (f"gso/trade_balance/{INCL_CRUDE}", "Cán cân thương mại (kể cả dầu thô)",
             "Trade balance (crude oil included)"),
            (f"gso/trade_balance/{EXCL_CRUDE}", "Cán cân thương mại (không kể dầu thô)",
             "Trade balance excluding crude oil")):
        assert items[key]["name_vi"] == vi and items[key]["name_en"] == en
