"""Trade competitiveness and key industrial products, composed for the bulletin's annex and the dashboard.

Two inputs, each optional:

- trade flows (``analysis.trade`` FLOW_COLUMNS, bilateral): Vietnam's revealed comparative advantage in a
  market (the EU of EVFTA by default) by product group, its change on the previous year, the groups with
  RCA ≥ 1, and Vietnam's share of the market's imports from the exporters present — :func:`rca_table`;
- a key-product scoring (a ``KeyProductResult`` or the store's latest scoring): the ranked list with its
  class, score and criteria, the weights with their consistency ratio, the sensitivity — :class:`Scoring`.

The composition is pure (frames in, document blocks or rows out), so the bulletin, the pages and the API
say the same figures; reading the store is left to :func:`store_annex` and to the web layer.

The parts (every name is importable from this package too):

- :mod:`~vnindustry.publish.competitiveness.labels`: names of product groups, classes, methods, markets, criteria;
- :mod:`~vnindustry.publish.competitiveness.rca`: :func:`rca_table` and :class:`RcaTable`, the markets one can pick;
- :mod:`~vnindustry.publish.competitiveness.scoring`: :class:`Scoring`, from a result or from the store;
- :mod:`~vnindustry.publish.competitiveness.annex`: the annex's text, tables and sections, the synthetic mark;
- :mod:`~vnindustry.publish.competitiveness.lineage`: which releases belong to a bulletin, :func:`store_annex`.
"""

from __future__ import annotations

from vnindustry.publish.competitiveness.annex import (
    ANNEX_YEARS,
    SYNTHETIC_MARK,
    SYNTHETIC_NOTE,
    annex_sections,
    competitiveness_section,
    key_product_paragraphs,
    key_products_section,
    marked,
    ranking_block,
    rca_block,
    rca_paragraphs,
    weights_block,
)
from vnindustry.publish.competitiveness.labels import (
    CLASS_NAMES,
    HS_NAMES,
    METHOD_NAMES,
    WEIGHT_ORIGINS,
    class_name,
    criterion_label,
    market_name,
    product_name,
    run_title,
    scored_name,
)
from vnindustry.publish.competitiveness.lineage import Lineage, store_annex
from vnindustry.publish.competitiveness.rca import (
    DEFAULT_EXPORTER,
    DEFAULT_MARKET,
    RCA_COLUMNS,
    NoTradeData,
    RcaTable,
    importers_of,
    markets_of,
    rca_table,
    yearly,
)
from vnindustry.publish.competitiveness.scoring import Scoring

_marked = marked  # the name publish.linkage_annex imports

__all__ = [
    "ANNEX_YEARS", "CLASS_NAMES", "DEFAULT_EXPORTER", "DEFAULT_MARKET", "HS_NAMES", "METHOD_NAMES", "RCA_COLUMNS",
    "SYNTHETIC_MARK", "SYNTHETIC_NOTE", "WEIGHT_ORIGINS", "Lineage", "NoTradeData", "RcaTable", "Scoring",
    "annex_sections", "class_name", "competitiveness_section", "criterion_label", "importers_of",
    "key_product_paragraphs", "key_products_section", "marked", "market_name", "markets_of", "product_name",
    "ranking_block", "rca_block", "rca_paragraphs", "rca_table", "run_title", "scored_name", "store_annex",
    "weights_block", "yearly",
]
