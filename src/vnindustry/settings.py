"""The one settings table: name, default and help for every tunable.

It feeds the CLI option defaults, the ``VNINDUSTRY_<NAME>`` environment variables and (later) the API's
``/config`` and the docs, so a setting is declared exactly once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One tunable: its name, type, default and a one-line help text."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "VNINDUSTRY_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str, "sqlite:///vnindustry.db", "Database URL of the store (SQLite file or postgresql+psycopg://…)."),
    Setting(
        "max_impute_gap",
        int,
        3,
        "Months an enterprise may stay silent for a product and still be imputed; after that it is "
        "treated as closed for that product.",
    ),
    Setting(
        "suspicious_ratio",
        float,
        10.0,
        "A quantity at least this many times (or at most 1/this) of the enterprise's own median for the "
        "product is listed in validation.csv as a likely unit slip.",
    ),
    Setting("min_enterprises", int, 3,
            "A published cell (industry, group or product, month) backed by fewer enterprises is suppressed "
            "and flagged c (threshold rule)."),
    Setting("max_dominance", float, 0.85,
            "A published cell where one enterprise makes more than this share of the weighted value is "
            "suppressed and flagged c (dominance rule)."),
    Setting(
        "max_panel_cells",
        int,
        2_000_000_000,
        "Upper bound on (enterprise, product) pairs × months the compile engine holds in memory "
        "(8 bytes each, plus a flag byte).",
    ),
    Setting("threads", int, 0, "Worker threads of the compile engine: reading (DuckDB or the one-pass Parquet"
            " reader), the month loops and writing (0 = one per core)."),
    Setting("api_rate_limit", int, 600,
            "Requests per minute one client (IP address) may make to the data API"
            " (0 = no limit). Under 'vnindustry serve --workers N' each worker process allows 1/N of it."),
    Setting("max_body_bytes", int, 2_228_224,
            "Largest request body the web app accepts, in bytes (413 above it; 0 = no ceiling). Routes have "
            "smaller limits of their own; the default fits the 2 MiB Excel upload."),
    Setting("api_max_rows", int, 100_000,
            "Most observations one data API response may hold; larger queries get a 400."),
    Setting("api_page_size", int, 1_000, "Largest page (limit) of the data API's series catalogue."),
    Setting("api_cache_entries", int, 512,
            "Responses the data API keeps in memory (least recently used dropped first)."),
    Setting("api_cache_max_age", int, 300,
            "Seconds browsers and proxies may re-use a data API response (Cache-Control)."),
    Setting(
        "api_release_poll",
        float,
        5.0,
        "Seconds the data API trusts its cached answers before checking the store for a new release (each "
        "worker process checks on its own: a new release shows on every worker within this many seconds).",
    ),
    Setting("session_hours", float, 8.0,
            "Hours a portal login session lasts (server-side; logging out ends it at once)."),
    Setting("login_max_failures", int, 5,
            "Failed portal logins a user name (in all, or from one client address) may make before each further "
            "try must wait login_backoff_seconds, doubling (429 with Retry-After; 0 = no throttle)."),
    Setting("login_window_minutes", float, 15.0,
            "Longest login back-off, in minutes; failures idle this long are forgotten."),
    # -- issue 12: publication integrity, bursts, accounts, bad input --------------------------------------
    Setting("close_opens_day", int, 1,
            "Day of the next month from which a month may be closed (its reporting window has opened); 1 = as "
            "soon as the month has ended."),
    Setting("close_min_response", float, 0.7,
            "Share of the month's expected enterprises (weighted by base-year value) that must have reported "
            "before a close; below it a close needs force and a reason (0 = no check)."),
    Setting("db_pool_size", int, 10,
            "Connections the PostgreSQL pool keeps per process (plus as many again under a burst)."),
    Setting("db_lock_timeout", float, 10.0,
            "Seconds a write waits for a database lock (SQLite busy timeout, PostgreSQL lock and pool wait) "
            "before the request answers 503 with Retry-After."),
    Setting("forwarded_allow_ips", str, "",
            "Comma-separated proxy addresses whose X-Forwarded-For header is trusted for the client address "
            "(empty = trust none; '*' = any)."),
    Setting("login_backoff_seconds", float, 2.0,
            "Wait imposed after the login_max_failures-th failure of a user (or user and address); it doubles "
            "with every further failure, up to login_window_minutes."),
    # -- issue 16: more than one process -------------------------------------------------------------------
    Setting("workers", int, 1,
            "Worker processes 'vnindustry serve' runs on one socket (1-64; about one per core). Sessions and the "
            "login throttle are in the database, shared by all; each worker has its own response cache (it "
            "follows the store's releases within api_release_poll seconds) and its own rate-limit buckets with "
            "1/workers of api_rate_limit each, so that a client's total stays api_rate_limit (a client that "
            "keeps one connection open meets one worker: api_rate_limit/workers a minute)."),
    Setting("adjust_transform_test", str, "identified",
            "How every new seasonal identification ('vnindustry adjust': a new series, --reestimate, a frozen spec "
            "that no longer fits) compares log and additive: identified (each with its own ARIMA model and "
            "outliers, issue 13's method) or airline (both on the airline model, then the model identified under "
            "the chosen one only: about 30% less X-13 work, and for some series the other transform). Set it once "
            "where the statisticians adopt airline, so that later identifications keep to it."),
    Setting("x13_keep", str, "",
            "A folder where the files of every X-13 run are kept, as R seasonal's seas(dir=) keeps them: one "
            "folder per X-13 process (numbered in the order they finished) with the spec files, the series and "
            "regressor files, X-13's output and command.txt (the arguments it was started with), to read what "
            "X-13 was asked and said or to run it again by hand (benchmarks/bench_adjust.py replays a first "
            "identification's so). Empty: nothing kept."),
    Setting("access_log", str, "-",
            "Where 'vnindustry serve' writes its access log: '-' for standard error, a file path, or 'off'."),
    Setting("max_quantity", float, 1e12,
            "Largest quantity an enterprise may report for one product and month (plausibility ceiling); "
            "above it the figure is refused naming its file, line or cell."),
    Setting("upload_max_rows", int, 5_000,
            "Most rows a portal Excel upload may hold (the file is refused, naming the cap, above it)."),
    Setting("upload_max_cells", int, 100_000,
            "Most cells a portal Excel upload's sheet may declare (refused before parsing above it)."),
    Setting("upload_max_unzipped_bytes", int, 20_971_520,
            "Largest total uncompressed size of a portal Excel upload (an .xlsx is a zip), checked before "
            "parsing."),
    # The bulletin as an official document (issue 13): Vietnamese administrative style (Nghị định
    # 30/2020/NĐ-CP) — the governing body above the issuing agency, its number and place, the signer.
    Setting("bulletin_parent_agency", str, "UBND THÀNH PHỐ HỒ CHÍ MINH",
            "Letterhead, first line: the body the issuing agency belongs to (upper case, Vietnamese)."),
    Setting("bulletin_parent_agency_en", str, "HO CHI MINH CITY PEOPLE'S COMMITTEE",
            "Letterhead, first line, in the English bulletin."),
    Setting("bulletin_agency", str, "SỞ CÔNG THƯƠNG",
            "Letterhead, second line: the issuing agency (upper case, Vietnamese)."),
    Setting("bulletin_agency_en", str, "DEPARTMENT OF INDUSTRY AND TRADE",
            "Letterhead, second line, in the English bulletin."),
    Setting("bulletin_number", str, "",
            "The bulletin's number before its symbol, e.g. '125' prints 'Số: 125/BC-SCT'; empty prints "
            "'Số:      /BC-SCT' for the office to fill in."),
    Setting("bulletin_symbol", str, "BC-SCT",
            "The document symbol after the number (BC = báo cáo; SCT = Sở Công Thương)."),
    Setting("bulletin_place", str, "TP. Hồ Chí Minh",
            "Place in the date line: '<place>, ngày … tháng … năm …'."),
    Setting("bulletin_place_en", str, "Ho Chi Minh City", "Place in the English bulletin's date line."),
    Setting("bulletin_date", str, "",
            "Date of the bulletin (YYYY-MM-DD); empty: the release's publication date if scheduled, else today."),
    Setting("bulletin_signer_title", str, "GIÁM ĐỐC",
            "Signature block: the signer's title (e.g. 'GIÁM ĐỐC', or 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC')."),
    Setting("bulletin_signer_title_en", str, "DIRECTOR", "Signature block's title in the English bulletin."),
    Setting("bulletin_signer", str, "", "Signature block: the signer's full name (empty leaves the line blank)."),
    Setting("bulletin_recipients", str, "UBND Thành phố;Cục Thống kê Thành phố;Lưu: VT",
            "'Nơi nhận' list at the foot, separated by ';'."),
    Setting("iip_base_year", int, 2020,
            "Base year of the IIP the bulletin states ('năm gốc 2020'); GSO's IIP is on base 2020 since 2024."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """Look up a setting by name."""
    return _BY_NAME[name]


def get(name: str) -> Any:
    """Current value of a setting: the environment variable if set, else the default."""
    s = _BY_NAME[name]
    raw = os.environ.get(s.env_var)
    if raw is None or raw == "":
        return s.default
    try:
        return s.type(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {s.env_var}={raw!r} is not a valid {s.type.__name__}") from exc
