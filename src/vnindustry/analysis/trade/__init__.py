"""Trade flows and competitiveness indices (issue 7): RCA and its variants, export specialisation, Lafay,
trade complementarity, export similarity, market share, export concentration; economic and product
complexity (``complexity``).

``flows`` reads and selects the tidy flows frame; ``indices`` computes the indices per period;
``markets`` names market groups (EU, ASEAN, RCEP, CPTPP). Formulas: docs/method.md, "Trade competitiveness".
"""

from vnindustry.analysis.trade.complexity import complexity
from vnindustry.analysis.trade.indices import (
    balassa,
    export_concentration,
    export_similarity,
    export_specialisation,
    group_rca,
    lafay,
    market_share,
    normalized,
    normalized_rca,
    rca,
    rca_in_market,
    rca_presence,
    symmetric_rca,
    trade_complementarity,
)
from vnindustry.analysis.trade.markets import MARKET_GROUPS, resolve_market
from vnindustry.sources.trade_flows import (
    CRUDE_OIL,
    FLOW_COLUMNS,
    WORLD,
    aggregate_hs,
    check_flows,
    empty_flows,
    read_flows_csv,
    read_oec_sections,
    select_flows,
)

__all__ = [
    "CRUDE_OIL",
    "FLOW_COLUMNS",
    "MARKET_GROUPS",
    "WORLD",
    "aggregate_hs",
    "balassa",
    "check_flows",
    "complexity",
    "empty_flows",
    "export_concentration",
    "export_similarity",
    "export_specialisation",
    "group_rca",
    "lafay",
    "market_share",
    "normalized",
    "normalized_rca",
    "rca",
    "rca_in_market",
    "rca_presence",
    "read_flows_csv",
    "read_oec_sections",
    "resolve_market",
    "select_flows",
    "symmetric_rca",
    "trade_complementarity",
]
