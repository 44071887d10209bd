"""Writing a scoring result: the ranking, weights and sensitivity tables as xlsx or CSV, and as JSON-ready data.

Part of the key-products files (:mod:`~vnindustry.analysis.key_products.workbook`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vnindustry.errors import InputError
from vnindustry.files import atomic_write_bytes, atomic_write_text

from .ahp import RI_SOURCES
from .criteria import BY_CODE, criterion
from .layout import BOLD
from .ranking import CLASS_VI
from .scoring import KeyProductResult

# ---------------------------------------------------------------- results

def ranking_rows(result: KeyProductResult) -> list[dict[str, Any]]:
    """One dict per product, best first: rank, score, class, sensitivity range and the criteria values."""
    out = []
    for item, sens in zip(result.ranking, result.sensitivity, strict=True):
        row: dict[str, Any] = {"rank": item.rank, "product": item.product, "name": item.name, "score": item.score,
                               "class": item.klass, "class_vi": CLASS_VI[item.klass],
                               "rank_min": sens.min_rank, "rank_max": sens.max_rank,
                               "class_changes": sens.class_changes, "classes": "|".join(sens.classes)}
        row.update(item.values)
        out.append(row)
    return out


def weight_rows(result: KeyProductResult) -> list[dict[str, Any]]:
    """One dict per criterion: weight, direction, origin and (for AHP) λmax, CI, RI, CR."""
    ahp = result.ahp
    return [{"criterion": code, "name_vi": criterion(code).name_vi, "direction": direction, "weight": w,
             "origin": result.weights.origin,
             "lambda_max": ahp.lambda_max if ahp else None, "ci": ahp.ci if ahp else None,
             "ri": ahp.ri if ahp else None, "cr": ahp.cr if ahp else None, "ri_table": ahp.ri_table if ahp else None}
            for code, direction, w in zip(result.spec.criteria, result.spec.directions, result.weights.values,
                                          strict=True)]


def scenario_rows(result: KeyProductResult) -> list[dict[str, Any]]:
    """The long sensitivity table: one dict per (scenario, product)."""
    products = result.table_products  # scenarios list products in the input table's order
    out = []
    for sc in result.scenarios:
        j = result.spec.criteria.index(sc.criterion)
        for i, product in enumerate(products):
            out.append({"criterion": sc.criterion, "change": sc.change, "weight": sc.weights[j], "product": product,
                        "score": sc.scores[i], "rank": sc.ranks[i], "class": sc.classes[i]})
    return out


def _csv_text(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ("" if v is None else repr(v) if isinstance(v, float) else v) for k, v in r.items()})
    return buffer.getvalue()


def companion(path: Path, kind: str) -> Path:
    """``OUT.csv`` → ``OUT.weights.csv`` / ``OUT.sensitivity.csv``."""
    return path.with_name(f"{path.stem}.{kind}{path.suffix}")


def write_result(path: str | Path, result: KeyProductResult) -> list[Path]:
    """Write the result as xlsx (one workbook) or CSV (OUT.csv + OUT.weights.csv + OUT.sensitivity.csv).

    CSV values are unrounded (full float precision, a point as decimal mark); the workbook keeps numbers as
    numbers with display formats, which Excel shows with a decimal comma under a Vietnamese locale.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        written = [atomic_write_text(path, "\ufeff" + _csv_text(ranking_rows(result)))]
        written.append(atomic_write_text(companion(path, "weights"), "\ufeff" + _csv_text(weight_rows(result))))
        written.append(atomic_write_text(companion(path, "sensitivity"),
                                         "\ufeff" + _csv_text(scenario_rows(result))))
        return written
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"unsupported output type '{path.suffix}'", file=path, fix="use --out OUT.xlsx or OUT.csv")
    return [atomic_write_bytes(path, _result_xlsx(result))]


_HEAD_VI = {"rank": "Hạng", "product": "Mã sản phẩm", "name": "Tên sản phẩm", "score": "Điểm", "class": "Nhóm (mã)",
            "class_vi": "Nhóm", "rank_min": "Hạng tốt nhất (±20%)", "rank_max": "Hạng kém nhất (±20%)",
            "class_changes": "Đổi nhóm?", "classes": "Các nhóm (±20%)", "criterion": "Mã tiêu chí",
            "name_vi": "Tiêu chí", "direction": "Hướng", "weight": "Trọng số", "origin": "Nguồn trọng số",
            "lambda_max": "λmax", "ci": "CI", "ri": "RI", "cr": "CR", "ri_table": "Bảng RI",
            "change": "Thay đổi trọng số"}
_FORMATS = {"score": "0.0000", "weight": "0.0000", "lambda_max": "0.000", "ci": "0.000", "ri": "0.00##",
            "cr": "0.000", "change": "+0%;-0%"}


def _write_rows(ws: Worksheet, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    keys = list(rows[0])
    for k, key in enumerate(keys, start=1):
        label = _HEAD_VI.get(key) or (BY_CODE[key].name_vi if key in BY_CODE else key)
        cell = ws.cell(1, k, label)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(k)].width = 36 if key in ("name", "name_vi") else 14
    for r, row in enumerate(rows, start=2):
        for k, key in enumerate(keys, start=1):
            value = row[key]
            if isinstance(value, bool):
                value = "có" if value else "không"
            cell = ws.cell(r, k, value)
            if key in _FORMATS:
                cell.number_format = _FORMATS[key]
            elif isinstance(value, float):
                cell.number_format = "#,##0.00"
    ws.freeze_panes = "A2"


def _result_xlsx(result: KeyProductResult) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Xếp hạng"
    _write_rows(ws, ranking_rows(result))
    _write_rows(wb.create_sheet("Trọng số"), weight_rows(result))
    _write_rows(wb.create_sheet("Độ nhạy"), scenario_rows(result))
    spec = wb.create_sheet("Thông số")
    spec.cell(1, 1, "Phương pháp").font = BOLD
    spec.cell(1, 2, f"{result.spec.method} (chuẩn hóa {result.spec.normalization})")
    ahp = result.ahp
    if ahp is not None:
        spec.cell(2, 1, "Nhất quán").font = BOLD
        spec.cell(2, 2, f"CR = {ahp.cr:.3f}".replace(".", ",") + f" (RI theo {RI_SOURCES[ahp.ri_table]})")
    spec.cell(4, 1, "Thông số cố định (JSON) — dùng lại với --spec").font = BOLD
    for k, line in enumerate(result.spec.to_json().splitlines(), start=5):
        spec.cell(k, 1, line)
    spec.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def result_data(result: KeyProductResult) -> dict[str, Any]:
    """The result as JSON-ready data (floats unrounded)."""
    ahp = result.ahp
    table = [{"product": r.product, "name": r.name, "score": r.score, "rank": r.rank, "class": r.klass,
              **{c: r.values[c] for c in result.spec.criteria}} for r in result.ranking]
    weights = [{"criterion": c, "name_vi": criterion(c).name_vi, "name_en": criterion(c).name_en, "direction": d,
                "weight": w}
               for c, d, w in zip(result.spec.criteria, result.spec.directions, result.weights.values, strict=True)]
    ranges = [{"product": s.product, "base_rank": s.base_rank, "min_rank": s.min_rank, "max_rank": s.max_rank,
               "base_class": s.base_class, "classes": "|".join(s.classes)} for s in result.sensitivity]
    return {
        "criteria": list(result.spec.criteria),
        "weights_origin": result.weights.origin,
        "table": table, "weights": weights,
        "ahp": None if ahp is None else {"lambda_max": ahp.lambda_max, "ci": ahp.ci, "ri": ahp.ri, "cr": ahp.cr,
                                         "ri_table": ahp.ri_table},
        "sensitivity": scenario_rows(result), "ranges": ranges,
    }
