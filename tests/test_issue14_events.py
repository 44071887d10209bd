"""Issue 14, items 3–4: an event from its CSV folder, scheduled and printed (CSV, Excel, PDF, vi and en), an
on-site re-solve keeping the confirmed meetings, the outcomes' funnel; and the demo's past event."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from vnindustry.cli import app
from vnindustry.errors import InputError
from vnindustry.linkage.events import read_event
from vnindustry.linkage.outcomes import Outcome, funnel, latest, read_outcomes

EVENT = Path(__file__).parent / "data" / "linkage-event"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_event_folder_is_read(tmp_path: Path) -> None:
    event, info = read_event(EVENT)
    assert info.name == "Kết nối cung cầu thử nghiệm" and len(event.slots) == 3 and len(event.requests) == 7
    b2 = next(p for p in event.participants if p.id == "B2")
    assert b2.languages == ("ja",) and b2.available == frozenset({"T1", "T2"})


@pytest.mark.parametrize(("file", "old", "new", "column"), [
    ("slots.csv", "2026-05-21 09:00", "21/05 9h", "start"),
    ("participants.csv", "S3,supplier", "S3,seller", "role"),
    ("requests.csv", "B1,S2,buyer,2,0", "B1,S2,buyer,5,0", "priority"),
])
def test_bad_event_files_name_file_line_and_column(tmp_path: Path, file: str, old: str, new: str, column: str) -> None:
    folder = tmp_path / "event"
    shutil.copytree(EVENT, folder)
    (folder / file).write_text((folder / file).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_event(folder)
    assert caught.value.file == str(folder / file) and caught.value.column == column and caught.value.line


def test_schedule_the_event_and_print_the_agendas(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    done = runner.invoke(app, ["linkage", "schedule", str(EVENT), "--out", str(out)])
    assert done.exit_code == 0, done.output
    meetings = _rows(out / "schedule.csv")
    # By hand: B2 speaks Japanese only (table J1) and leaves before T3: at most its two best (S1 30, S3 25);
    # B1 takes its three best (S1 35, S2 20, one of S3/S4 10) around them — 120, every constraint held.
    assert len(meetings) == 5 and "OPTIMAL" in done.output
    assert {(m["buyer"], m["supplier"]) for m in meetings} >= {("B1", "S1"), ("B1", "S2"), ("B2", "S1"), ("B2", "S3")}
    assert all(m["table"] == "J1" for m in meetings if m["buyer"] == "B2")
    assert not any(m["slot"] == "T1" for m in meetings if m["supplier"] == "S2")  # S2 away for T1
    per_slot = {(m["slot"], who) for m in meetings for who in (m["buyer"], m["supplier"], "table " + m["table"])}
    assert len(per_slot) == 3 * len(meetings)  # nobody, and no table, twice in a slot
    unscheduled = _rows(out / "unscheduled.csv")
    assert len(unscheduled) == 2 and all(u["reason"] for u in unscheduled)
    book = openpyxl.load_workbook(out / "agendas.xlsx")
    assert book.sheetnames == ["Lịch hẹn", "Theo doanh nghiệp", "Theo bàn", "Chưa xếp được"]
    pages = PdfReader(out / "agendas.pdf").pages
    assert len(pages) == 6 + 2  # a page per participant, then per table
    first = pages[0].extract_text()
    assert "Lịch gặp của Công ty TNHH Dụng cụ Điện Orvane Việt Nam (B1)" in first and "Ngày: 21/05/2026" in first
    english = runner.invoke(app, ["linkage", "schedule", str(EVENT), "--out", str(out), "--lang", "en"])
    assert english.exit_code == 0
    assert "Meetings of" in PdfReader(out / "agendas-en.pdf").pages[0].extract_text()
    assert openpyxl.load_workbook(out / "agendas-en.xlsx").sheetnames[0] == "Meetings"


def test_an_on_site_change_keeps_the_confirmed_meetings(tmp_path: Path) -> None:
    runner = CliRunner()
    first = tmp_path / "first"
    assert runner.invoke(app, ["linkage", "schedule", str(EVENT), "--out", str(first)]).exit_code == 0
    confirmed = _rows(first / "schedule.csv")
    # On site: a new high-priority request comes in.
    folder = tmp_path / "event"
    shutil.copytree(EVENT, folder)
    with open(folder / "requests.csv", "a", encoding="utf-8") as f:
        f.write("B1,S5,buyer,3,1\n")
    with open(folder / "participants.csv", "a", encoding="utf-8") as f:
        f.write("S5,supplier,Công ty Khuôn mẫu Mới,vi,\n")
    second = tmp_path / "second"
    done = runner.invoke(app, ["linkage", "schedule", str(folder), "--out", str(second), "--confirmed",
                               str(first / "schedule.csv")])
    assert done.exit_code == 0, done.output
    again = {(m["buyer"], m["supplier"], m["slot"], m["table"]) for m in _rows(second / "schedule.csv")}
    assert {(m["buyer"], m["supplier"], m["slot"], m["table"]) for m in confirmed} <= again
    # A confirmed meeting the changed event no longer allows is refused, naming it.
    (folder / "participants.csv").write_text((folder / "participants.csv").read_text(encoding="utf-8")
                                             .replace("S1,supplier,Công ty TNHH Đúc Nhôm Minh Phát,vi,",
                                                      "S1,supplier,Công ty TNHH Đúc Nhôm Minh Phát,vi,T1;T2;T3"),
                                             encoding="utf-8")
    refused = runner.invoke(app, ["linkage", "schedule", str(folder), "--out", str(tmp_path / "third"),
                                  "--confirmed", str(first / "schedule.csv")])
    assert refused.exit_code == 1 and "S1" in refused.output


def test_the_funnel_by_hand(tmp_path: Path) -> None:
    outcomes = [Outcome("E1", "B1", "S1", "meeting", "information"), Outcome("E1", "B1", "S1", "3m", "negotiation"),
                Outcome("E1", "B1", "S1", "6m", "agreement", 2e9), Outcome("E1", "B1", "S2", "meeting", "no_contact"),
                Outcome("E1", "B2", "S1", "meeting", "valuable_contact"),
                Outcome("E2", "B2", "S3", "3m", "information")]
    assert latest(outcomes)[("E1", "B1", "S1")].result == "agreement"
    by_event = {f.group: f for f in funnel(outcomes)}
    e1 = by_event["E1"]
    assert e1.meetings == 3 and e1.po_value == 2e9
    assert [e1.reached[r] for r in ("information", "valuable_contact", "negotiation", "agreement")] == [2, 2, 1, 1]
    assert {f.group: f.meetings for f in funnel(outcomes, by="buyer")} == {"B1": 2, "B2": 2}
    path = tmp_path / "outcomes.csv"
    path.write_text("event,buyer,supplier,stage,result,po_value_vnd\nE1,B1,S1,9m,agreement,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a stage"):
        read_outcomes(path)


@pytest.mark.slow
def test_the_demo_event(tmp_path: Path) -> None:
    """The demo's past event: its buyers and best-matched suppliers, scheduled to the proven optimum, with
    outcomes whose funnel narrows."""
    import datetime as dt

    from vnindustry.demo.linkage import generate_linkage
    from vnindustry.demo.linkage_event import draw_outcomes, generate_event
    from vnindustry.linkage import match, read_needs, read_suppliers
    from vnindustry.linkage.csvfiles import read_buyers
    from vnindustry.linkage.schedule import schedule

    demo = generate_linkage(tmp_path / "linkage")
    suppliers, needs = read_suppliers(demo.suppliers)[0], read_needs(demo.needs)[0]
    made = generate_event(tmp_path / "event", suppliers, needs, {b.id: b.name for b in read_buyers(demo.buyers)},
                          match(suppliers, needs, on=dt.date(2026, 12, 6)))
    event, _ = read_event(made.folder)
    planned = schedule(event)
    assert planned.status == "OPTIMAL" and len(planned.meetings) > made.requests / 2
    draw_outcomes(made.folder, [(m.buyer, m.supplier) for m in planned.meetings])
    (total,) = funnel(read_outcomes(made.folder / "outcomes.csv"), by="all")
    steps = [total.meetings, *total.reached.values()]
    assert total.meetings == len(planned.meetings) and steps == sorted(steps, reverse=True)
    assert total.reached["agreement"] > 0 and total.po_value > 0
