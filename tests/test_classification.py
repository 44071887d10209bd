"""VSIC 2018 (sections B–E) and HCMC key-industry groups shipped in vnindustry.classification."""

from __future__ import annotations

import unicodedata

import pytest

from vnindustry.classification import (
    GSO_NAME_ALIASES,
    code_for_name,
    load_key_industries,
    load_vsic,
    vsic_ancestors,
    vsic_children,
    vsic_entry,
    vsic_index,
    vsic_name,
)

# VSIC 2018 divisions in sections B–E: 05–09, 10–33 (there is no 34), 35–39.
DIVISIONS = {f"{d:02d}" for d in [*range(5, 10), *range(10, 34), *range(35, 40)]}
VIETNAMESE_LETTERS = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


def test_sections_are_b_to_e() -> None:
    sections = load_vsic(levels=("section",))
    assert [e.code for e in sections] == ["B", "C", "D", "E"]
    assert all(e.parent is None for e in sections)
    assert vsic_name("B") == "Khai khoáng"
    assert vsic_name("C") == "Công nghiệp chế biến, chế tạo"
    assert vsic_name("D") == "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hoà không khí"
    assert vsic_name("E") == "Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải"
    assert vsic_name("C", lang="en") == "Manufacturing"


def test_all_divisions_present_with_their_sections() -> None:
    divisions = {e.code: e for e in load_vsic(levels=("division",))}
    assert set(divisions) == DIVISIONS
    for code, e in divisions.items():
        n = int(code)
        expected = "B" if n <= 9 else "C" if n <= 33 else "D" if n == 35 else "E"
        assert e.parent == expected, code


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("05", "Khai thác than cứng và than non"),
        ("10", "Sản xuất, chế biến thực phẩm"),
        ("11", "Sản xuất đồ uống"),
        ("14", "Sản xuất trang phục"),
        ("20", "Sản xuất hoá chất và sản phẩm hoá chất"),
        ("22", "Sản xuất sản phẩm từ cao su và plastic"),
        ("26", "Sản xuất sản phẩm điện tử, máy vi tính và sản phẩm quang học"),
        ("36", "Khai thác, xử lý và cung cấp nước"),
        ("38", "Hoạt động thu gom, xử lý và tiêu huỷ rác thải; tái chế phế liệu"),
        ("1103", "Sản xuất bia và mạch nha ủ men bia"),
        ("3511", "Sản xuất điện"),
    ],
)
def test_official_names(code: str, name: str) -> None:
    assert vsic_name(code) == name


def test_tree_is_consistent() -> None:
    entries = load_vsic()
    index = vsic_index()
    assert len(index) == len(entries), "codes are unique"
    digits = {"division": 2, "group": 3, "class": 4}
    parent_level = {"division": "section", "group": "division", "class": "group"}
    for e in entries:
        if e.level == "section":
            assert len(e.code) == 1 and e.code.isalpha()
            continue
        assert e.code.isdigit() and len(e.code) == digits[e.level], e
        assert e.parent in index, e
        parent = index[e.parent]
        assert parent.level == parent_level[e.level], e
        if e.level != "division":
            assert e.code.startswith(e.parent), e  # VSIC codes nest by prefix below the division
    # Every division has at least one group, every group listed here at least one class or none at all
    # (classes are only given where they are known reliably).
    for d in DIVISIONS:
        assert vsic_children(d), d
    assert len(load_vsic(levels=("group",))) >= 80
    assert len(load_vsic(levels=("class",))) >= 120


def test_names_are_vietnamese_nfc_utf8() -> None:
    for e in load_vsic():
        assert e.name_vi and e.name_en, e.code
        assert unicodedata.normalize("NFC", e.name_vi) == e.name_vi
        assert e.name_en.isascii(), e.code
        assert e.name_vi == e.name_vi.strip() and "  " not in e.name_vi
    # Every section and division title is written with its diacritics (none was flattened to ASCII).
    for e in load_vsic(levels=("section", "division")):
        assert set(e.name_vi.lower()) & VIETNAMESE_LETTERS, (e.code, e.name_vi)


def test_lookups() -> None:
    assert vsic_entry("0510").parent == "051"
    assert vsic_ancestors("0510") == ["051", "05", "B"]
    assert vsic_ancestors("B") == []
    assert vsic_children("11") == ["110"]
    assert vsic_name(" 10 ") == "Sản xuất, chế biến thực phẩm"
    with pytest.raises(KeyError):
        vsic_entry("34")
    with pytest.raises(KeyError):
        vsic_name("A")
    with pytest.raises(ValueError, match="language"):
        vsic_name("10", lang="fr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="level"):
        load_vsic(levels=("sector",))  # type: ignore[arg-type]


def test_code_for_name_accepts_gso_table_names() -> None:
    # Names as printed in GSO's monthly IIP table (shared/data/gso/csv/iip.csv, column "Ngành").
    gso = {
        "Khai khoáng": "B",
        "Công nghiệp chế biến, chế tạo": "C",
        "Sản xuất và phân phối điện": "35",
        "Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải": "E",
        "Hoạt động dịch vụ hỗ trợ khai thác mỏ và quặng": "09",
        "Sản xuất xe có động cơ": "29",
        "Sửa chữa, bảo dưỡng và lắp đặt máy móc, thiết bị": "33",
        "Sản xuất đồ uống": "11",
        "Dệt": "13",
        "Sản xuất hoá chất và sản phẩm hoá chất": "20",
        "Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn ghế); "
        "sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện": "16",
    }
    for name, code in gso.items():
        assert code_for_name(name) == code, name
    assert code_for_name(unicodedata.normalize("NFD", "  sản xuất ĐỒ UỐNG ")) == "11"
    assert code_for_name("Toàn ngành công nghiệp") is None
    assert all(code in vsic_index() for code in GSO_NAME_ALIASES.values())


def test_key_industries_hcmc() -> None:
    groups = {g.code: g for g in load_key_industries()}
    assert set(groups) == {"KEY4", "KEY_FOOD", "KEY_CHEM", "KEY_ELEC", "KEY_MECH"}
    assert set(groups["KEY_FOOD"].members) == {"10", "11"}
    assert set(groups["KEY_CHEM"].members) == {"20", "21", "22"}
    assert set(groups["KEY_ELEC"].members) == {"26", "27"}
    assert set(groups["KEY_MECH"].members) == {"25", "28", "29", "30"}
    union = {m for code in ("KEY_FOOD", "KEY_CHEM", "KEY_ELEC", "KEY_MECH") for m in groups[code].members}
    assert set(groups["KEY4"].members) == union
    for g in groups.values():
        assert g.name_vi and g.name_en
        assert all(vsic_entry(m).level == "division" for m in g.members)
        assert len(set(g.members)) == len(g.members)
    assert groups["KEY4"].name_vi == "4 ngành công nghiệp trọng yếu"
