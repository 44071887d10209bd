"""The linkage demo's buyers (SYNTHETIC, buyers.csv): the catalogue of invented manufacturers, with their
sectors, localisation targets and sizes."""

from __future__ import annotations

from dataclasses import dataclass

BUYER_COLUMNS = ("buyer", "name", "district", "ownership", "sector", "localisation_target_pct")


@dataclass(frozen=True)
class _BuyerSpec:
    name: str
    district: str
    ownership: str
    sector: str
    target: int  # localisation target, % of input value from suppliers located in VN
    size: float  # input purchases, billion VND a month at the start
    needs: tuple[str, ...] = ()  # fixed need templates; empty: 2–4 drawn from the sector's


_B01_NEEDS = ("O1", "O2", "E1", "D1", "L1", "W1", "K1")
_BUYERS: tuple[_BuyerSpec, ...] = (
    _BuyerSpec("Công ty TNHH Dụng cụ Điện Orvane Việt Nam", "TP. Thủ Đức (Khu Công nghệ cao)", "fdi",
               "power_tools", 70, 420.0, _B01_NEEDS),
    _BuyerSpec("Công ty TNHH Điện tử Lumora Việt Nam", "TP. Thủ Đức (Khu Công nghệ cao)", "fdi", "electronics",
               45, 850.0),
    _BuyerSpec("Công ty TNHH Norvik Electronics Việt Nam", "Quận 7 (KCX Tân Thuận)", "fdi", "electronics", 35,
               300.0),
    _BuyerSpec("Công ty TNHH Kỹ thuật Điện tử Tavira Việt Nam", "TP. Thủ Đức (KCX Linh Trung)", "fdi",
               "electronics", 40, 180.0),
    _BuyerSpec("Công ty TNHH Xe máy Hoshiro Việt Nam", "Biên Hòa, Đồng Nai", "fdi", "motorcycle", 85, 950.0),
    _BuyerSpec("Công ty TNHH Phụ tùng Xe máy Rikuto Việt Nam", "Dĩ An, Bình Dương", "fdi", "motorcycle", 80,
               160.0),
    _BuyerSpec("Công ty TNHH Calvex Auto Parts Việt Nam", "Nhơn Trạch, Đồng Nai", "fdi", "auto_parts", 60, 140.0),
    _BuyerSpec("Công ty TNHH Linh kiện Ô tô Yamori Việt Nam", "Huyện Củ Chi", "fdi", "auto_parts", 55, 90.0),
    _BuyerSpec("Công ty Cổ phần Cơ khí Giao thông Nam Việt", "Huyện Bình Chánh", "vn", "auto_parts", 75, 60.0),
    _BuyerSpec("Công ty TNHH Điện gia dụng Belcora Việt Nam", "Thuận An, Bình Dương", "fdi", "appliances", 55,
               210.0),
    _BuyerSpec("Công ty TNHH Velora Home Appliances Việt Nam", "Quận Bình Tân (KCN Tân Tạo)", "fdi", "appliances",
               50, 120.0),
    _BuyerSpec("Công ty TNHH Quạt điện Sorvan Việt Nam", "Bến Lức, Long An", "fdi", "appliances", 60, 75.0),
    _BuyerSpec("Công ty Cổ phần Điện máy Gia dụng Phú Hưng", "Huyện Bình Chánh", "vn", "appliances", 80, 45.0),
    _BuyerSpec("Công ty TNHH Máy Thực phẩm Kanevo Việt Nam", "Tân Uyên, Bình Dương", "fdi", "food_machinery", 50,
               35.0),
    _BuyerSpec("Công ty Cổ phần Cơ khí Thực phẩm An Khang", "Quận 12", "vn", "food_machinery", 85, 18.0),
    _BuyerSpec("Công ty TNHH Liên doanh Thiết bị Chế biến Elmarc – Sao Việt", "Huyện Hóc Môn", "jv",
               "food_machinery", 65, 25.0),
    _BuyerSpec("Công ty TNHH Thực phẩm Pellian Việt Nam", "Đức Hòa, Long An", "fdi", "food_processing", 80, 160.0),
    _BuyerSpec("Công ty TNHH Đồ uống Quorin Việt Nam", "Huyện Củ Chi", "fdi", "food_processing", 75, 110.0),
    _BuyerSpec("Công ty TNHH Dụng cụ Làm vườn Ferox Việt Nam", "Tân Uyên, Bình Dương", "fdi", "power_tools", 50,
               130.0),
    _BuyerSpec("Công ty TNHH Zentro Precision Electronics Việt Nam", "Long Thành, Đồng Nai", "fdi", "electronics",
               40, 260.0),
)


def _buyer_list(n: int) -> list[tuple[str, _BuyerSpec]]:
    out = []
    for k in range(n):
        spec = _BUYERS[k % len(_BUYERS)]
        if k >= len(_BUYERS):
            spec = _BuyerSpec(f"{spec.name} – Nhà máy {k // len(_BUYERS) + 1}", spec.district, spec.ownership,
                              spec.sector, spec.target, spec.size, spec.needs)
        out.append((f"B{k + 1:02d}", spec))
    return out
