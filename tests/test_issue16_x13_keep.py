"""Issue 16: the ``x13_keep`` setting keeps the files of every X-13 run, as R seasonal's ``seas(dir=)`` does.

What these tests hold:

- with the setting, every X-13 process of a ``seas`` call leaves a folder: its spec files, the series and
  regressor files, X-13's output, ``command.txt``, ``inputs.txt`` and ``stdout.txt``; one folder per process,
  numbered in the order they ran;
- the kept files are enough to run X-13 again by hand: the bare binary over the kept inputs gives the same
  saved files, byte for byte (what ``benchmarks/bench_adjust.py`` relies on to time the bare binary over a
  first identification's own runs);
- without the setting nothing is kept, and the result is the same;
- a folder that cannot be written is refused with its name and the fix.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_issue16_adjust import synthetic
from vnindustry.analysis.seasonal import seas
from vnindustry.analysis.seasonal.x13 import binary_path, run_spec

SPEC = """series{ title="kept" file="data.dat" format="datevalue" period=12 }
transform{ function=log }
arima{ model=(0 1 1)(0 1 1) }
estimate{ save=(est) }
"""


def _data() -> str:
    y = synthetic(5, years=5)
    return "".join(f"{p.year} {p.month} {v!r}\n" for p, v in y.items())


def test_issue16_every_run_of_seas_is_kept_with_its_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keep = tmp_path / "kept"
    monkeypatch.setenv("VNINDUSTRY_X13_KEEP", str(keep))
    y = synthetic(7, years=6, tet=-0.1)
    kept = seas(y)
    folders = sorted(keep.iterdir())
    assert not [f for f in folders if f.name.startswith(".")]  # every copy renamed whole
    # One folder process: the selection counts them (the identification's and the final run's).
    assert len(folders) == kept.diagnostics["selection"]["runs"] > 2
    first = int(folders[0].name.split("-")[2])
    assert [f.name.split("-")[2] for f in folders] == [f"{i:06d}" for i in range(first, first + len(folders))]
    assert len({f.name.rsplit("-", 1)[0] for f in folders}) == 1  # the process's start time and id
    for folder in folders:
        arguments = (folder / "command.txt").read_text().split()
        assert arguments[-2:] == ["-s", "-n"]
        inputs = (folder / "inputs.txt").read_text().split()
        assert any(name.endswith(".spc") for name in inputs) and "data.dat" in " ".join(inputs)
        assert all((folder / name).is_file() for name in inputs)
        assert list(folder.glob("*.udg")) or (folder / "stdout.txt").read_text()  # X-13 ran there
    monkeypatch.delenv("VNINDUSTRY_X13_KEEP")
    again = seas(y)
    assert len(list(keep.iterdir())) == len(folders)  # nothing kept without the setting
    assert again.spec == kept.spec
    assert again.seasonally_adjusted.equals(kept.seasonally_adjusted)


def test_issue16_a_kept_run_runs_again_by_hand_to_the_same_files(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    keep = tmp_path / "kept"
    monkeypatch.setenv("VNINDUSTRY_X13_KEEP", str(keep))
    run_spec(SPEC, {"data.dat": _data()}, name="one")
    (folder,) = keep.iterdir()
    assert (folder / "command.txt").read_text().split() == ["one", "-s", "-n"]
    again = tmp_path / "again"
    again.mkdir()
    for name in (folder / "inputs.txt").read_text().split():
        shutil.copyfile(folder / name, again / name)
    done = subprocess.run([str(binary_path()), *(folder / "command.txt").read_text().split()], cwd=again,
                          capture_output=True, check=False)
    assert done.returncode == 0
    assert (again / "one.est").read_bytes() == (folder / "one.est").read_bytes()
    assert (again / "one.udg").read_text().splitlines()[1:] == (folder / "one.udg").read_text().splitlines()[1:]


def test_issue16_a_keep_folder_that_cannot_be_written_is_named(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VNINDUSTRY_X13_KEEP", str(blocker))
    with pytest.raises(OSError, match=r"cannot keep X-13's files in .*a-file.*unset VNINDUSTRY_X13_KEEP"):
        run_spec(SPEC, {"data.dat": _data()}, name="one")
