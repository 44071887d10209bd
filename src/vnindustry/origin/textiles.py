"""Textiles (Chapters 50–63) under the EVFTA's rules: how far a material has been worked, what a process rule
lets a non-originating textile material be, and the textiles' own tolerances (issue 15).

A textile process rule ("Spinning … accompanied by weaving", "Weaving accompanied by making-up") says which
working must happen here, so it says how far the non-originating textile materials may have been worked before:
fibres for a rule that starts with spinning, yarn for one that starts with weaving or knitting. :func:`stage`
places a material (fibre 1, yarn 2, fabric 3, made-up 4, by its HS heading) and :func:`allowed` reads the rule;
a non-originating textile material past the allowed stage breaks the rule. Non-textile materials (buttons,
slide fasteners) may be used freely (Annex I, Note 7.2).

The breaking materials may still be admitted by the textiles' tolerances (:func:`tolerance`): Note 6 — in a
product of two or more basic textile materials, up to 10% of the total weight of the basic textile materials;
Note 7.1 — in a made-up product (Chapters 61–63), textile materials of another heading up to 8% of the ex-works
price. The notes apply where Annex II refers to them; the bundled rule sets carry no footnotes, so they are
applied as the notes' own worked examples apply them (Note 6 to Chapters 50–63, Note 7 to the made-up articles),
and every answer that uses one says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["STAGE_NAMES", "allowed", "basic_material", "stage", "tolerance"]

STAGE_NAMES = {1: ("xơ", "fibre"), 2: ("sợi", "yarn"), 3: ("vải", "fabric"), 4: ("sản phẩm may sẵn", "made-up article")}
_RANGES = (  # (first heading, last heading, stage)
    (5001, 5003, 1), (5004, 5006, 2), (5007, 5007, 3),
    (5101, 5105, 1), (5106, 5110, 2), (5111, 5113, 3),
    (5201, 5203, 1), (5204, 5207, 2), (5208, 5212, 3),
    (5301, 5305, 1), (5306, 5308, 2), (5309, 5311, 3),
    (5401, 5406, 2), (5407, 5408, 3),
    (5501, 5507, 1), (5508, 5511, 2), (5512, 5516, 3),
    (5601, 5603, 3), (5604, 5607, 2), (5608, 5609, 3),
    (5701, 5705, 4), (5801, 5811, 3), (5901, 5911, 3), (6001, 6006, 3),
    (6101, 6117, 4), (6201, 6217, 4), (6301, 6310, 4),
)
_BASIC = {"50": "silk", "51": "wool and animal hair", "52": "cotton", "53": "other vegetable fibres",
          "54": "man-made filaments", "55": "man-made staple fibres"}
MAN_MADE = ("54", "55")


def stage(hs: str) -> int:
    """How far a material of HS ``hs`` has been worked: 1 fibre, 2 yarn, 3 fabric, 4 made-up; 0 not textile."""
    heading = int(hs[:4])
    return next((s for low, high, s in _RANGES if low <= heading <= high), 0)


def basic_material(hs: str) -> str | None:
    """The basic textile material (Note 6.2) of a fibre or yarn or fabric of Chapters 50–55, by chapter."""
    return _BASIC.get(hs[:2])


def allowed(text: str) -> tuple[int, bool] | None:
    """How far a non-originating textile material may have been worked under the process rule ``text``, and
    whether man-made fibres are excluded at that stage (a rule of *natural* fibres' spinning, whose man-made
    fibres must be extruded here) — None when the rule's first operation is not one this reads."""
    t = re.sub(r"\s+", " ", text.lower()).replace("making- up", "making-up")
    first = t.split(" ", 1)[0].strip(",.")
    if first in ("spinning", "carding", "fabric"):
        return 1, "natural fibres" in t and "man-made staple" not in t
    if first == "extrusion":
        if "spinning of natural" in t or "use of natural fibres" in t or "natural fibres" in t:
            return 1, "man-made staple" not in t
        return 0, True  # man-made fibres extruded here, from chemical materials
    if first in ("weaving", "knitting", "tufting") or t.startswith(("yarn dyeing", "dyeing of yarn")):
        return 2, False
    return None


def tolerance(product_hs: str, breaking: Sequence, textiles: Sequence, ex_works: float  # type: ignore[type-arg]
              ) -> tuple[bool | None, str, str, str]:
    """Whether Notes 6–7 admit the ``breaking`` non-originating textile materials (MaterialStatus-like, with
    ``.material``) given all the product's textile materials: (True, admitted; False, not; None, the weights
    are missing), with the reason in Vietnamese and English and the note cited."""
    value_pct = sum(s.material.value for s in breaking) / ex_works * 100
    own_heading = product_hs[:4]
    if int(product_hs[:2]) in (61, 62, 63) and value_pct <= 8 + 1e-9 and \
            all(s.material.hs[:4] != own_heading for s in breaking):
        return (True, f"vật liệu dệt không đáp ứng quy tắc chiếm {value_pct:.2f}% giá xuất xưởng, không quá 8%, khác "
                "nhóm với sản phẩm".replace(".", ","),
                f"textile materials not meeting the rule come to {value_pct:.2f}% of the ex-works price, within 8%, "
                "of another heading", "Annex I, Note 7.1 (applied to made-up articles)")
    kinds = {basic_material(s.material.hs) for s in textiles} - {None}
    if len(kinds) < 2:
        return (False, "sản phẩm không pha trộn từ hai loại nguyên liệu dệt cơ bản trở lên nên không áp dụng dung sai "
                "Ghi chú 6" + ("; vượt 8% của Ghi chú 7.1" if int(product_hs[:2]) in (61, 62, 63) else ""),
                "not a product of two or more basic textile materials, so no Note 6 tolerance"
                + ("; past Note 7.1's 8%" if int(product_hs[:2]) in (61, 62, 63) else ""), "Annex I, Notes 6.2, 7.1")
    weighed = [s for s in textiles if basic_material(s.material.hs) and s.material.weight is not None]
    if len(weighed) < len([s for s in textiles if basic_material(s.material.hs)]):
        return (None, "cần trọng lượng của các nguyên liệu dệt cơ bản để áp dụng dung sai 10% theo trọng lượng",
                "the weights of the basic textile materials are needed for the 10% tolerance by weight",
                "Annex I, Note 6.1")
    total = sum(s.material.weight or 0.0 for s in weighed)
    broken = sum(s.material.weight or 0.0 for s in breaking if basic_material(s.material.hs))
    share = broken / total * 100 if total else 100.0
    said = f"{share:.2f}%"
    if share <= 10 + 1e-9 and all(basic_material(s.material.hs) for s in breaking):
        return (True, f"sản phẩm pha trộn ({len(kinds)} loại nguyên liệu dệt cơ bản): nguyên liệu không đáp ứng quy "
                f"tắc chiếm {said.replace('.', ',')} tổng trọng lượng nguyên liệu dệt cơ bản, không quá 10%",
                f"a mixed product ({len(kinds)} basic textile materials): the materials not meeting the rule weigh "
                f"{said} of all basic textile materials, within 10%", "Annex I, Note 6.1 (applied to Chapters 50–63)")
    return (False, f"nguyên liệu không đáp ứng quy tắc chiếm {said.replace('.', ',')} tổng trọng lượng nguyên liệu dệt "
            "cơ bản, vượt 10%", f"the materials not meeting the rule weigh {said} of all basic textile materials, "
            "past 10%", "Annex I, Note 6.1")
