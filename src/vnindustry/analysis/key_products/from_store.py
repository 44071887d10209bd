"""Criteria values of candidate products from the store, where it holds what they need (issue 7, part 3).

A :class:`CandidateLink` ties a candidate to the store: a VSIC code (a code of the city's IIP; the register's
products under it by prefix) and HS codes (its exports). From them:

* ``production_value`` = V_g · I_g(t) / 100: V_g the register's base-year production values (the products
  table's ``weight``, from ``import_dataset``) of the products whose industry starts with the VSIC code,
  I_g(t) the annual mean of the compiled IIP level of that code in year t (full years only) — so the value is
  at base-year prices, in the dataset's currency unit;
* ``production_share`` = 100 · production_value / (V · I_TOTAL(t) / 100), V all products' base-year values;
* ``growth`` = 100 · ((I_g(t) / I_g(t0))^(1/(t − t0)) − 1), t0 = max(t − 4, the first full year): the average
  growth a year over (up to) the last five years;
* ``rca`` = the group RCA of the HS codes in the market (:func:`vnindustry.analysis.trade.group_rca`) for
  the exporter (Viet Nam by default), from the stored trade flows of year t.

``export_share`` (exports over production value) is not computed: the stored flows are national exports in
USD by HS code, the production value is the city's at base-year prices in VND — their ratio would not be the
city's export share. It, value added, local content, labour productivity, technology and spill-over are
entered by hand. What is missing is said in :attr:`StoreValues.notes` (and logged), never guessed.

The values become part of a published scoring, so they are read through the public view (issue 12): a
confidential IIP cell (flag ``c``) is withheld there, and a criterion that would need it is left to hand entry
with a note naming the cell (series key and period) — never computed from it. The embargo follows the store
given: ``store.public_view()`` reads what is published today, ``store.public_view(embargo=False)`` (or the
store itself) also what is stored for a later day. :attr:`StoreValues.inputs` lists the releases the values
come from (the lineage of the stored run, which is then dated no earlier than the latest of them).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select

from vnindustry.analysis.trade import group_rca, resolve_market
from vnindustry.store.repository import Store
from vnindustry.store.tables import PRODUCTS
from vnindustry.store.trade import trade_flows

log = logging.getLogger(__name__)

PRODUCTION_CRITERIA = ("production_value", "production_share", "growth")
STORE_CRITERIA = (*PRODUCTION_CRITERIA, "rca")
GROWTH_YEARS = 4  # growth over t−4 … t: five annual means, four yearly steps
TOTAL = "TOTAL"


@dataclass(frozen=True)
class CandidateLink:
    """A candidate's codes in the store: a VSIC code (prefix) for production, HS codes for exports."""

    vsic: str = ""
    hs: tuple[str, ...] = ()


@dataclass
class StoreValues:
    """Values by (product, criterion), where each came from, and notes on what could not be computed."""

    values: dict[tuple[str, str], float] = field(default_factory=dict)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    inputs: set[int] = field(default_factory=set)  # releases the values were computed from (lineage)

    def add(self, product: str, criterion: str, value: float, origin: str) -> None:
        """Keep a finite value; a NaN (a ratio with nothing under it) is a note instead."""
        if math.isfinite(value):
            self.values[(product, criterion)] = value
            self.origins[(product, criterion)] = origin
        else:
            self.notes.append(f"{product}: {criterion} is undefined ({origin})")


def links_of(table: object) -> dict[str, CandidateLink]:
    """The links declared in a :class:`~vnindustry.analysis.key_products.CriteriaTable` (candidates with a
    VSIC or HS code; the others are left out)."""
    return {c.code: CandidateLink(c.vsic, tuple(c.hs)) for c in table.candidates  # type: ignore[attr-defined]
            if c.vsic or c.hs}


def _confidential(store: Store) -> Store:
    """``store`` with confidential figures withheld (the public view), its embargo unchanged."""
    return store if store.public else store.public_view(embargo=store.embargo)


def _annual_iip(store: Store, source: str) -> tuple[pd.Series, pd.DataFrame]:
    """(code, year) → mean of the IIP level over the year's 12 months (full years only), and the monthly
    levels read (code, key, period, year, value, flag, release_id)."""
    iip = store.observations(source=source, table="iip", measure="level")
    if iip.empty:
        return pd.Series(dtype="float64"), iip
    iip = iip[iip["period"].str.fullmatch(r"\d{4}-\d{2}")]
    iip = iip.assign(year=iip["period"].str[:4].astype(int), value=pd.to_numeric(iip["value"], errors="coerce"))
    grouped = iip.groupby(["code", "year"])["value"]
    # A year with a missing or withheld month has no annual mean (count skips NaN).
    return grouped.mean()[grouped.count() == 12], iip


def _withheld(iip: pd.DataFrame, code: str, years: list[int]) -> str:
    """The confidential cells (flag c) of ``code`` in ``years``, named "key period, …"; "" when none."""
    rows = iip[(iip["code"] == code) & iip["year"].isin(years) & (iip["flag"] == "c")].sort_values("period")
    if rows.empty:
        return ""
    periods = rows["period"].astype(str).tolist()
    shown = ", ".join(periods) if len(periods) <= 3 else f"{periods[0]} … {periods[-1]} ({len(periods)} months)"
    return f"{rows['key'].iloc[0]} {shown}"


def _used(iip: pd.DataFrame, codes: list[str], years: list[int]) -> set[int]:
    """The releases of the monthly levels of ``codes`` in ``years`` (what a value was computed from)."""
    rows = iip[iip["code"].isin(codes) & iip["year"].isin(years) & iip["value"].notna()]
    return {int(r) for r in rows["release_id"].unique()}


def _base_values(store: Store) -> pd.DataFrame:
    """The register's products: industry and base-year production value (weight)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(PRODUCTS.c.code, PRODUCTS.c.industry, PRODUCTS.c.weight)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["code", "industry", "weight"])


def production_values(store: Store, links: Mapping[str, CandidateLink], *, year: int | None = None,
                      source: str = "city", withhold: bool = True) -> StoreValues:
    """production_value, production_share and growth of the linked candidates (module docstring), from the
    public view of ``store`` (confidential cells withheld; the embargo as ``store`` has it).

    ``withhold=False`` reads ``store`` as it is (a statistician's store: confidential values too) — for the
    office's own checks only, never for a scoring that is stored or published."""
    out = StoreValues()
    wanted = {p: link.vsic for p, link in links.items() if link.vsic}
    if not wanted:
        return out
    store = _confidential(store) if withhold else store
    products = _base_values(store)
    annual, iip = _annual_iip(store, source)
    if products.empty:
        out.notes.append("no products in the store's register (run 'vnindustry import DATASET --db …'): "
                         "production value, share and growth are left to hand entry")
        return out
    if annual.empty or TOTAL not in annual.index.get_level_values(0):
        secret = _withheld(iip, TOTAL, sorted(set(iip["year"]))) if not iip.empty else ""
        out.notes.append(f"no full year of the compiled IIP (source '{source}', code {TOTAL}) in the store "
                         + (f"that is public (confidential: {secret}) " if secret else "")
                         + "(run 'vnindustry compile DATASET --db …'): production value, share and growth are "
                         "left to hand entry")
        return out
    total_years = annual.loc[TOTAL]
    t = int(total_years.index.max()) if year is None else year
    if t not in total_years.index:
        secret = _withheld(iip, TOTAL, [t])
        out.notes.append(f"no full year {t} of the IIP ({source}, {TOTAL})"
                         + (f" that is public (confidential: {secret})" if secret else "")
                         + f"; full years: {', '.join(str(y) for y in total_years.index)}: production criteria "
                         "left to hand entry")
        return out
    total_now = float(products["weight"].sum()) * float(total_years.loc[t]) / 100
    codes = set(annual.index.get_level_values(0))
    for product, vsic in wanted.items():
        base = float(products.loc[products["industry"].astype(str).str.startswith(vsic), "weight"].sum())
        if base == 0:
            out.notes.append(f"{product}: no product of the register is in industry {vsic}*: production value, "
                             "share and growth left to hand entry")
            continue
        if vsic not in codes or t not in annual.loc[vsic].index:
            secret = _withheld(iip, vsic, [t])
            if secret:  # withheld in the public view: nothing may be computed from it
                out.notes.append(f"{product}: production value, share and growth left to hand entry: IIP "
                                 f"{secret} is confidential (withheld, flag c)")
            else:
                out.notes.append(f"{product}: the IIP has no series {vsic} with the full year {t} (give a VSIC "
                                 "code of the compiled tree): production value, share and growth left to hand "
                                 "entry")
            continue
        series = annual.loc[vsic]
        level = float(series.loc[t])
        value = base * level / 100
        origin = f"store: base-year values of {vsic}* × IIP {source}/{vsic} {t} (mean of 12 months) / 100"
        out.add(product, "production_value", value, origin)
        out.add(product, "production_share", value / total_now * 100, f"{origin}, over the same for {TOTAL}")
        out.inputs |= _used(iip, [vsic, TOTAL], [t])
        first = max(t - GROWTH_YEARS, int(series.index.min()))
        if first == t or first not in series.index:
            secret = _withheld(iip, vsic, [first])
            why = (f"IIP {secret} is confidential (withheld, flag c)" if secret
                   else f"growth needs two full years of IIP {vsic} (has {first}…{t})")
            out.notes.append(f"{product}: {why}: growth left to hand entry")
            continue
        growth = ((level / float(series.loc[first])) ** (1 / (t - first)) - 1) * 100
        out.add(product, "growth", growth, f"store: IIP {source}/{vsic}, average a year {first}–{t}")
        out.inputs |= _used(iip, [vsic], [first])
    return out


def rca_values(store: Store, links: Mapping[str, CandidateLink], *, market: str = "EU", exporter: str = "VNM",
               year: int | None = None, exclude_crude_oil: bool = False) -> StoreValues:
    """The RCA of each linked candidate's HS group for ``exporter`` in ``market`` (module docstring)."""
    out = StoreValues()
    groups = {p: link.hs for p, link in links.items() if link.hs}
    if not groups:
        return out
    label, importers = resolve_market(market)
    flows = trade_flows(store, periods=None if year is None else [str(year)], importers=sorted(importers),
                        with_release=True)
    flows = flows[flows["period"].astype(str).str.fullmatch(r"\d{4}")]  # yearly flows: RCA of a year
    if flows.empty:
        out.notes.append(f"no yearly trade flows into {label}{'' if year is None else f' in {year}'} in the store "
                         "(run 'vnindustry trade import FLOWS.csv --db …'): RCA left to hand entry")
        return out
    t = str(flows["period"].max()) if year is None else str(year)
    used = flows[flows["period"] == t]
    try:
        got = group_rca(used.drop(columns="release_id"), groups, market=market, exclude_crude_oil=exclude_crude_oil)
    except ValueError as exc:  # e.g. chapter 27 that cannot be split from crude oil
        out.notes.append(f"RCA not computed: {exc}")
        return out
    mine = got[got["exporter"] == exporter].set_index("group")["rca"]
    if mine.empty:
        out.notes.append(f"{exporter} has no exports into {label} in {t}: RCA left to hand entry")
        return out
    oil = ", crude oil excluded" if exclude_crude_oil else ""
    out.inputs |= {int(r) for r in used["release_id"].unique()}  # every flow of the year enters the totals
    for product, codes in groups.items():
        out.add(product, "rca", float(mine.get(product, math.nan)),
                f"store: RCA of {exporter} in {label} {t}, HS {', '.join(codes)}{oil}")
    return out


def store_figures(store: Store, links: Mapping[str, CandidateLink], *, market: str = "EU", exporter: str = "VNM",
                  year: int | None = None, source: str = "city", exclude_crude_oil: bool = False,
                  withhold: bool = True) -> StoreValues:
    """Every criterion the store can give (:data:`STORE_CRITERIA`), with origins and notes; confidential cells
    withheld unless ``withhold=False`` (:func:`production_values`).

    ``year`` None: each criterion from its latest year in the store (full IIP year, latest yearly flows).
    """
    out = production_values(store, links, year=year, source=source, withhold=withhold)
    trade = rca_values(store, links, market=market, exporter=exporter, year=year,
                       exclude_crude_oil=exclude_crude_oil)
    out.values.update(trade.values)
    out.origins.update(trade.origins)
    out.notes += trade.notes
    out.inputs |= trade.inputs
    out.notes.append("export_share is not computed from the store (national exports in USD by HS over the city's "
                     "production at base-year prices would not be the city's export share): enter it by hand")
    for note in out.notes:
        log.info("key products from the store: %s", note)
    return out


def store_values(store: Store, links: Mapping[str, CandidateLink], *, market: str = "EU", exporter: str = "VNM",
                 year: int | None = None, source: str = "city", withhold: bool = True) -> dict[tuple[str, str], float]:
    """(product, criterion) → unrounded value, for :func:`~vnindustry.analysis.key_products.fill_values`;
    what could not be computed is logged (:func:`store_figures` returns it)."""
    return store_figures(store, links, market=market, exporter=exporter, year=year, source=source,
                         withhold=withhold).values
