"""Trade competitiveness and key industrial products, composed for the bulletin's annex and the dashboard.

Two inputs, each optional:

- trade flows (``analysis.trade`` FLOW_COLUMNS, bilateral): Vietnam's revealed comparative advantage in a
  market (the EU of EVFTA by default) by product group, its change on the previous year, the groups with
  RCA ≥ 1, and Vietnam's share of the market's imports from the exporters present — :func:`rca_table`;
- a key-product scoring (a ``KeyProductResult`` or the store's latest scoring): the ranked list with its
  class, score and criteria, the weights with their consistency ratio, the sensitivity — :class:`Scoring`.

The composition is pure (frames in, document blocks or rows out), so the bulletin, the pages and the API
say the same figures; reading the store is left to :func:`store_annex` and to the web layer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from vnindustry import names
from vnindustry.analysis.key_products import KeyProductResult, criterion
from vnindustry.analysis.trade import (
    FLOW_COLUMNS,
    MARKET_GROUPS,
    WORLD,
    market_share,
    rca_in_market,
    resolve_market,
)
from vnindustry.publish.document import CellFormat, Paragraph, Section, Table
from vnindustry.publish.numbers import format_number

DEFAULT_MARKET = "EU"
DEFAULT_EXPORTER = "VNM"
ANNEX_YEARS = 3  # years shown in the bulletin's RCA table

# Names of the product groups (HS chapters, and the headings the crude-oil switch needs). Vietnamese names
# follow GSO's commodity wording where a chapter matches one; any other code is shown as "HS <code>".
HS_NAMES: dict[str, tuple[str, str]] = {
    "01": ("Động vật sống", "Live animals"),
    "02": ("Thịt và phụ phẩm dạng thịt", "Meat and edible offal"),
    "03": ("Thủy sản", "Fish and seafood"),
    "04": ("Sữa và sản phẩm từ sữa, trứng, mật ong", "Dairy produce, eggs, honey"),
    "06": ("Cây sống, hoa", "Live plants and flowers"),
    "07": ("Rau", "Vegetables"),
    "08": ("Quả và hạt ăn được (hạt điều)", "Edible fruit and nuts (cashews)"),
    "09": ("Cà phê, chè, hạt tiêu và gia vị", "Coffee, tea, pepper and spices"),
    "10": ("Ngũ cốc (gạo)", "Cereals (rice)"),
    "11": ("Sản phẩm xay xát, tinh bột", "Milling products, starches"),
    "15": ("Dầu mỡ động thực vật", "Animal and vegetable fats and oils"),
    "16": ("Chế phẩm từ thịt, thủy sản", "Preparations of meat and fish"),
    "17": ("Đường và các loại kẹo đường", "Sugars and sugar confectionery"),
    "19": ("Sản phẩm từ ngũ cốc, bột", "Preparations of cereals and flour"),
    "20": ("Chế phẩm từ rau, quả, hạt", "Preparations of vegetables, fruit and nuts"),
    "21": ("Các chế phẩm ăn được khác", "Miscellaneous edible preparations"),
    "22": ("Đồ uống", "Beverages"),
    "23": ("Thức ăn gia súc và nguyên liệu", "Animal feed and food residues"),
    "24": ("Thuốc lá", "Tobacco"),
    "25": ("Muối, lưu huỳnh, đất và đá, xi măng", "Salt, sulphur, earths and stone, cement"),
    "26": ("Quặng, xỉ và tro", "Ores, slag and ash"),
    "27": ("Nhiên liệu khoáng, dầu khoáng", "Mineral fuels and oils"),
    "2709": ("Dầu thô", "Crude oil"),
    "2710": ("Xăng dầu các loại", "Petroleum products"),
    "2711": ("Khí đốt", "Petroleum gases"),
    "28": ("Hóa chất vô cơ", "Inorganic chemicals"),
    "29": ("Hóa chất hữu cơ", "Organic chemicals"),
    "30": ("Dược phẩm", "Pharmaceutical products"),
    "31": ("Phân bón", "Fertilisers"),
    "32": ("Chất màu, sơn, mực", "Dyes, paints and inks"),
    "33": ("Tinh dầu, mỹ phẩm", "Essential oils and cosmetics"),
    "34": ("Xà phòng, chất tẩy rửa", "Soap and washing preparations"),
    "38": ("Sản phẩm hóa chất khác", "Miscellaneous chemical products"),
    "39": ("Chất dẻo và sản phẩm bằng chất dẻo", "Plastics and articles thereof"),
    "40": ("Cao su và sản phẩm bằng cao su", "Rubber and articles thereof"),
    "41": ("Da sống và da thuộc", "Raw hides, skins and leather"),
    "42": ("Túi xách, ví, va li, mũ, ô dù", "Bags, handbags and travel goods"),
    "44": ("Gỗ và sản phẩm gỗ", "Wood and articles of wood"),
    "46": ("Sản phẩm mây, tre, cói và thảm", "Rattan, bamboo and plaiting products"),
    "47": ("Bột giấy", "Pulp of wood"),
    "48": ("Giấy và sản phẩm từ giấy", "Paper and paperboard"),
    "49": ("Sách báo, ấn phẩm", "Printed matter"),
    "52": ("Bông", "Cotton"),
    "54": ("Sợi filament nhân tạo", "Man-made filaments"),
    "55": ("Xơ, sợi dệt các loại", "Man-made staple fibres and yarn"),
    "56": ("Mền xơ, dây và chão", "Wadding, twine and cordage"),
    "60": ("Vải dệt kim", "Knitted fabrics"),
    "61": ("Hàng may mặc dệt kim", "Knitted apparel"),
    "62": ("Hàng may mặc không dệt kim", "Woven apparel"),
    "63": ("Hàng dệt khác", "Other made-up textile articles"),
    "64": ("Giày dép các loại", "Footwear"),
    "65": ("Mũ và các vật đội đầu", "Headgear"),
    "68": ("Sản phẩm bằng đá, thạch cao, xi măng", "Articles of stone, plaster and cement"),
    "69": ("Sản phẩm gốm, sứ", "Ceramic products"),
    "70": ("Thủy tinh và sản phẩm thủy tinh", "Glass and glassware"),
    "71": ("Đá quý, kim loại quý và sản phẩm", "Precious stones, metals and jewellery"),
    "72": ("Sắt thép", "Iron and steel"),
    "73": ("Sản phẩm từ sắt thép", "Articles of iron or steel"),
    "74": ("Đồng và sản phẩm bằng đồng", "Copper and articles thereof"),
    "76": ("Nhôm và sản phẩm bằng nhôm", "Aluminium and articles thereof"),
    "82": ("Dụng cụ, dao kéo bằng kim loại", "Tools and cutlery of base metal"),
    "83": ("Sản phẩm khác bằng kim loại cơ bản", "Miscellaneous articles of base metal"),
    "84": ("Máy móc, thiết bị, dụng cụ cơ khí", "Machinery and mechanical appliances"),
    "85": ("Máy móc, thiết bị điện, điện tử và linh kiện", "Electrical machinery and electronics"),
    "86": ("Đầu máy, toa xe và phụ tùng", "Railway locomotives and rolling stock"),
    "87": ("Phương tiện vận tải và phụ tùng", "Vehicles and parts"),
    "88": ("Tàu bay và phụ tùng", "Aircraft and parts"),
    "89": ("Tàu thuyền và các kết cấu nổi", "Ships and boats"),
    "90": ("Dụng cụ quang học, y tế, đo lường", "Optical, medical and measuring instruments"),
    "91": ("Đồng hồ và bộ phận", "Clocks and watches"),
    "94": ("Gỗ nội thất, giường, tủ, bàn, ghế, đèn", "Furniture, bedding and lamps"),
    "95": ("Đồ chơi, dụng cụ thể thao", "Toys, games and sports equipment"),
    "96": ("Sản phẩm chế tạo khác", "Miscellaneous manufactured articles"),
}

CLASS_NAMES: dict[str, tuple[str, str]] = {
    "key": ("chủ lực", "key"),
    "potential": ("tiềm năng", "potential"),
    "other": ("khác", "other"),
}
METHOD_NAMES: dict[str, tuple[str, str]] = {
    "topsis": ("TOPSIS", "TOPSIS"),
    "wsm": ("tổng có trọng số (WSM)", "weighted sum (WSM)"),
}
WEIGHT_ORIGINS: dict[str, tuple[str, str]] = {
    "ahp": ("so sánh cặp (AHP)", "pairwise comparison (AHP)"),
    "direct": ("nhập trực tiếp", "entered directly"),
    "default": ("mặc định", "the defaults"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def product_name(code: str, lang: str = "vi") -> str:
    """The product group's name ("Giày dép các loại" / "Footwear"); "HS <code>" when it is not listed."""
    pair = HS_NAMES.get(str(code))
    return _pick(pair, lang) if pair else f"HS {code}"


def class_name(klass: str, lang: str = "vi") -> str:
    """"chủ lực" / "tiềm năng" / "khác" (vi); key / potential / other (en)."""
    pair = CLASS_NAMES.get(klass)
    return _pick(pair, lang) if pair else klass


class NoTradeData(LookupError):
    """No flows for the selection (empty store, unknown market or exporter): a page says so, the API 404s."""


# ---------------------------------------------------------------- RCA in a market


def yearly(flows: pd.DataFrame) -> pd.DataFrame:
    """Monthly flows summed into years (``YYYY-MM`` → ``YYYY``); yearly flows unchanged.

    The annex and the pages compare years: a month's RCA moves with shipping dates, a year's with
    specialisation. Quantities are dropped (units may differ within a product group).
    """
    if flows.empty or not flows["period"].astype(str).str.len().gt(4).any():
        return flows
    out = flows.assign(period=flows["period"].astype(str).str[:4])
    out = out.groupby(["period", "exporter", "importer", "product"], as_index=False, sort=True)["value"].sum()
    out["quantity"] = np.nan
    return out.loc[:, list(FLOW_COLUMNS)]


RCA_COLUMNS = ("period", "exporter", "market", "product", "product_name", "rca", "rca_presence", "rca_change",
               "share_pct", "share_change_pp")


@dataclass(frozen=True)
class RcaTable:
    """An exporter's RCA in a market, by product group and year, with its market share.

    ``frame`` has :data:`RCA_COLUMNS`, one row per (period, product) of the exporter, unrounded: ``rca``
    (Balassa, in the market), ``rca_presence`` (1 if RCA ≥ 1), ``rca_change`` (on the previous period, NaN
    without one), ``share_pct`` (the exporter's share of the market's imports of the product from the
    exporters present, %), ``share_change_pp`` (percentage points). ``total_share`` is the share over all
    products, by period (%).
    """

    market: str
    exporter: str
    exclude_crude_oil: bool
    frame: pd.DataFrame
    total_share: dict[str, float] = field(default_factory=dict)
    exporters: tuple[str, ...] = ()  # the exporters with flows into the market (for a picker)

    @property
    def periods(self) -> list[str]:
        """The periods, oldest first."""
        return sorted(self.frame["period"].unique().tolist())

    def latest(self) -> pd.DataFrame:
        """The latest period's rows, highest RCA first (undefined RCA last)."""
        if self.frame.empty:
            return self.frame
        last = self.periods[-1]
        rows = self.frame[self.frame["period"] == last]
        return rows.sort_values(["rca", "product"], ascending=[False, True], na_position="last")

    def wide(self, periods: Sequence[str] | None = None) -> pd.DataFrame:
        """Product × period RCA (rows ordered as :meth:`latest`)."""
        table = self.frame.pivot(index="product", columns="period", values="rca")
        order = [p for p in self.latest()["product"] if p in table.index]
        table = table.reindex(order)
        return table.loc[:, list(periods)] if periods is not None else table


def importers_of(flows: pd.DataFrame) -> list[str]:
    """Bilateral importers in ``flows`` (not the world)."""
    return sorted(set(flows["importer"].astype(str)) - {WORLD}) if not flows.empty else []


def markets_of(flows: pd.DataFrame, groups: Sequence[str] = ("EU", "ASEAN", "RCEP", "CPTPP")) -> list[str]:
    """Markets one can pick: the groups with at least one importer in ``flows``, then each importer."""
    present = set(importers_of(flows))
    return [g for g in groups if present & resolve_market(g)[1]] + sorted(present)


def rca_table(flows: pd.DataFrame, *, market: str = DEFAULT_MARKET, exporter: str = DEFAULT_EXPORTER,
              exclude_crude_oil: bool = True) -> RcaTable:
    """``exporter``'s RCA in ``market`` by product group and year (:class:`RcaTable`).

    Flows by month are summed into years first (:func:`yearly`). Raises :class:`NoTradeData` when there are
    no flows, none into the market, or none from the exporter into it.
    """
    if flows.empty:
        raise NoTradeData("no trade flows in the store")
    label, codes = resolve_market(market)
    into = flows[flows["importer"].isin(codes)]
    if into.empty:
        known = ", ".join(markets_of(flows)) or "none"
        raise NoTradeData(f"no flows into market {label}; markets with flows: {known}")
    exporters = tuple(sorted(set(into["exporter"].astype(str))))
    if exporter not in exporters:
        raise NoTradeData(f"no flows from exporter {exporter} into market {label}; exporters: {', '.join(exporters)}")
    into = yearly(into)
    values = rca_in_market(into, label, exclude_crude_oil=exclude_crude_oil)
    values = values[values["exporter"] == exporter].drop(columns=["market"])
    shares = market_share(into, market=label, exclude_crude_oil=exclude_crude_oil)
    shares = shares[shares["exporter"] == exporter].drop(columns=["market"])
    frame = values.merge(shares, on=["period", "exporter", "product"], how="left")
    # Products the exporter does not sell to the market in any year say nothing about it: left out.
    sold = frame.groupby("product")["share"].transform(lambda s: bool((s.fillna(0) > 0).any()))
    frame = frame[sold.astype(bool)].sort_values(["period", "product"]).reset_index(drop=True)
    frame["rca_presence"] = (frame["rca"].to_numpy() >= 1.0).astype("int64")
    previous = frame.pivot(index="period", columns="product", values="rca").shift(1)
    frame["rca_change"] = frame["rca"] - [previous.at[p, q] for p, q in zip(frame["period"], frame["product"],
                                                                            strict=True)]
    # Only a change on the year just before counts: a gap year leaves NaN rather than a two-year change.
    years = sorted(frame["period"].unique())
    consecutive = {b: a for a, b in itertools.pairwise(years) if a.isdigit() and b.isdigit()
                   and int(b) - int(a) == 1}
    frame.loc[~frame["period"].isin(consecutive), "rca_change"] = np.nan
    frame["share_pct"] = 100.0 * frame["share"]
    frame["share_change_pp"] = 100.0 * frame["share_change"]
    frame["market"] = label
    frame["product_name"] = frame["product"].map(product_name)
    total = market_share(into, market=label, by_product=False, exclude_crude_oil=exclude_crude_oil)
    total = total[total["exporter"] == exporter]
    total_share = {str(p): 100.0 * float(s) for p, s in zip(total["period"], total["share"], strict=True)}
    return RcaTable(label, exporter, exclude_crude_oil, frame.loc[:, list(RCA_COLUMNS)].reset_index(drop=True),
                    total_share, exporters)


# ---------------------------------------------------------------- key products


@dataclass(frozen=True)
class Scoring:
    """A key-product scoring as the annex and the pages show it, from a result or from the store.

    ``table``: product, name, score, rank, class and one column per criterion, best first; ``weights``:
    criterion, name_vi, name_en, unit_vi, unit_en, weight (summing to 1); ``sensitivity``: product, name,
    base_rank, min_rank, max_rank, base_class, classes (the classes the product takes, "|"-joined).
    """

    title: str
    released_on: dt.date | None
    method: str
    weights_origin: str
    criteria: tuple[str, ...]
    table: pd.DataFrame
    weights: pd.DataFrame
    sensitivity: pd.DataFrame
    lambda_max: float | None = None
    ci: float | None = None
    ri: float | None = None
    cr: float | None = None
    step: float = 0.2

    @staticmethod
    def from_result(result: KeyProductResult, *, title: str = "", released_on: dt.date | None = None) -> Scoring:
        """From a fresh :func:`score_products` result."""
        criteria = tuple(result.spec.criteria)
        table = pd.DataFrame([{"product": x.product, "name": x.name, "score": x.score, "rank": x.rank,
                               "class": x.klass, **{c: x.values.get(c, math.nan) for c in criteria}}
                              for x in result.ranking])
        names = dict(zip(table["product"], table["name"], strict=True)) if len(table) else {}
        sens = pd.DataFrame([{"product": s.product, "name": names.get(s.product, ""), "base_rank": s.base_rank,
                              "min_rank": s.min_rank, "max_rank": s.max_rank, "base_class": s.base_class,
                              "classes": "|".join(s.classes)} for s in result.sensitivity])
        ahp = result.ahp
        return Scoring(title, released_on, result.spec.method, result.weights.origin, criteria, table,
                       _weights_frame(criteria, result.weights.values), sens,
                       ahp.lambda_max if ahp else None, ahp.ci if ahp else None, ahp.ri if ahp else None,
                       ahp.cr if ahp else None, result.spec.sensitivity_step)

    @staticmethod
    def from_stored(stored: Any) -> Scoring:
        """From the store's latest scoring (``store.trade.latest_scoring``): its table, weights and AHP figures."""
        table = pd.DataFrame(stored.table).copy()
        weights = pd.DataFrame(stored.weights).copy()
        criteria = tuple(str(c) for c in weights["criterion"]) if "criterion" in weights else ()
        if not {"unit_vi", "unit_en"} <= set(weights.columns):
            weights = _weights_frame(criteria, tuple(float(w) for w in weights["weight"]))
        if "rank" in table:
            table = table.sort_values(["rank", "product"]).reset_index(drop=True)
        spec = getattr(stored, "spec", None)
        spec_doc = _spec_dict(spec)
        origin = str(spec_doc.get("weights_origin", "")) if spec_doc else ""
        step = float(spec_doc.get("sensitivity_step", 0.2)) if spec_doc else 0.2
        names = dict(zip(table["product"], table["name"], strict=True)) if len(table) else {}
        # StoredScoring keeps each product's rank range in ``ranges`` (its ``sensitivity`` is the long table).
        sens = _sensitivity_frame(getattr(stored, "ranges", None), names)
        return Scoring(str(getattr(stored, "title", "") or ""), getattr(stored, "released_on", None),
                       str(getattr(stored, "method", "") or spec_doc.get("method", "")), origin or
                       ("ahp" if getattr(stored, "cr", None) is not None else ""), criteria, table, weights, sens,
                       _opt(getattr(stored, "lambda_max", None)), _opt(getattr(stored, "ci", None)),
                       _opt(getattr(stored, "ri", None)), _opt(getattr(stored, "cr", None)), step)

    def counts(self) -> dict[str, int]:
        """Products by class (key, potential, other)."""
        got = self.table["class"].value_counts().to_dict() if len(self.table) else {}
        return {k: int(got.get(k, 0)) for k in CLASS_NAMES}


def _opt(value: Any) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _spec_dict(spec: Any) -> dict[str, Any]:
    if spec is None:
        return {}
    if isinstance(spec, dict):
        return spec
    if isinstance(spec, str):
        try:
            doc = json.loads(spec)
        except json.JSONDecodeError:
            return {}
        return doc if isinstance(doc, dict) else {}
    to_dict = getattr(spec, "to_dict", None)
    return to_dict() if callable(to_dict) else {}


def _weights_frame(criteria: Sequence[str], values: Sequence[float]) -> pd.DataFrame:
    rows = []
    for code, w in zip(criteria, values, strict=True):
        try:
            c = criterion(code)
            names = (c.name_vi, c.name_en, c.unit_vi, c.unit_en)
        except ValueError:
            names = (code, code, "", "")
        rows.append({"criterion": code, "name_vi": names[0], "name_en": names[1], "unit_vi": names[2],
                     "unit_en": names[3], "weight": float(w)})
    return pd.DataFrame(rows, columns=["criterion", "name_vi", "name_en", "unit_vi", "unit_en", "weight"])


def _sensitivity_frame(raw: Any, names: dict[str, str]) -> pd.DataFrame:
    columns = ["product", "name", "base_rank", "min_rank", "max_rank", "base_class", "classes"]
    if raw is None:
        return pd.DataFrame(columns=columns)
    if isinstance(raw, pd.DataFrame):
        frame = raw.copy()
    else:
        items = [x if isinstance(x, dict) else getattr(x, "__dict__", {}) for x in raw]
        frame = pd.DataFrame(items)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    if "classes" in frame:
        frame["classes"] = frame["classes"].map(lambda c: "|".join(c) if isinstance(c, list | tuple) else str(c))
    if "name" not in frame:
        frame["name"] = frame["product"].map(names).fillna("")
    return frame.loc[:, [c for c in columns if c in frame.columns]]


def criterion_label(code: str, lang: str, *, unit: bool = True) -> str:
    """"Giá trị sản xuất (tỷ đồng)" / "Production value (VND billion)"; the code when it is not declared."""
    try:
        c = criterion(code)
    except ValueError:
        return code
    name, u = (c.name_vi, c.unit_vi) if lang == "vi" else (c.name_en, c.unit_en)
    if not unit or not u:
        return name
    return f"{name}, {u}" if name.endswith(")") else f"{name} ({u})"


# ---------------------------------------------------------------- the annex


def _num(x: float | None, decimals: int, lang: str) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else format_number(x, decimals, lang)


def _value(x: Any) -> float | None:
    """A table cell: None for missing (an empty cell), else the float."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _points(x: float, lang: str) -> str:
    """"tăng 0,3 điểm phần trăm" / "up 0.3 percentage points"; "" when missing."""
    if math.isnan(x):
        return ""
    text = format_number(abs(x), 1, lang)
    if text == format_number(0, 1, lang):
        return "không đổi" if lang == "vi" else "unchanged"
    if lang == "vi":
        return f"{'tăng' if x > 0 else 'giảm'} {text} điểm phần trăm"
    return f"{'up' if x > 0 else 'down'} {text} percentage points"


def _groups(n: int) -> str:
    return f"{n} group" if n == 1 else f"{n} groups"


def market_name(market: str, lang: str) -> str:
    """"thị trường EU" / "the EU market"; a country by its name ("thị trường Áo" / "the Austria market")."""
    name = market if market in MARKET_GROUPS else names.market_name(market, lang)
    return f"thị trường {name}" if lang == "vi" else f"the {name} market"


def scored_name(name: str, lang: str) -> str:
    """A scored product's name in ``lang`` (English from the names tables; the Vietnamese if it has none)."""
    return (names.english_name(name) or name) if lang == "en" else name


_VIETNAMESE_LETTERS = frozenset("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def run_title(title: str, lang: str) -> str:
    """A run's title as written, or nothing in English when it is written in Vietnamese (a title is the
    user's own text: it is not translated, and an English page does not print Vietnamese)."""
    if lang == "en" and _VIETNAMESE_LETTERS & set(title.casefold()):
        return ""
    return title


def rca_paragraphs(table: RcaTable, lang: str) -> list[str]:
    """The competitiveness text: RCA ≥ 1 groups in the latest year, the strongest, changes, market share."""
    if table.frame.empty:
        return []
    vi = lang == "vi"
    latest = table.latest()
    year = table.periods[-1]
    shown = latest[latest["rca"].notna()]
    strong = shown[shown["rca"] >= 1.0]
    crude = (" (không kể dầu thô)" if vi else " (excluding crude oil)") if table.exclude_crude_oil else ""
    who, who_en = names.market_name(table.exporter, "vi"), names.market_name(table.exporter, "en")
    top = [f"{product_name(p, lang).lower() if vi else product_name(p, lang)} ({_num(r, 2, lang)})"
           for p, r in zip(strong["product"][:3], strong["rca"][:3], strict=True)]
    out = []
    if vi:
        s = (f"Năm {year}, trên {market_name(table.market, lang)}, {who} có lợi thế so sánh hiện hữu (RCA ≥ 1) ở "
             f"{len(strong)}/{len(shown)} nhóm hàng{crude}")
        s += f"; cao nhất là {', '.join(top)}." if top else "."
    else:
        s = (f"In {year}, in {market_name(table.market, lang)}, {who_en} had a revealed comparative advantage "
             f"(RCA ≥ 1) in {len(strong)} of {len(shown)} product groups{crude}")
        s += f"; the highest were {', '.join(top)}." if top else "."
    out.append(s)
    changes = latest["rca_change"].dropna()
    if len(changes):
        up, down = int((changes > 0.005).sum()), int((changes < -0.005).sum())
        prev = table.periods[-2]
        out.append(f"So với năm {prev}, chỉ số RCA tăng ở {up} nhóm hàng và giảm ở {down} nhóm hàng." if vi else
                   f"Compared with {prev}, RCA rose in {_groups(up)} and fell in {_groups(down)}.")
    share = table.total_share.get(year, math.nan)
    if not math.isnan(share):
        before = table.total_share.get(str(int(year) - 1), math.nan) if year.isdigit() else math.nan
        change = _points(share - before, lang) if not math.isnan(before) else ""
        if vi:
            s = (f"Thị phần của {who} trong kim ngạch nhập khẩu của {table.market} từ các nước xuất khẩu trong bộ số "
                 f"liệu đạt {_num(share, 1, lang)}%")
            s += f", {change} so với năm trước." if change else "."
        else:
            s = (f"{who_en}'s share of {table.market} imports from the exporters covered was "
                 f"{_num(share, 1, lang)}%")
            s += f", {change} on the previous year." if change else "."
        out.append(s)
    return out


def rca_block(table: RcaTable, lang: str, years: int = ANNEX_YEARS) -> Table:
    """The RCA table: product group, RCA of the last ``years`` years, change on the previous year, market share."""
    vi = lang == "vi"
    periods = table.periods[-years:]
    latest = table.latest()
    wide = table.wide(periods)
    last = latest.set_index("product")
    rows: list[list[object]] = []
    for product in wide.index:
        rows.append([str(product), product_name(product, lang),
                     *[_value(wide.at[product, p]) for p in periods],
                     _value(last.at[product, "rca_change"]), _value(last.at[product, "share_pct"])])
    crude = (" (không kể dầu thô)" if vi else " (excluding crude oil)") if table.exclude_crude_oil else ""
    who = names.market_name(table.exporter, lang)
    return Table(
        (f"Chỉ số RCA của {who} trên {market_name(table.market, lang)} theo nhóm hàng{crude}" if vi else
         f"RCA of {who} in {market_name(table.market, lang)} by product group{crude}"),
        ["Mã HS" if vi else "HS code", "Nhóm hàng" if vi else "Product group",
         *[f"RCA {p}" for p in periods],
         "Thay đổi so với năm trước" if vi else "Change on previous year",
         f"Thị phần {periods[-1]} (%)" if vi else f"Market share {periods[-1]} (%)"],
        [CellFormat.TEXT, CellFormat.TEXT, *[CellFormat.NUMBER2] * len(periods), CellFormat.NUMBER2,
         CellFormat.NUMBER1],
        rows,
        notes=[("RCA (Balassa) trên thị trường: tỷ trọng của nhóm hàng trong xuất khẩu của nước vào thị trường chia "
                "cho tỷ trọng đó của tất cả các nước xuất khẩu trong bộ số liệu; RCA ≥ 1: có lợi thế so sánh. "
                "Thị phần: tỷ trọng trong kim ngạch nhập khẩu của thị trường từ các nước xuất khẩu trong bộ số "
                "liệu.") if vi else
               ("RCA (Balassa) in the market: the group's share of the country's exports into the market divided by "
                "that share for all exporters covered; RCA ≥ 1: a comparative advantage. Market share: of the "
                "market's imports from the exporters covered.")],
        sheet_name="RCA")


def competitiveness_section(table: RcaTable, lang: str, number: int = 1) -> Section:
    """Annex section "Phụ lục N. Năng lực cạnh tranh …": text and the RCA table."""
    vi = lang == "vi"
    heading = (f"Phụ lục {number}. Năng lực cạnh tranh xuất khẩu trên {market_name(table.market, lang)}" if vi else
               f"Annex {number}. Export competitiveness in {market_name(table.market, lang)}")
    section = Section(heading)
    section.blocks += [Paragraph(p) for p in rca_paragraphs(table, lang)]
    if not table.frame.empty:
        section.blocks.append(rca_block(table, lang))
    return section


def _cr_text(scoring: Scoring, lang: str) -> str:
    if scoring.cr is None:
        return ""
    ok = scoring.cr <= 0.1
    if lang == "vi":
        return f"CR = {_num(scoring.cr, 3, lang)} {'≤' if ok else '>'} 0,1{', nhất quán' if ok else ''}"
    return f"CR = {_num(scoring.cr, 3, lang)} {'≤' if ok else '>'} 0.1{', consistent' if ok else ''}"


def key_product_paragraphs(scoring: Scoring, lang: str) -> list[str]:
    """The key-product text: the run, its method and weights (with CR), how many key and potential products."""
    vi = lang == "vi"
    counts = scoring.counts()
    method = _pick(METHOD_NAMES.get(scoring.method, (scoring.method, scoring.method)), lang)
    origin = _pick(WEIGHT_ORIGINS.get(scoring.weights_origin, (scoring.weights_origin,) * 2), lang)
    cr = _cr_text(scoring, lang)
    shown = run_title(scoring.title, lang)
    title = f"“{shown}”" if shown else ""
    n = len(scoring.table)
    key = [scored_name(str(x), lang) for x in scoring.table[scoring.table["class"] == "key"]["name"]]
    out = []
    if vi:
        s = (f"Kết quả chấm điểm {title + ' ' if title else ''}{n} sản phẩm ứng viên theo "
             f"{len(scoring.criteria)} tiêu chí")
        s += f" (phương pháp {method}, trọng số {origin}{'; ' + cr if cr else ''})"
        s += (f": {counts['key']} sản phẩm công nghiệp chủ lực, {counts['potential']} sản phẩm tiềm năng và "
              f"{counts['other']} sản phẩm khác.")
        out.append(s)
        if key:
            out.append(f"Các sản phẩm chủ lực: {'; '.join(key)}.")
    else:
        s = f"The scoring {title + ' ' if title else ''}of {n} candidate products on {len(scoring.criteria)} criteria"
        s += f" ({method}, weights from {origin}{'; ' + cr if cr else ''})"
        s += (f" gives {counts['key']} key industrial product{'' if counts['key'] == 1 else 's'}, "
              f"{counts['potential']} potential product{'' if counts['potential'] == 1 else 's'} and "
              f"{counts['other']} other{'' if counts['other'] == 1 else 's'}.")
        out.append(s)
        if key:
            out.append(f"Key products: {'; '.join(key)}.")
    moving = scoring.sensitivity
    if len(moving) and "classes" in moving:
        changed = moving[moving["classes"].astype(str).str.contains("|", regex=False)]
        pct = format_number(100 * scoring.step, 0, lang)
        if not len(changed):  # never "0 sản phẩm có thể đổi nhóm" (issue 13)
            out.append(f"Khi mỗi trọng số thay đổi ±{pct}%, không sản phẩm nào đổi nhóm." if vi else
                       f"When each weight moves by ±{pct}%, no product changes class.")
        elif vi:
            out.append(f"Khi mỗi trọng số thay đổi ±{pct}%, {len(changed)} sản phẩm có thể đổi nhóm"
                       + (f" ({'; '.join(changed['name'].astype(str))})." if len(changed) else "."))
        else:
            out.append(f"When each weight moves by ±{pct}%, {len(changed)} product{'' if len(changed) == 1 else 's'} "
                       "can change class"
                       + (f" ({'; '.join(scored_name(x, lang) for x in changed['name'].astype(str))})."
                          if len(changed) else "."))
    return out


def ranking_block(scoring: Scoring, lang: str) -> Table:
    """The ranked list: rank, code, product, score, class."""
    vi = lang == "vi"
    rows: list[list[object]] = [[_value(r["rank"]), str(r["product"]), scored_name(str(r["name"]), lang),
                                 _value(r["score"]),
                                 class_name(str(r["class"]), lang)] for r in scoring.table.to_dict("records")]
    return Table("Xếp hạng sản phẩm ứng viên" if vi else "Ranking of the candidate products",
                 ["Hạng" if vi else "Rank", "Mã" if vi else "Code", "Sản phẩm" if vi else "Product",
                  "Điểm" if vi else "Score", "Nhóm" if vi else "Class"],
                 [CellFormat.NUMBER0, CellFormat.TEXT, CellFormat.TEXT, CellFormat.NUMBER2, CellFormat.TEXT],
                 rows, sheet_name="ChuLuc" if vi else "KeyProducts")


def weights_block(scoring: Scoring, lang: str) -> Table:
    """The criteria and their weights (%), with λmax, CI, RI and CR in a note when they come from AHP."""
    vi = lang == "vi"
    rows: list[list[object]] = [[criterion_label(str(r["criterion"]), lang), 100.0 * float(r["weight"])]
                                for r in scoring.weights.to_dict("records")]
    notes = []
    if scoring.cr is not None:
        figures = ", ".join(f"{name} = {_num(v, 3, lang)}" for name, v in
                            (("λmax", scoring.lambda_max), ("CI", scoring.ci), ("RI", scoring.ri), ("CR", scoring.cr))
                            if v is not None)
        notes.append(f"Tính nhất quán của ma trận so sánh cặp: {figures} (chấp nhận khi CR ≤ 0,1)." if vi else
                     f"Consistency of the pairwise matrix: {figures} (accepted when CR ≤ 0.1).")
    return Table("Tiêu chí và trọng số" if vi else "Criteria and weights",
                 ["Tiêu chí" if vi else "Criterion", "Trọng số (%)" if vi else "Weight (%)"],
                 [CellFormat.TEXT, CellFormat.NUMBER1], rows, notes=notes,
                 sheet_name="TrongSo" if vi else "Weights")


def key_products_section(scoring: Scoring, lang: str, number: int = 2) -> Section:
    """Annex section "Phụ lục N. Sản phẩm công nghiệp chủ lực": text, the ranking and the weights."""
    vi = lang == "vi"
    section = Section(f"Phụ lục {number}. Sản phẩm công nghiệp chủ lực và tiềm năng" if vi else
                      f"Annex {number}. Key and potential industrial products")
    section.blocks += [Paragraph(p) for p in key_product_paragraphs(scoring, lang)]
    if len(scoring.table):
        section.blocks += [ranking_block(scoring, lang), weights_block(scoring, lang)]
    return section


SYNTHETIC_MARK = ("dữ liệu giả lập", "synthetic data")
SYNTHETIC_NOTE = ("Dữ liệu giả lập do chương trình demo tạo ra, không phải số liệu thực tế; chỉ dùng để minh họa.",
                  "Synthetic data made by the demo generator, not real figures; for illustration only.")


def _marked(section: Section, lang: str) -> Section:
    """``section`` with the synthetic mark: in its heading, a first paragraph and each table's title."""
    mark = _pick(SYNTHETIC_MARK, lang)
    section.heading = f"{section.heading} ({mark})"
    for block in section.blocks:
        if isinstance(block, Table):
            block.title = f"{block.title} ({mark})"
    section.blocks.insert(0, Paragraph(_pick(SYNTHETIC_NOTE, lang)))
    return section


def annex_sections(lang: str, *, flows: pd.DataFrame | None = None, scoring: Scoring | None = None,
                   market: str = DEFAULT_MARKET, exporter: str = DEFAULT_EXPORTER,
                   exclude_crude_oil: bool = True, synthetic_flows: bool = False,
                   synthetic_scoring: bool = False) -> list[Section]:
    """The annex: competitiveness (when ``flows`` reach ``market`` from ``exporter``) and key products (when
    ``scoring`` is given), numbered in that order; [] when neither has data. ``synthetic_*``: the flows or the
    scoring come from synthetic releases — the section says "dữ liệu giả lập / synthetic data" (issue 13)."""
    out: list[Section] = []
    if flows is not None and not flows.empty:
        try:
            table = rca_table(flows, market=market, exporter=exporter, exclude_crude_oil=exclude_crude_oil)
        except (NoTradeData, ValueError):  # ValueError: e.g. chapter 27 whose crude oil cannot be split out
            table = None
        if table is not None and not table.frame.empty:
            section = competitiveness_section(table, lang, len(out) + 1)
            out.append(_marked(section, lang) if synthetic_flows else section)
    if scoring is not None and len(scoring.table):
        section = key_products_section(scoring, lang, len(out) + 1)
        out.append(_marked(section, lang) if synthetic_scoring else section)
    return out


@dataclass(frozen=True)
class Lineage:
    """Each release's source, synthetic mark and inputs, to say which bulletin a trade-flow or scoring
    release belongs to (:meth:`belongs_to`)."""

    sources: dict[int, str]
    synthetic: frozenset[int]
    inputs: dict[int, tuple[int, ...]]
    bulletin_sources: frozenset[str]  # sources with series (whose bulletins exist)

    @staticmethod
    def of(store: Any) -> Lineage:
        """Read from ``store`` (every release: lineage reaches embargoed inputs too; nothing is shown from it)."""
        from sqlalchemy import select

        from vnindustry.store.models import Release, ReleaseInput, Series

        with store.engine.connect() as conn:
            releases = conn.execute(select(Release.id, Release.source, Release.synthetic)).all()
            links = conn.execute(select(ReleaseInput.release_id, ReleaseInput.input_release_id)).all()
            series_sources = conn.execute(select(Series.source).distinct()).scalars().all()
        inputs: dict[int, list[int]] = {}
        for r, i in links:
            inputs.setdefault(int(r), []).append(int(i))
        return Lineage({int(r.id): str(r.source) for r in releases},
                       frozenset(int(r.id) for r in releases if r.synthetic),
                       {k: tuple(v) for k, v in inputs.items()}, frozenset(str(s) for s in series_sources))

    def roots(self, release_id: int) -> frozenset[str]:
        """The bulletin sources among ``release_id`` and everything it was computed from (lineage)."""
        seen, todo, found = set(), [release_id], set()
        while todo:
            r = todo.pop()
            if r in seen:
                continue
            seen.add(r)
            if self.sources.get(r) in self.bulletin_sources:
                found.add(self.sources[r])
            todo.extend(self.inputs.get(r, ()))
        return frozenset(found)

    def belongs_to(self, release_id: int, source: str) -> bool:
        """Whether trade-flow or scoring release ``release_id`` belongs in the bulletin of ``source``.

        Rule (docs/dataset-format.md, "Which bulletin a flows release belongs to"): a release computed from figures of
        bulletin sources (lineage: ``trade import-gso`` from GSO's releases, a scoring filled from the city's
        compile) belongs to those sources only. A release computed from none (flows imported from a file, the
        demo's generated flows) belongs to every source whose synthetic mark it shares: synthetic flows go
        with a synthetic source's bulletin (the demo city), real flows with a real source's — never across.
        """
        roots = self.roots(release_id)
        if roots:
            return source in roots
        source_synthetic = any(self.sources[r] == source for r in self.synthetic)
        return (release_id in self.synthetic) == source_synthetic


def store_annex(store: Any, lang: str, *, source: str) -> list[Section]:
    """The annex of ``source``'s bulletin from the store: the trade flows and the latest scoring that belong to
    it (:meth:`Lineage.belongs_to`; embargo honoured by the store's view), each section marked when its
    figures are synthetic; [] when the store holds neither for that source."""
    from vnindustry.store.trade import load_scoring, scorings, trade_flows

    lineage = Lineage.of(store)
    flows = trade_flows(store, with_release=True)
    ids = {int(i) for i in flows["release_id"].unique().tolist()} if len(flows) else set()
    keep = {i for i in ids if lineage.belongs_to(i, source)}
    flows = flows[flows["release_id"].isin(keep)] if len(flows) else flows
    stored = next((load_scoring(store, run.id) for run in scorings(store) if lineage.belongs_to(run.id, source)),
                  None)
    sections = annex_sections(lang, flows=flows.drop(columns="release_id") if "release_id" in flows else flows,
                              scoring=Scoring.from_stored(stored) if stored is not None else None,
                              synthetic_flows=bool(keep & lineage.synthetic),
                              synthetic_scoring=stored is not None and stored.id in lineage.synthetic)
    if source == "city":  # the Department's own bulletin reports its matchmaking (issue 14)
        from vnindustry.publish.linkage_annex import outcomes_section

        linkage = outcomes_section(store.engine, lang)
        if linkage is not None:
            sections.append(linkage)
    return sections
