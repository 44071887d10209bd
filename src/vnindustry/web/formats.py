"""Writers of one series' observations: JSON, CSV (UTF-8 with BOM), XLSX, SDMX-CSV 2.0 and JSON-stat 2.0.

Every writer keeps values unrounded, writes a missing value as an empty cell / null (never "." or 0) with a
flag saying why — ``missing`` (not available) or ``c`` (confidential: withheld, store/disclosure.py) — and
gives every observation its status and its release (id and date).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import xlsxwriter

from vnindustry.names import unit_in
from vnindustry.web.labels import measure_name, series_name, status_name, table_name

Format = Literal["json", "csv", "xlsx", "sdmx-csv", "json-stat"]
Labels = Literal["id", "name", "both"]
Lang = Literal["vi", "en"]

MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sdmx-csv": "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
    "json-stat": "application/json",
}
EXTENSIONS = {"json": "json", "csv": "csv", "xlsx": "xlsx", "sdmx-csv": "csv", "json-stat": "json"}
# SDMX's CL_OBS_STATUS: A normal, E estimated, P provisional, M missing.
SDMX_STATUS = {"actual": "A", "estimate": "E", "preliminary": "P"}
MISSING = "missing"
CONFIDENTIAL = "c"
# SDMX's CL_CONF_STATUS: F free, C confidential (primary or secondary).
SDMX_CONF = {CONFIDENTIAL: "C", "": "F"}


def _flags(f: pd.DataFrame) -> list[str]:
    return f["flag"].fillna("").astype(str).tolist() if "flag" in f.columns else [""] * len(f)


def flag_of(value: float | None, flag: str) -> str:
    """The flag of one observation: "c" when withheld, "missing" when not available, else ""."""
    if flag == CONFIDENTIAL:
        return CONFIDENTIAL
    return MISSING if value is None else ""


@dataclass(frozen=True)
class ObservationSet:
    """One series' observations as a route selected them, and how to label them."""

    series: dict[str, Any]  # a catalogue item (code, name_vi, name_en, unit, frequency, source, table …)
    frame: pd.DataFrame  # period, measure, value, unit, status, release_id, released_on, provenance
    lang: Lang = "vi"
    labels: Labels = "id"
    vintage: str = "latest"
    query: dict[str, Any] | None = None
    # Some observation comes from a synthetic release (the demo generator's): every format says so — a
    # "synthetic" field in JSON and JSON-stat, a last column "synthetic" (true) in CSV, xlsx and SDMX-CSV
    # (a column rather than a comment line: Excel, pandas and SDMX readers all take it as data), and the
    # mark in the xlsx "series" sheet (issue 13).
    synthetic: bool = False


SYNTHETIC_MARK = ("dữ liệu giả lập", "synthetic data")


def jsonable(value: Any) -> Any:
    """``value`` with dataclasses as dicts and dates as ISO strings, recursively: ready for JSON."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float (numpy's too) replaced by None, recursively through dicts,
    lists and tuples: JSON has no NaN, and a parser that follows the standard refuses the document."""
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def dumps(doc: Any) -> bytes:
    """The one JSON writer of the web app: compact UTF-8, NaN and infinities written as null (never the
    invalid tokens NaN/Infinity — ``allow_nan=False`` makes a slip an error rather than bad JSON)."""
    return json.dumps(finite(doc), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _value(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else float(v)


def _date(v: Any) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _number(v: float | None) -> str:
    """Shortest text that reads back as the same float (repr), integers without ".0"."""
    if v is None:
        return ""
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def records(obs: ObservationSet) -> list[dict[str, Any]]:
    """One dict per observation with the columns of the tabular formats, labelled per ``labels``."""
    s, lang, labels = obs.series, obs.lang, obs.labels
    name = series_name(s["name_vi"], s["name_en"], lang)
    out = []
    f = obs.frame
    for period, measure, value, unit, status, release, released_on, provenance, flag in zip(
            f["period"].tolist(), f["measure"].tolist(), f["value"].tolist(), f["unit"].tolist(),
            f["status"].tolist(), f["release_id"].tolist(), f["released_on"].tolist(), f["provenance"].tolist(),
            _flags(f), strict=True):
        v = _value(value)
        row: dict[str, Any] = {}
        row["series"] = name if labels == "name" else s["code"]
        if labels == "both":
            row["series_name"] = name
        row["period"] = period
        row["measure"] = measure_name(measure, lang) if labels == "name" else measure
        if labels == "both":
            row["measure_name"] = measure_name(measure, lang)
        row["value"] = v
        row["unit"] = unit_in(unit, lang)
        row["status"] = status_name(status, lang) if labels == "name" else status
        if labels == "both":
            row["status_name"] = status_name(status, lang)
        row["flag"] = flag_of(v, flag)
        row["release"] = int(release)
        row["released_on"] = _date(released_on)
        row["provenance"] = provenance
        if obs.synthetic:
            row["synthetic"] = True
        out.append(row)
    return out


def series_meta(s: dict[str, Any], lang: str) -> dict[str, Any]:
    """A catalogue item with its name and table name in ``lang`` added."""
    return {**s, "name": series_name(s["name_vi"], s["name_en"], lang), "table_name": table_name(s["table"], lang),
            "unit_name": unit_in(str(s.get("unit") or ""), lang)}


def to_json(obs: ObservationSet) -> bytes:
    doc = {"series": series_meta(obs.series, obs.lang), "query": obs.query or {}, "synthetic": obs.synthetic,
           "observations": records(obs)}
    if obs.synthetic:
        doc["note"] = SYNTHETIC_MARK[0 if obs.lang == "vi" else 1]
    return dumps(doc)


def to_csv(obs: ObservationSet) -> bytes:
    """CSV with a BOM, so Excel opens the Vietnamese as UTF-8; missing values are empty, flagged."""
    rows = records(obs)
    buf = io.StringIO()
    columns = list(rows[0]) if rows else list(records(_one_empty(obs))[0])
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_number(r[c]) if c == "value" else "true" if r[c] is True else r[c] for c in columns])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _one_empty(obs: ObservationSet) -> ObservationSet:
    """A one-row stand-in, so an empty result still gets its header row."""
    frame = pd.DataFrame([{"period": "", "measure": "", "value": None, "unit": "", "status": "", "release_id": 0,
                           "released_on": "", "provenance": ""}])
    return ObservationSet(obs.series, frame, obs.lang, obs.labels, obs.vintage, obs.query, obs.synthetic)


def to_xlsx(obs: ObservationSet) -> bytes:
    """A workbook: sheet "data" (the CSV's columns, numbers as numbers) and "series" (the metadata)."""
    rows = records(obs)
    columns = list(rows[0]) if rows else list(records(_one_empty(obs))[0])
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    # A fixed creation date keeps the bytes, and so the ETag, the same for the same data.
    last = max((r["released_on"] for r in rows), default="2000-01-01")
    wb.set_properties({"title": str(obs.series["code"]), "created": dt.datetime.fromisoformat(last)})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("data")
    ws.write_row(0, 0, columns, bold)
    for i, r in enumerate(rows, start=1):
        for j, c in enumerate(columns):
            v = r[c]
            if v is None or v == "":
                continue  # a blank cell, never 0
            ws.write(i, j, v)
    ws.freeze_panes(1, 0)
    meta = wb.add_worksheet("series")
    items = list(series_meta(obs.series, obs.lang).items())
    if obs.synthetic:
        items = [(k, v) for k, v in items if k != "synthetic"] + [("synthetic", SYNTHETIC_MARK[obs.lang != "vi"])]
    for i, (k, v) in enumerate(items):
        meta.write(i, 0, k, bold)
        meta.write(i, 1, "" if v is None else str(v))
    wb.close()
    return buf.getvalue()


def dataflow_id(table: str) -> str:
    """``VNINDUSTRY:DF_<TABLE>(1.0)``: one dataflow per store table."""
    return f"VNINDUSTRY:DF_{table.upper()}(1.0)"


_QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
_YEAR = re.compile(r"^\d{4}$")


def period_frequency(period: str, default: str = "M") -> str:
    """SDMX FREQ of one period: "2025-Q4" → Q, "2025" → A (a December or quarter-end GSO edition stores
    quarters and years beside the months, issue 13), else the series' own ``default``."""
    if _QUARTER.match(period):
        return "Q"
    if _YEAR.match(period):
        return "A"
    return default


def to_sdmx_csv(obs: ObservationSet) -> bytes:
    """SDMX-CSV 2.0: STRUCTURE,STRUCTURE_ID,ACTION, dimensions, OBS_VALUE, attributes.

    With ``labels=both`` header and coded cells read "ID: Name" (as the SDMX-CSV 2.0 spec has it); with
    ``name`` the coded cells hold names. ``vintage=all`` adds a VINTAGE dimension (the release date), since
    several vintages of one period would otherwise share a key.
    """
    s, lang, labels = obs.series, obs.lang, obs.labels
    every = obs.vintage == "all"
    dims = ["FREQ", "SERIES", "MEASURE", "TIME_PERIOD"] + (["VINTAGE"] if every else [])
    attrs = ["UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS", "PUBLICATION_STATUS", "RELEASE", "RELEASED_ON",
             *(["SYNTHETIC"] if obs.synthetic else [])]
    header_names = {"FREQ": ("Tần suất", "Frequency"), "SERIES": ("Chỉ tiêu", "Series"),
                    "MEASURE": ("Thước đo", "Measure"), "TIME_PERIOD": ("Kỳ", "Time period"),
                    "VINTAGE": ("Phiên bản", "Vintage"), "OBS_VALUE": ("Giá trị", "Observation value"),
                    "UNIT_MEASURE": ("Đơn vị", "Unit"), "OBS_STATUS": ("Trạng thái", "Observation status"),
                    "CONF_STATUS": ("Bảo mật", "Confidentiality status"),
                    "PUBLICATION_STATUS": ("Tình trạng số liệu", "Publication status"),
                    "RELEASE": ("Lần công bố", "Release"), "RELEASED_ON": ("Ngày công bố", "Release date"),
                    "SYNTHETIC": ("Dữ liệu giả lập", "Synthetic data")}

    def label(code: str, name: str) -> str:
        return {"id": code, "name": name, "both": f"{code}: {name}"}[labels]

    def head(col: str) -> str:
        return f"{col}: {header_names[col][0 if lang == 'vi' else 1]}" if labels == "both" else col

    freq_names = {"M": ("Tháng", "Monthly"), "Q": ("Quý", "Quarterly"), "A": ("Năm", "Annual")}
    freq = str(s.get("frequency") or "M")
    name = series_name(s["name_vi"], s["name_en"], lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION", *(head(c) for c in dims), head("OBS_VALUE"),
                *(head(c) for c in attrs)])
    f = obs.frame
    for period, measure, value, unit, status, release, released_on, flag in zip(
            f["period"].tolist(), f["measure"].tolist(), f["value"].tolist(), f["unit"].tolist(),
            f["status"].tolist(), f["release_id"].tolist(), f["released_on"].tolist(), _flags(f), strict=True):
        v = _value(value)
        f_row = period_frequency(period, freq)
        row = ["dataflow", dataflow_id(s["table"]), "I",
               label(f_row, freq_names.get(f_row, (f_row, f_row))[0 if lang == "vi" else 1]),
               label(s["code"], name), label(measure, measure_name(measure, lang)), period]
        if every:
            row.append(_date(released_on))
        row += [_number(v), unit_in(unit, lang), "M" if v is None else SDMX_STATUS.get(status, ""),
                SDMX_CONF[CONFIDENTIAL if flag == CONFIDENTIAL else ""],
                label(status, status_name(status, lang)), int(release), _date(released_on)]
        if obs.synthetic:
            row.append("true")
        w.writerow(row)
    return buf.getvalue().encode("utf-8")


def to_json_stat(obs: ObservationSet) -> bytes:
    """A JSON-stat 2.0 dataset: dimensions series × measure × period (× vintage for ``vintage=all``).

    Cells without an observation are null and have no status; a stored missing value is null with its
    status; a withheld (confidential) value is null with status "c". Per-cell releases go in
    ``extension.release`` (JSON-stat has no slot for them).
    """
    s, lang = obs.series, obs.lang
    f = obs.frame
    every = obs.vintage == "all"
    measures = list(dict.fromkeys(f["measure"].tolist()))
    periods = sorted(set(f["period"].tolist()))
    vintages = sorted({_date(d) for d in f["released_on"].tolist()}) if every else []
    dims = ["series", "measure", "period"] + (["vintage"] if every else [])
    size = [1, len(measures), len(periods)] + ([len(vintages)] if every else [])
    m_at = {m: i for i, m in enumerate(measures)}
    p_at = {p: i for i, p in enumerate(periods)}
    v_at = {v: i for i, v in enumerate(vintages)}
    n = math.prod(size)
    values: list[float | None] = [None] * n
    status: dict[str, str] = {}
    release: dict[str, dict[str, Any]] = {}
    units: dict[str, str] = {}
    for period, measure, value, unit, st, rel, released_on, flag in zip(
            f["period"].tolist(), f["measure"].tolist(), f["value"].tolist(), f["unit"].tolist(),
            f["status"].tolist(), f["release_id"].tolist(), f["released_on"].tolist(), _flags(f), strict=True):
        i = m_at[measure] * len(periods) + p_at[period]
        if every:
            i = i * len(vintages) + v_at[_date(released_on)]
        values[i] = _value(value)
        status[str(i)] = CONFIDENTIAL if flag == CONFIDENTIAL else st
        release[str(i)] = {"id": int(rel), "released_on": _date(released_on)}
        units.setdefault(measure, unit_in(unit, lang))
    name = series_name(s["name_vi"], s["name_en"], lang)
    dimension: dict[str, Any] = {
        "series": {"label": "Chỉ tiêu" if lang == "vi" else "Series",
                   "category": {"index": {s["code"]: 0}, "label": {s["code"]: name}}},
        "measure": {"label": "Thước đo" if lang == "vi" else "Measure",
                    "category": {"index": m_at, "label": {m: measure_name(m, lang) for m in measures},
                                 "unit": {m: {"label": units.get(m, "")} for m in measures}}},
        "period": {"label": "Kỳ" if lang == "vi" else "Period",
                   "category": {"index": p_at, "label": {p: p for p in periods}}},
    }
    if every:
        dimension["vintage"] = {"label": "Phiên bản" if lang == "vi" else "Vintage",
                                "category": {"index": v_at, "label": {v: v for v in vintages}}}
    updated = max((_date(d) for d in f["released_on"].tolist()), default=None)
    doc: dict[str, Any] = {
        "version": "2.0", "class": "dataset", "label": name, "source": str(s.get("source", "")),
        "id": dims, "size": size, "role": {"time": ["period"], "metric": ["measure"]},
        "dimension": dimension, "value": values, "status": status,
        "extension": {"series": series_meta(s, lang), "synthetic": obs.synthetic, "release": release, "status_labels": {
            st: (("bảo mật" if lang == "vi" else "confidential") if st == CONFIDENTIAL else status_name(st, lang))
            for st in sorted(set(status.values()))}},
    }
    if updated:
        doc["updated"] = updated
    if obs.synthetic:
        doc["note"] = [SYNTHETIC_MARK[0 if lang == "vi" else 1]]
    return dumps(doc)


WRITERS = {"json": to_json, "csv": to_csv, "xlsx": to_xlsx, "sdmx-csv": to_sdmx_csv, "json-stat": to_json_stat}


def negotiate(accept: str | None) -> str | None:
    """The format an Accept header asks for: the supported type with the highest q (json if ``*/*``).

    None when the header names only types we cannot produce (the route answers 406).
    """
    if not accept:
        return "json"
    best: tuple[float, int, str] | None = None
    for pos, part in enumerate(accept.split(",")):
        fields = [p.strip() for p in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for p in fields[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        fmt = {"application/json": "json", "text/csv": "csv", "application/vnd.sdmx.data+csv": "sdmx-csv",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
               "*/*": "json", "application/*": "json", "text/*": "csv"}.get(media)
        if fmt is not None and (best is None or (q, -pos) > (best[0], best[1])):
            best = (q, -pos, fmt)
    return None if best is None else best[2]
