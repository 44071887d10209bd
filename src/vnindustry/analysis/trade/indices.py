"""Trade competitiveness indices over a flows frame (``flows.FLOW_COLUMNS``), per period.

Every index is computed for each period separately, over the exporters and products present in that
period's flows (after the market and crude-oil selection); a missing (exporter, product) cell is 0.
Results are long frames, unrounded. Where a ratio has a zero denominator — an exporter with no exports,
a product nobody exports, a market that imports nothing — the index is NaN (an empty cell in CSV), never
an error or a division warning. Formulas and sources: docs/method.md, "Trade competitiveness".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from vnindustry.analysis.trade.markets import resolve_market
from vnindustry.periods import month_code, parse_month
from vnindustry.sources.trade_flows import WORLD, check_flows, select_flows

Market = str | Iterable[str] | None


# ---------------------------------------------------------------- helpers


def _div(num: np.ndarray | float, den: np.ndarray | float) -> np.ndarray:
    """num / den with NaN where den == 0 (broadcasting; no warning)."""
    num_b, den_b = np.broadcast_arrays(np.asarray(num, dtype="float64"), np.asarray(den, dtype="float64"))
    out = np.full(num_b.shape, np.nan)
    with np.errstate(over="ignore"):  # a subnormal denominator gives inf, not a warning
        np.divide(num_b, den_b, out=out, where=den_b != 0)
    return out


def _prepare(flows: pd.DataFrame, market: Market, exclude_crude_oil: bool) -> tuple[pd.DataFrame, str | None]:
    """Checked flows, into ``market`` if given, without crude oil if asked; and the market's label."""
    flows = check_flows(flows)
    label = None
    if market is not None:
        label, codes = resolve_market(market)
        into = flows[flows["importer"].isin(codes)]
        if into.empty:
            known = sorted(set(flows["importer"]) - {WORLD})[:8]
            raise ValueError(
                f"no flows into market {label}: the flows' importers are "
                f"{', '.join(known) + ' …' if known else 'only the world (WLD): no importer column'}; "
                "market indices need bilateral flows whose importer codes match (groups expand to ISO alpha-3)")
        flows = into
    if exclude_crude_oil:
        flows = select_flows(flows, exclude_crude_oil=True)
    return flows, label


def _matrices(flows: pd.DataFrame, by: str = "exporter") -> Iterator[tuple[str, pd.DataFrame]]:
    """Per period (sorted): the ``by`` × product matrix of values (sum over the other partner; missing = 0).

    The sums of every period in one grouping (each adds its flows in the same order as a grouping of that
    period's flows alone: the same sums), then one matrix per period — not one grouping per period, which cost
    most of a bulletin's RCA annex (issue 16)."""
    sums = flows.groupby(["period", by, "product"], sort=True)["value"].sum()
    for period, part in sums.groupby(level="period", sort=True):
        matrix = part.droplevel("period").unstack("product", fill_value=0.0)
        yield str(period), matrix.sort_index().sort_index(axis=1).astype("float64")


def _long(period: str, values: np.ndarray, rows: pd.Index, columns: pd.Index, name: str,
          row_name: str = "exporter", column_name: str = "product") -> pd.DataFrame:
    return pd.DataFrame({
        "period": period,
        row_name: np.repeat(rows.to_numpy(dtype=object), len(columns)),
        column_name: np.tile(columns.to_numpy(dtype=object), len(rows)),
        name: values.reshape(-1),
    })


def _concat(parts: list[pd.DataFrame], columns: list[str], label: str | None) -> pd.DataFrame:
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: [] for c in columns})
    frame = frame[columns]
    if label is not None:
        frame.insert(2, "market", label)
    return frame


def _imports(flows: pd.DataFrame, imports: pd.DataFrame | None, exclude_crude_oil: bool) -> pd.DataFrame:
    """Imports by importer: ``imports`` if given (rows keyed by importer), else the mirror of bilateral flows."""
    source = flows if imports is None else check_flows(imports)
    bilateral = source[source["importer"] != WORLD]
    if bilateral.empty:
        raise ValueError("this index needs imports: pass imports=… (rows keyed by importer) or bilateral flows "
                         "(an importer column), whose mirror gives each importer's imports")
    if exclude_crude_oil:
        bilateral = select_flows(bilateral, exclude_crude_oil=True)
    return bilateral


# ---------------------------------------------------------------- the RCA family


def balassa(matrix: np.ndarray) -> np.ndarray:
    """Balassa RCA of an exporter × product value matrix: (X_cp / X_c·) / (X_·p / X_··); NaN if undefined."""
    x = np.asarray(matrix, dtype="float64")
    share_in_exporter = _div(x, x.sum(axis=1, keepdims=True))
    share_in_world = _div(x.sum(axis=0, keepdims=True), x.sum())
    return _div(share_in_exporter, share_in_world)


def rca(flows: pd.DataFrame, *, market: Market = None, exclude_crude_oil: bool = False) -> pd.DataFrame:
    """Balassa (1965) revealed comparative advantage per period, exporter and product.

    With ``market`` (an importer code, a list, or a group such as "EU"), the RCA in that market: shares in
    the flows into the market only (``market`` column added). Columns: period, exporter, [market,] product, rca.
    """
    flows, label = _prepare(flows, market, exclude_crude_oil)
    parts = [_long(period, balassa(m.to_numpy()), m.index, m.columns, "rca") for period, m in _matrices(flows)]
    return _concat(parts, ["period", "exporter", "product", "rca"], label)


def _members(products: pd.Index, codes: Iterable[str]) -> list[str]:
    """The products under any of ``codes`` in the HS hierarchy (a code covers itself and its subheadings)."""
    prefixes = tuple(str(c) for c in codes)
    found = [p for p in products.astype(str) if p.startswith(prefixes)]
    for p in found:  # "27" next to "2709" would count the crude oil twice
        inner = [q for q in found if q != p and q.startswith(p)]
        if inner:
            raise ValueError(f"products {p} and {inner[0]} are both in the flows and both under HS "
                             f"{', '.join(prefixes)}: give the flows at one level of the HS (aggregate_hs)")
    return found


def group_rca(flows: pd.DataFrame, groups: Mapping[str, Iterable[str]], *, market: Market = None,
              exclude_crude_oil: bool = False) -> pd.DataFrame:
    """Balassa RCA of groups of products, per period and exporter: a group's share in the exporter's exports
    over its share in all exporters' exports, (Σ_{p∈g} X_cp / X_c·) / (Σ_{p∈g} X_·p / X_··).

    ``groups`` maps a label to HS codes; a code covers its subheadings ("85" takes 8517 and 851712). A group of
    one product has that product's :func:`rca`. With ``market``, the shares are in the flows into it. A group no
    exporter exports (in a period) has NaN. Columns: period, exporter, [market,] group, rca.
    """
    flows, label = _prepare(flows, market, exclude_crude_oil)
    parts = []
    for period, m in _matrices(flows):
        labels = pd.Index([str(g) for g in groups], dtype=object)
        x = np.column_stack([m[_members(m.columns, codes)].to_numpy().sum(axis=1) for codes in groups.values()]) \
            if len(groups) else np.zeros((len(m.index), 0))
        totals = m.to_numpy().sum(axis=1, keepdims=True)
        values = _div(_div(x, totals), _div(x.sum(axis=0, keepdims=True), totals.sum()))
        parts.append(_long(period, values, m.index, labels, "rca", column_name="group"))
    return _concat(parts, ["period", "exporter", "group", "rca"], label)


def rca_in_market(flows: pd.DataFrame, market: str | Iterable[str], *,
                  exclude_crude_oil: bool = False) -> pd.DataFrame:
    """RCA of each exporter in ``market`` (bilateral flows): :func:`rca` with the market required."""
    return rca(flows, market=market, exclude_crude_oil=exclude_crude_oil)


def rca_presence(flows: pd.DataFrame, *, threshold: float = 1.0, market: Market = None,
                 exclude_crude_oil: bool = False) -> pd.DataFrame:
    """The presence flag M_cp = 1 if RCA ≥ ``threshold`` else 0 (also 0 where RCA is undefined)."""
    frame = rca(flows, market=market, exclude_crude_oil=exclude_crude_oil)
    frame["rca_presence"] = (frame.pop("rca").to_numpy() >= threshold).astype("int64")
    return frame


def symmetric_rca(flows: pd.DataFrame, *, market: Market = None, exclude_crude_oil: bool = False) -> pd.DataFrame:
    """Laursen's symmetric RCA, (RCA − 1) / (RCA + 1), in [−1, 1): −1 for a product the exporter does not
    export; NaN where RCA is undefined."""
    frame = rca(flows, market=market, exclude_crude_oil=exclude_crude_oil)
    value = frame.pop("rca").to_numpy()
    frame["symmetric_rca"] = _div(value - 1.0, value + 1.0)  # RCA ≥ 0, so the denominator is ≥ 1 or NaN
    return frame


def normalized(matrix: np.ndarray) -> np.ndarray:
    """Normalized RCA of a value matrix: X_cp / X_·· − X_c· · X_·p / X_··²; NaN everywhere if X_·· = 0."""
    x = np.asarray(matrix, dtype="float64")
    total = x.sum()
    # As shares of the total (not X_c·X_p / X²), so tiny or huge values neither underflow nor overflow.
    return _div(x, total) - _div(x.sum(axis=1, keepdims=True), total) * _div(x.sum(axis=0, keepdims=True), total)


def normalized_rca(flows: pd.DataFrame, *, market: Market = None, exclude_crude_oil: bool = False) -> pd.DataFrame:
    """Yu, Cai & Leung (2009) normalized RCA, ΔX_cp / X_·· (rows and columns sum to 0), per period."""
    flows, label = _prepare(flows, market, exclude_crude_oil)
    parts = [_long(p, normalized(m.to_numpy()), m.index, m.columns, "normalized_rca") for p, m in _matrices(flows)]
    return _concat(parts, ["period", "exporter", "product", "normalized_rca"], label)


def export_specialisation(flows: pd.DataFrame, market: str | Iterable[str], *, imports: pd.DataFrame | None = None,
                          exclude_crude_oil: bool = False) -> pd.DataFrame:
    """Export specialisation ES_cp = (X_cp / X_c·) / (M_mp / M_m·): the share of p in exporter c's exports (to
    all destinations) over the share of p in market m's imports (from everyone).

    ``imports``: rows keyed by importer (default: the mirror of the bilateral ``flows``). NaN where the
    exporter exports nothing or the market imports no p. Columns: period, exporter, market, product, es.
    """
    exports, _ = _prepare(flows, None, exclude_crude_oil)
    label, codes = resolve_market(market)
    bought = _imports(flows, imports, exclude_crude_oil)
    bought = bought[bought["importer"].isin(codes)]
    if bought.empty:
        raise ValueError(f"no imports into market {label}: check the importer codes (groups expand to ISO alpha-3)")
    # The market's imports by product, per period (summed over the origins and the market's members).
    imported = {period: part.groupby("product")["value"].sum() for period, part in bought.groupby("period")}
    parts = []
    for period, m in _matrices(exports):
        if period not in imported:
            continue
        products = m.columns.union(imported[period].index)
        x = m.reindex(columns=products, fill_value=0.0).to_numpy()
        into = imported[period].reindex(products, fill_value=0.0).to_numpy()
        es = _div(_div(x, x.sum(axis=1, keepdims=True)), _div(into, into.sum())[None, :])
        parts.append(_long(period, es, m.index, products, "es"))
    return _concat(parts, ["period", "exporter", "product", "es"], label)


# ---------------------------------------------------------------- exports against imports


def lafay(flows: pd.DataFrame, *, imports: pd.DataFrame | None = None, exclude_crude_oil: bool = False
          ) -> pd.DataFrame:
    """Lafay (1992) index of each country (column ``exporter``) and product, from its exports x and imports m:

    LFI_cp = 100 · [ (x_cp − m_cp) − (X_c − M_c) · (x_cp + m_cp) / (X_c + M_c) ] / (X_c + M_c)

    (the usual form 100·[(x−m)/(x+m) − (X−M)/(X+M)]·(x+m)/(X+M), written so a product with x + m = 0 gets 0);
    sums to 0 over products. NaN for a country with X + M = 0. ``imports`` as in :func:`export_specialisation`.
    """
    exports, _ = _prepare(flows, None, exclude_crude_oil)
    bought = _imports(flows, imports, exclude_crude_oil)
    exported = dict(_matrices(exports, "exporter"))
    imported = dict(_matrices(bought, "importer"))
    parts = []
    for period in sorted(set(exported) | set(imported)):
        # A period may have exports but no imports, or the reverse: the missing side is all 0.
        x_frame = exported.get(period, pd.DataFrame(dtype="float64"))
        m_frame = imported.get(period, pd.DataFrame(dtype="float64"))
        countries = x_frame.index.union(m_frame.index)
        products = x_frame.columns.union(m_frame.columns)
        x = x_frame.reindex(index=countries, columns=products, fill_value=0.0).to_numpy(dtype="float64")
        m = m_frame.reindex(index=countries, columns=products, fill_value=0.0).to_numpy(dtype="float64")
        total = (x + m).sum(axis=1, keepdims=True)
        balance = (x - m).sum(axis=1, keepdims=True)
        value = 100.0 * _div((x - m) - _div(balance * (x + m), total), total)
        parts.append(_long(period, value, countries, products, "lafay"))
    return _concat(parts, ["period", "exporter", "product", "lafay"], None)


def trade_complementarity(flows: pd.DataFrame, *, imports: pd.DataFrame | None = None,
                          exclude_crude_oil: bool = False) -> pd.DataFrame:
    """Michaely (1996) trade complementarity of exporter j with importer i (UNCTAD/WITS form, 0–100):

    TC_ji = 100 · (1 − Σ_p |m_ip − x_jp| / 2),  x_jp = X_jp / X_j·, m_ip = M_ip / M_i·

    over the products either trades; pairs with j ≠ i; NaN if either total is 0.
    Columns: period, exporter, importer, complementarity.
    """
    exports, _ = _prepare(flows, None, exclude_crude_oil)
    bought = _imports(flows, imports, exclude_crude_oil)
    imported = dict(_matrices(bought, "importer"))
    parts = []
    for period, x_frame in _matrices(exports):
        m_frame = imported.get(period)
        if m_frame is None:
            continue
        products = x_frame.columns.union(m_frame.columns)
        x = x_frame.reindex(columns=products, fill_value=0.0).to_numpy()
        m = m_frame.reindex(columns=products, fill_value=0.0).to_numpy()
        x_share = _div(x, x.sum(axis=1, keepdims=True))
        m_share = _div(m, m.sum(axis=1, keepdims=True))
        # One importer at a time: an exporters × importers × products array would not fit at HS 6 digits.
        value = np.column_stack([100.0 * (1.0 - np.abs(m_share[i][None, :] - x_share).sum(axis=1) / 2.0)
                                 for i in range(len(m_frame.index))]) if len(m_frame.index) else \
            np.empty((len(x_frame.index), 0))
        frame = _long(period, value, x_frame.index, m_frame.index, "complementarity", column_name="importer")
        parts.append(frame[frame["exporter"] != frame["importer"]])
    return _concat(parts, ["period", "exporter", "importer", "complementarity"], None)


# ---------------------------------------------------------------- exporters against each other


def export_similarity(flows: pd.DataFrame, *, market: Market = None, exclude_crude_oil: bool = False
                      ) -> pd.DataFrame:
    """Finger & Kreinin (1979) export similarity of exporters a and b (0–100), in ``market`` if given:

    S(a, b) = 100 · Σ_p min(X_ap / X_a·, X_bp / X_b·)

    for every ordered pair a ≠ b; NaN if either exports nothing. Columns: period, exporter, [market,] other,
    similarity.
    """
    flows, label = _prepare(flows, market, exclude_crude_oil)
    parts = []
    for period, m in _matrices(flows):
        x = m.to_numpy()
        share = _div(x, x.sum(axis=1, keepdims=True))
        value = np.column_stack([100.0 * np.minimum(share, share[b][None, :]).sum(axis=1)
                                 for b in range(len(m.index))])
        frame = _long(period, value, m.index, m.index, "similarity", column_name="other")
        parts.append(frame[frame["exporter"] != frame["other"]])
    return _concat(parts, ["period", "exporter", "other", "similarity"], label)


def _previous(period: str, lag: int) -> str:
    if len(period) == 4:
        return f"{int(period) - lag:04d}"
    key = parse_month(period)
    return month_code(key - lag) if key is not None else ""


def market_share(flows: pd.DataFrame, *, market: Market = None, by_product: bool = True, lag: int = 1,
                 exclude_crude_oil: bool = False) -> pd.DataFrame:
    """Each exporter's share of the exports of the exporters present (into ``market`` if given), and its change.

    share_cp = X_cp / X_·p (``by_product``) or X_c· / X_·· (total, product "*"); ``share_change`` is the
    difference from ``lag`` periods earlier (years: 1; months: 1, or 12 for the same month last year), NaN
    where that period, exporter or product is not in the flows. Fractions, not percentages.
    """
    flows, label = _prepare(flows, market, exclude_crude_oil)
    if not by_product:
        flows = flows.assign(product="*")
    return _shares(_matrices(flows), label, lag)


def _shares(matrices: Iterable[tuple[str, pd.DataFrame]], label: str | None, lag: int) -> pd.DataFrame:
    """:func:`market_share`'s frame from the per-period matrices of the prepared flows (:func:`_matrices`)."""
    parts = []
    for period, m in matrices:
        x = m.to_numpy()
        parts.append(_long(period, _div(x, x.sum(axis=0, keepdims=True)), m.index, m.columns, "share"))
    frame = _concat(parts, ["period", "exporter", "product", "share"], None)
    earlier = frame.rename(columns={"share": "_before", "period": "_previous"})
    previous = {p: _previous(p, lag) for p in frame["period"].unique()}  # per period, not per row
    frame["_previous"] = frame["period"].map(previous)
    frame = frame.merge(earlier, on=["_previous", "exporter", "product"], how="left")
    frame["share_change"] = frame["share"] - frame["_before"]
    frame = frame.drop(columns=["_previous", "_before"])
    if label is not None:
        frame.insert(2, "market", label)
    return frame


def rca_with_shares(flows: pd.DataFrame, market: str | Iterable[str], *, lag: int = 1,
                    exclude_crude_oil: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``rca_in_market(flows, market)``, ``market_share(flows, market=market)`` and ``market_share(flows,
    market=market, by_product=False)`` (``lag`` and ``exclude_crude_oil`` passed on), the same frames, from one
    preparation of the flows and one set of matrices for the first two: what a bulletin's RCA table shows
    (issue 16)."""
    flows, label = _prepare(flows, market, exclude_crude_oil)
    matrices = list(_matrices(flows))
    values = _concat([_long(p, balassa(m.to_numpy()), m.index, m.columns, "rca") for p, m in matrices],
                     ["period", "exporter", "product", "rca"], label)
    return values, _shares(matrices, label, lag), _shares(_matrices(flows.assign(product="*")), label, lag)


def export_concentration(flows: pd.DataFrame, *, market: Market = None, exclude_crude_oil: bool = False
                         ) -> pd.DataFrame:
    """Hirschman–Herfindahl concentration of each exporter's exports over the n products present:

    HHI_c = Σ_p s_cp²,  s_cp = X_cp / X_c·,  in [1/n, 1];  normalized (HHI_c − 1/n) / (1 − 1/n), in [0, 1]

    NaN for an exporter with no exports (and the normalized one when n = 1). Columns: period, exporter,
    [market,] products (n), hhi, hhi_normalized.
    """
    flows, label = _prepare(flows, market, exclude_crude_oil)
    parts = []
    for period, m in _matrices(flows):
        x = m.to_numpy()
        n = x.shape[1]
        total = x.sum(axis=1)
        hhi = (_div(x, total[:, None]) ** 2).sum(axis=1)
        hhi[total == 0] = np.nan  # the sum of NaNs above would say 0
        parts.append(pd.DataFrame({"period": period, "exporter": m.index.to_numpy(dtype=object), "products": n,
                                   "hhi": hhi, "hhi_normalized": _div(hhi - 1.0 / n, 1.0 - 1.0 / n)}))
    return _concat(parts, ["period", "exporter", "products", "hhi", "hhi_normalized"], label)


def _year_matrices(sums: pd.Series) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per period: the exporters and products present (sorted) and the exporter × product matrix of ``sums``
    (indexed by period, exporter, product, sorted; missing = 0) — what ``analysis.trade.indices._matrices``
    gives, built in numpy rather than by a pandas unstack per period."""
    periods = sums.index.get_level_values(0).to_numpy(dtype=object)
    exporters = sums.index.get_level_values(1).to_numpy(dtype=object)
    products = sums.index.get_level_values(2).to_numpy(dtype=object)
    values = sums.to_numpy(dtype="float64")
    bounds = np.flatnonzero(periods[1:] != periods[:-1]) + 1
    out: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    if not len(periods):  # no flows left (all of them crude oil, say): no period
        return out
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), len(periods)], strict=True):
        rows, row_at = np.unique(exporters[lo:hi], return_inverse=True)
        columns, column_at = np.unique(products[lo:hi], return_inverse=True)
        # Row-major, as the unstacked frame's to_numpy() is: numpy's sums of more than eight terms add in an order
        # that follows the memory layout, so the same layout gives the same bits (the test checks it).
        matrix = np.zeros((len(rows), len(columns)))
        matrix[row_at, column_at] = values[lo:hi]
        out[str(periods[lo])] = (rows, columns, matrix)
    return out


def exporter_rca_rows(flows: pd.DataFrame, market: str | Iterable[str], exporter: str, *,
                      exclude_crude_oil: bool = False) -> tuple[pd.DataFrame, dict[str, float]]:
    """``exporter``'s rows of an RCA table in ``market`` — columns period, exporter, product, rca, share,
    share_change, rca_presence (1 if RCA ≥ 1), rca_change (on the year before, NaN across a gap), share_pct,
    share_change_pp; products it sells in no period left out — and its share of the market over all products by
    period (%), from yearly ``flows``.

    :func:`rca_with_shares` for one exporter: the same sums (pandas' grouping), the same matrices and formulas
    (balassa, the column shares), the same numbers to the bit (tests/test_issue16_rca_table.py), in numpy,
    without the long frames of every exporter and their merges, which were most of a bulletin's annex
    (issue 16: 93 → 21 ms on the demo's 3,700 yearly flows)."""
    flows, _ = _prepare(flows, market, exclude_crude_oil)
    by_product = _year_matrices(flows.groupby(["period", "exporter", "product"], sort=True)["value"].sum())
    totals = _year_matrices(flows.assign(product="*").groupby(["period", "exporter", "product"], sort=True)
                            ["value"].sum())
    years: dict[str, dict[str, tuple[float, float]]] = {}  # period → product → (rca, share) of the exporter
    for period, (rows, columns, matrix) in by_product.items():
        at = np.searchsorted(rows, exporter)
        if at == len(rows) or rows[at] != exporter:
            continue
        rca = balassa(matrix)[at]
        share = _div(matrix, matrix.sum(axis=0, keepdims=True))[at]
        years[period] = dict(zip(columns.tolist(), zip(rca.tolist(), share.tolist(), strict=True), strict=True))
    sold = {product for cells in years.values() for product, (_, share) in cells.items() if share > 0}
    records = []
    for period in sorted(years):
        before = years.get(_previous(period, 1))
        for product in sorted(years[period]):
            if product not in sold:
                continue
            rca, share = years[period][product]
            earlier = before.get(product) if before is not None else None
            records.append((period, product, rca, share, math.nan if earlier is None else share - earlier[1]))
    frame = pd.DataFrame.from_records(records, columns=["period", "product", "rca", "share", "share_change"])
    if not records:  # the exporter sells the market nothing (or only what is excluded): typed columns all the same
        frame = frame.astype({"period": "str", "product": "str", "rca": "float64", "share": "float64",
                              "share_change": "float64"})
    frame.insert(1, "exporter", pd.Series([exporter] * len(frame), index=frame.index, dtype="str"))
    frame["rca_presence"] = (frame["rca"].to_numpy() >= 1.0).astype("int64")
    # On the previous year in the table (a gap year leaves NaN rather than a two-year change), product by product.
    kept = {(p, q): r for p, q, r in zip(frame["period"], frame["product"], frame["rca"], strict=True)}
    present = sorted(set(frame["period"]))
    previous_year = {b: a for a, b in itertools.pairwise(present) if a.isdigit() and b.isdigit()
                     and int(b) - int(a) == 1}
    frame["rca_change"] = [r - kept.get((previous_year[p], q), math.nan) if p in previous_year else math.nan
                           for p, q, r in zip(frame["period"], frame["product"], frame["rca"], strict=True)]
    frame["share_pct"] = 100.0 * frame["share"]
    frame["share_change_pp"] = 100.0 * frame["share_change"]
    total_share = {}
    for period, (rows, _, matrix) in totals.items():
        at = np.searchsorted(rows, exporter)
        if at < len(rows) and rows[at] == exporter:
            total_share[period] = 100.0 * float(_div(matrix, matrix.sum(axis=0, keepdims=True))[at, 0])
    return frame, total_share
