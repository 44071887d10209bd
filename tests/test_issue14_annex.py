"""Issue 14, item 4: the city bulletin's annex says what came of the matchmaking — the public aggregates only,
marked synthetic for the demo, English without the organiser's Vietnamese names."""

from __future__ import annotations

from pathlib import Path

from builders import event_folder
from vnindustry.linkage.schedule import schedule
from vnindustry.linkage.stored_events import import_event_folder, import_outcomes, load_event
from vnindustry.publish.competitiveness import store_annex
from vnindustry.publish.document import WITHHELD, Paragraph, Table
from vnindustry.store import open_store


def _store(tmp_path: Path, outcomes: str):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    folder = event_folder(tmp_path / "ev", "EV1", "2026-05-21", {})
    import_event_folder(store.engine, folder)
    import_event_folder(store.engine, folder, schedule(load_event(store.engine, "EV1")[0]))  # type: ignore[index]
    (folder / "outcomes.csv").write_text("event,buyer,supplier,stage,result,po_value_vnd\n" + outcomes,
                                         encoding="utf-8")
    import_outcomes(store.engine, folder / "outcomes.csv")
    return store


def test_the_annex_section_in_both_languages(tmp_path: Path) -> None:
    store = _store(tmp_path, "EV1,B1,S1,meeting,information,\nEV1,B1,S1,6m,agreement,3000000000\n"
                             "EV1,B1,S2,meeting,negotiation,\nEV1,B2,S3,meeting,no_contact,\n")
    (section,) = [s for s in store_annex(store.public_view(), "vi", source="city") if "cung cầu" in s.heading]
    text = section.blocks[0]
    assert isinstance(text, Paragraph)
    assert text.text == ("Qua 1 sự kiện kết nối cung cầu, 3 cuộc gặp giữa bên mua và nhà cung cấp đã có kết quả: "
                         "2 có thêm thông tin, 2 quan hệ có giá trị, 2 đang đàm phán, 1 đã ký kết.")
    table = section.blocks[1]
    assert isinstance(table, Table) and table.rows[0][1:6] == [3.0, 2.0, 2.0, 2.0, 1.0]
    assert table.rows[0][6] is WITHHELD  # one meeting's orders: never a number
    (english,) = [s for s in store_annex(store.public_view(), "en", source="city") if "matchmaking" in s.heading]
    assert english.blocks[1].rows[0][0] == "Event EV1, 21 May 2026"  # type: ignore[union-attr]
    assert not [s for s in store_annex(store.public_view(), "vi", source="gso") if "cung cầu" in s.heading]
