"""The demo city's register (enterprises.csv): where enterprises are (districts), who owns them, and
plausible, fictitious company names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from vnindustry.demo.city.catalogue import _Leaf

_T = TypeVar("_T")


# Ho Chi Minh City's districts (after TP. Thủ Đức was formed in 2021), with a rough weight for where
# manufacturing enterprises are: industrial parks and export processing zones in Bình Tân (Tân Tạo),
# Bình Chánh (Lê Minh Xuân, Vĩnh Lộc), Củ Chi (Tây Bắc Củ Chi), TP. Thủ Đức (Linh Trung, SHTP),
# Quận 7 (Tân Thuận), Quận 12 (Tân Thới Hiệp), Tân Bình, Tân Phú, Hóc Môn and Nhà Bè (Hiệp Phước).
DISTRICTS: tuple[tuple[str, float], ...] = (
    ("Quận 1", 0.2), ("Quận 3", 0.2), ("Quận 4", 0.5), ("Quận 5", 0.8), ("Quận 6", 3.0),
    ("Quận 7", 3.0), ("Quận 8", 3.0), ("Quận 10", 0.8), ("Quận 11", 2.5), ("Quận 12", 7.0),
    ("Quận Bình Tân", 12.0), ("Quận Bình Thạnh", 1.5), ("Quận Gò Vấp", 3.0), ("Quận Phú Nhuận", 0.3),
    ("Quận Tân Bình", 5.0), ("Quận Tân Phú", 8.0), ("TP. Thủ Đức", 10.0), ("Huyện Bình Chánh", 12.0),
    ("Huyện Cần Giờ", 0.3), ("Huyện Củ Chi", 8.0), ("Huyện Hóc Môn", 6.0), ("Huyện Nhà Bè", 3.0),
)
# Industries (by code prefix) that cluster elsewhere than manufacturing at large.
_DISTRICT_OVERRIDES: dict[str, dict[str, float]] = {
    "08": {"Huyện Cần Giờ": 5.0, "Huyện Củ Chi": 2.0, "Huyện Bình Chánh": 1.0, "TP. Thủ Đức": 1.0},
    "26": {"TP. Thủ Đức": 8.0, "Quận 7": 3.0, "Quận 12": 1.0, "Quận Tân Bình": 1.0},
    "35": {"Quận 1": 1.0, "Quận 3": 1.0, "Quận 5": 1.0, "Quận 7": 1.0, "TP. Thủ Đức": 1.0,
           "Huyện Nhà Bè": 2.0},
    "36": {"TP. Thủ Đức": 2.0, "Quận 1": 1.0, "Quận 3": 1.0, "Quận 5": 1.0, "Quận Tân Bình": 1.0,
           "Huyện Nhà Bè": 1.0, "Huyện Củ Chi": 1.0},
}

# Share of FDI and of state enterprises by code prefix (the rest is non-state): an HCMC-like mix with
# electronics and footwear largely foreign-invested and utilities and tobacco state-owned.
_FDI_SHARE: dict[str, float] = {
    "10": 0.15, "11": 0.3, "13": 0.3, "14": 0.25, "15": 0.4, "16": 0.15, "17": 0.2, "18": 0.05,
    "19": 0.5, "20": 0.3, "21": 0.25, "22": 0.25, "23": 0.2, "24": 0.25, "25": 0.15, "26": 0.8,
    "27": 0.35, "28": 0.2, "29": 0.3, "30": 0.2, "31": 0.2, "32": 0.3, "33": 0.1, "38": 0.1,
}
_STATE_SHARE: dict[str, float] = {
    "08": 0.3, "10": 0.05, "11": 0.2, "12": 1.0, "18": 0.1, "19": 0.25, "21": 0.1, "24": 0.05,
    "30": 0.3, "33": 0.1, "35": 0.6, "3512": 1.0, "36": 1.0, "37": 1.0, "38": 0.4,
}
_DEFAULT_STATE_SHARE = 0.02


# Name parts: plausible, fictitious company names.
_VN_FIRST = ("An", "Bảo", "Bình", "Đại", "Đông", "Gia", "Hải", "Hoà", "Hoàng", "Hưng", "Kim", "Lộc", "Minh",
             "Nam", "Nhật", "Phú", "Phúc", "Phương", "Quang", "Sao", "Tân", "Thái", "Thành", "Thiên", "Thịnh",
             "Trung", "Trường", "Tường", "Việt", "Vĩnh", "Vạn", "Xuân")
_VN_SECOND = ("An", "Phát", "Long", "Thịnh", "Hưng", "Tín", "Lộc", "Minh", "Phong", "Thành", "Tiến", "Việt",
              "Khang", "Nguyên", "Hoà", "Mỹ", "Sơn", "Hải", "Quang", "Đạt", "Vượng", "Toàn", "Cường", "Hảo")
_FDI_FIRST = ("Asia", "Pacific", "Orient", "Golden", "Silver", "Sun", "Ever", "Global", "Green", "Blue",
              "North", "Grand", "Royal", "Tokai", "Kansai", "Han", "Dae", "Shin", "Jin", "Tian", "Hua",
              "Siam", "Nippon", "Euro")
_FDI_SECOND = ("Tech", "Star", "Rise", "Bright", "Field", "Way", "Glory", "Precision", "Industrial", "Kogyo",
               "Works", "Vina", "Crown", "Harbor", "Summit", "Bridge", "Lotus", "Phoenix", "Eagle", "Oak")
# What a company calls itself ("Công ty TNHH <activity> <brand>"), by the longest matching code prefix.
_ACTIVITY: dict[str, tuple[str, ...]] = {
    "08": ("Khoáng sản", "Vật liệu xây dựng"),
    "1010": ("Thực phẩm", "Chế biến thực phẩm"), "1020": ("Thuỷ sản", "Thực phẩm xuất khẩu"),
    "1030": ("Nông sản", "Thực phẩm"), "1040": ("Dầu thực vật",), "1050": ("Sữa", "Thực phẩm dinh dưỡng"),
    "106": ("Lương thực", "Nông sản"), "1071": ("Bánh kẹo", "Thực phẩm"), "1074": ("Thực phẩm", "Mì ăn liền"),
    "1075": ("Thực phẩm",), "1077": ("Cà phê",), "1079": ("Thực phẩm", "Gia vị"),
    "1080": ("Thức ăn chăn nuôi", "Dinh dưỡng"),
    "1101": ("Rượu",), "1103": ("Bia",), "1104": ("Nước giải khát", "Đồ uống"), "12": ("Thuốc lá",),
    "131": ("Dệt", "Sợi"), "1313": ("Dệt nhuộm",), "139": ("Dệt", "Dệt may"),
    "14": ("May mặc", "Thời trang", "May"), "151": ("Túi xách", "Da thuộc"), "1520": ("Giày da", "Da giày"),
    "16": ("Chế biến gỗ", "Gỗ"), "17": ("Giấy", "Bao bì"), "18": ("In", "In ấn", "Bao bì in"),
    "19": ("Dầu nhờn", "Hoá dầu"), "201": ("Hoá chất", "Phân bón"),
    "2021": ("Nông dược", "Thuốc bảo vệ thực vật"),
    "2022": ("Sơn", "Sơn và mực in"), "2023": ("Hoá mỹ phẩm", "Mỹ phẩm"), "2029": ("Hoá chất", "Keo dán"),
    "21": ("Dược phẩm", "Dược"), "221": ("Cao su", "Cao su kỹ thuật"), "2220": ("Nhựa", "Bao bì nhựa"),
    "2310": ("Thuỷ tinh", "Kính"), "2392": ("Gạch ngói",), "2393": ("Gốm sứ", "Gạch men"),
    "2394": ("Xi măng",), "2395": ("Bê tông", "Vật liệu xây dựng"), "2410": ("Thép",),
    "2420": ("Nhôm", "Kim loại màu"), "251": ("Kết cấu thép", "Cơ khí xây dựng"),
    "2592": ("Cơ khí", "Cơ khí chính xác"), "2593": ("Kim khí", "Dụng cụ cầm tay"),
    "2599": ("Cơ khí", "Kim khí"),
    "2610": ("Linh kiện điện tử", "Điện tử"), "2620": ("Công nghệ", "Máy tính"),
    "2630": ("Viễn thông", "Thiết bị mạng"), "2640": ("Điện tử",), "2651": ("Thiết bị đo lường",),
    "2710": ("Thiết bị điện", "Điện cơ"), "2720": ("Pin ắc quy",), "273": ("Dây cáp điện", "Thiết bị điện"),
    "2740": ("Chiếu sáng", "Bóng đèn"), "2750": ("Điện gia dụng", "Điện cơ"),
    "28": ("Cơ khí chế tạo", "Máy", "Thiết bị công nghiệp"), "2910": ("Ô tô",), "2920": ("Cơ khí ô tô",),
    "2930": ("Phụ tùng ô tô",), "301": ("Đóng tàu", "Cơ khí hàng hải"), "3091": ("Xe máy", "Phụ tùng xe máy"),
    "3092": ("Xe đạp",), "31": ("Nội thất", "Đồ gỗ nội thất"), "3211": ("Vàng bạc đá quý", "Trang sức"),
    "3230": ("Dụng cụ thể thao",), "3240": ("Đồ chơi",), "3250": ("Thiết bị y tế", "Vật tư y tế"),
    "3290": ("Văn phòng phẩm", "Sản xuất"), "33": ("Cơ điện", "Kỹ thuật", "Lắp máy"),
    "3511": ("Năng lượng", "Nhiệt điện"), "3512": ("Điện lực",), "3530": ("Nước đá", "Năng lượng"),
    "36": ("Cấp nước",), "37": ("Thoát nước",), "3811": ("Môi trường đô thị", "Môi trường"),
    "382": ("Xử lý chất thải", "Môi trường"), "3830": ("Tái chế",),
}


def _by_prefix(table: dict[str, _T], code: str, default: _T) -> _T:
    """The entry for the longest prefix of ``code`` in ``table`` (class, then group, then division)."""
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return default


def _enterprise_rows(
    rng: np.random.Generator, leaves: Sequence[_Leaf], ent_leaf: Sequence[int], ent_codes: Sequence[str]
) -> list[tuple[str, str, str, str, str]]:
    base_names = [d for d, _ in DISTRICTS]
    base_w = np.array([w for _, w in DISTRICTS])
    taken: set[str] = set()
    rows = []
    n = len(ent_leaf)
    u_own, u_form, u_dist = rng.random(n), rng.random(n), rng.random(n)
    picks = rng.integers(0, 1 << 30, (n, 3))
    for e in range(n):
        leaf = leaves[ent_leaf[e]].code
        state = _by_prefix(_STATE_SHARE, leaf, _DEFAULT_STATE_SHARE)
        fdi = _by_prefix(_FDI_SHARE, leaf, 0.0)
        ownership = "state" if u_own[e] < state else "FDI" if u_own[e] < state + fdi else "non-state"
        over = _by_prefix(_DISTRICT_OVERRIDES, leaf, None)
        w = np.array([over.get(d, 0.0) for d in base_names]) if over else base_w
        district = base_names[int(np.searchsorted(np.cumsum(w) / w.sum(), u_dist[e], side="right"))]
        acts = _by_prefix(_ACTIVITY, leaf, ("Sản xuất",))
        name = _unique_name(ownership, leaf, acts, picks[e], u_form[e], district, taken)
        taken.add(name)
        rows.append((ent_codes[e], name, leaf, district, ownership))
    rows.sort(key=lambda r: r[0])
    return rows


def _unique_name(ownership: str, leaf: str, acts: Sequence[str], pick: np.ndarray, u: float,
                 district: str, taken: set[str]) -> str:
    """A company name not in ``taken``: walk the brand list from a random start (deterministic)."""
    act = acts[int(pick[2]) % len(acts)]
    first, second = (_FDI_FIRST, _FDI_SECOND) if ownership == "FDI" else (_VN_FIRST, _VN_SECOND)
    n_brands = len(first) * len(second)
    start = int(pick[0]) % n_brands
    if ownership == "state" and leaf in ("3512", "36"):
        # Power and water distributors are named after the area they serve, as HCMC's are.
        place = district.removeprefix("Huyện ").removeprefix("TP. ")
        if not place.removeprefix("Quận ")[:1].isdigit():
            place = place.removeprefix("Quận ")  # "Quận Tân Bình" → "Tân Bình", but "Quận 3" stays
        candidate = f"Công ty {act} {place}"
        if candidate not in taken:
            return candidate
    for k in range(n_brands):
        i = (start + k) % n_brands
        brand = f"{first[i // len(second)]} {second[i % len(second)]}"
        if ownership == "FDI":
            name = f"Công ty TNHH {brand} Việt Nam"
        elif ownership == "state":
            name = f"Công ty TNHH MTV {act} {brand}" if u < 0.6 else f"Công ty Cổ phần {act} {brand}"
        else:
            form = "Công ty TNHH" if u < 0.55 else "Công ty Cổ phần" if u < 0.9 else "Doanh nghiệp tư nhân"
            name = f"{form} {act} {brand}"
        if name not in taken:
            return name
    suffix = 2
    while f"{name} {suffix}" in taken:
        suffix += 1
    return f"{name} {suffix}"
