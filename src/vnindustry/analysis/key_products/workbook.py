"""Files: the Excel template to fill in, reading criteria and weights back (xlsx or CSV), writing results.

Every problem in a file is an :class:`~vnindustry.errors.InputError` naming the file, the sheet and cell
(or the CSV line and column) and what to do.

The names are kept here for their callers; they live in:

- :mod:`~vnindustry.analysis.key_products.layout`: the template's sheet names, rows, columns and cell styles;
- :mod:`~vnindustry.analysis.key_products.template`: writing the template (README, criteria sheet, pairwise matrix);
- :mod:`~vnindustry.analysis.key_products.cells`: reading cells (numbers, fractions, sheets, criterion headers);
- :mod:`~vnindustry.analysis.key_products.criteria_file`: reading the candidates table back;
- :mod:`~vnindustry.analysis.key_products.weights_file`: reading the weights back;
- :mod:`~vnindustry.analysis.key_products.results`: writing a result (xlsx, CSV) and its JSON-ready data.
"""

from __future__ import annotations

from .cells import parse_judgment
from .criteria_file import parse_hs, read_criteria
from .layout import (
    CODE_ROW,
    DATA_ROW,
    DIRECTION_VI,
    FIRST_CRITERION_COL,
    LINK_COLUMNS,
    LINK_UNITS,
    MATRIX_COL,
    MATRIX_ROW,
    NAME_ROW,
    SHEET_CRITERIA,
    SHEET_PAIRWISE,
    SHEET_README,
    TEMPLATE_ROWS,
    UNIT_ROW,
    WEIGHT_CODE,
)
from .results import companion, ranking_rows, result_data, scenario_rows, weight_rows, write_result
from .template import README_VI, write_template
from .weights_file import read_weights

__all__ = [
    "CODE_ROW", "DATA_ROW", "DIRECTION_VI", "FIRST_CRITERION_COL", "LINK_COLUMNS", "LINK_UNITS", "MATRIX_COL",
    "MATRIX_ROW", "NAME_ROW", "README_VI", "SHEET_CRITERIA", "SHEET_PAIRWISE", "SHEET_README", "TEMPLATE_ROWS",
    "UNIT_ROW", "WEIGHT_CODE", "companion", "parse_hs", "parse_judgment", "ranking_rows", "read_criteria",
    "read_weights", "result_data", "scenario_rows", "weight_rows", "write_result", "write_template",
]
