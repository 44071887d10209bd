"""Synthetic supplier–buyer linkage for the demo (issue 14). SYNTHETIC: invented enterprises, not real profiles.

:func:`generate_linkage` writes, into one folder:

* ``suppliers.csv`` and ``needs.csv`` in the formats of docs/linkage.md (read by
  :func:`vnindustry.linkage.read_suppliers` / :func:`~vnindustry.linkage.read_needs`);
* ``buyers.csv`` — ``buyer,name,district,ownership,sector,localisation_target_pct``: the buyers the needs
  name, with the share of input value they aim to buy in Viet Nam;
* ``purchases.csv`` — ``buyer,period,supplier,hs,value_vnd,supplier_located_in_vn,supplier_vn_owned``: each
  buyer's declared input purchases, monthly 2024-01..2025-12, from suppliers of ``suppliers.csv`` and from
  abroad (``IMP-xx``, located outside Viet Nam); the two flags are ``1``/``0``, so the localisation rates
  (value from suppliers located in VN, and from Vietnamese-owned ones, over all input value) are sums;
* ``SYNTHETIC`` — the marker the demo city also writes (:data:`vnindustry.sources.dataset.SYNTHETIC_MARKER`).

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order (suppliers, then buyers'
needs, then purchases), so the same arguments give byte-identical files.

**Suppliers** come in speciality clusters (:data:`_CLUSTERS`) covering Ho Chi Minh City's four key industries
— mechanical engineering and metal products, electronics, chemicals–rubber–plastics, food processing (its
packaging and machinery) — and their supporting industries: die casting, precision machining, stamping,
fasteners, plastic injection, moulds, PCB assembly, wire harnesses, motors, rubber, packaging, surface
finishing, stainless fabrication for food machinery, forging, electrical parts, aluminium extrusion and
plastic compounding. A cluster gives its suppliers their trade word in the name, HS codes (one from the
cluster's main codes always, so a need of the cluster shares at least the HS heading with most of them),
processes (the cluster's core process and some optional ones, written in Vietnamese, in English or without
diacritics), how often each certification is held, materials, products and tolerances for the description,
capacity and how often the firm is foreign-invested. Certificates expire 2025-06..2028-12, about one in eight
before :data:`REFERENCE_DAY` (the day the demo is matched on), so some suppliers are filtered out for an
expired ISO 9001. About one description in ten is typed without diacritics, and a few mould makers list a
process that is not in the declared list (EDM), which the reader keeps with a warning.

**Buyers** (:data:`_BUYERS`) are mostly FDI manufacturers of electronics, power tools, motorcycles and auto
parts, household appliances, food machinery and processed food. ``B01`` is a power-tool maker in the Saigon
Hi-Tech Park (an invented name) localising motors, PCB assemblies, die-cast aluminium and plastic parts
towards a 70 % target (seven needs); the others draw 2–4 from the templates of their sector (:data:`_NEEDS`),
three a buyer in all (60 for the default 20 buyers), a part already asked for being less likely again. A need
asks for the processes and certifications of its template; when fewer than :data:`MIN_PLAUSIBLE` suppliers
would pass the matching's hard filters and share the need's HS heading, its last required certifications are
dropped until enough do. With the default sizes and seed every need keeps at least three such suppliers (the
tests check it); other seeds almost always do too (two needs short in 6,000 over seeds 0–99).

**Purchases**: a buyer's monthly input value (its size, a small trend, a dip in the month of Tết and a rise
in the month before) is split between imports, suppliers located in VN but foreign-owned and Vietnamese-owned
suppliers; the located-in-VN share moves linearly from a start to an end value below the buyer's target
(``B01``: 35 % → 50 %), and some domestic suppliers only start delivering during the span. Districts are
the pre-July-2025 ones (before the provinces merged), as in the demo city.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vnindustry.demo.city import DISTRICTS, TET_DATES, _allocate, _atomic_write, _write_csv
from vnindustry.linkage.csvfiles import NEED_COLUMNS, SUPPLIER_COLUMNS
from vnindustry.linkage.vocab import CERTIFICATIONS, PROCESSES
from vnindustry.sources.dataset import SYNTHETIC_MARKER

__all__ = ["BUYER_COLUMNS", "MIN_PLAUSIBLE", "PERIODS", "PURCHASE_COLUMNS", "REFERENCE_DAY", "LinkageDemo",
           "generate_linkage"]

REFERENCE_DAY = dt.date(2026, 12, 6)
"""The day the demo is meant to be matched on (certificates are drawn so that a few have expired by then)."""
PERIODS: tuple[str, ...] = tuple(f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13))
BUYER_COLUMNS = ("buyer", "name", "district", "ownership", "sector", "localisation_target_pct")
PURCHASE_COLUMNS = ("buyer", "period", "supplier", "hs", "value_vnd", "supplier_located_in_vn",
                    "supplier_vn_owned")
MIN_PLAUSIBLE = 3
"""Suppliers each need should have that pass the hard filters on :data:`REFERENCE_DAY` and share its HS heading."""

_EXPIRED_SHARE = 0.12  # certificates already expired on REFERENCE_DAY
_NO_CAPACITY_SHARE = 0.15
_STRIPPED_SHARE = 0.10  # supplier descriptions typed without diacritics
_STRIPPED_NEED_SHARE = 0.08
_N_IMPORTERS = 40  # foreign suppliers IMP-01.., shared by the buyers


@dataclass(frozen=True)
class LinkageDemo:
    """What :func:`generate_linkage` wrote: the folder, its files and how many suppliers, needs and buyers."""

    folder: Path
    suppliers: Path
    needs: Path
    purchases: Path
    n_suppliers: int
    n_needs: int
    buyers: Path
    n_buyers: int


# --- suppliers ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cluster:
    """A supplier speciality: what its members make, how, with which certificates, and how they describe it."""

    key: str
    weight: float  # relative number of suppliers
    trades: tuple[str, ...]  # trade words of a Vietnamese name ("Đúc Nhôm")
    trade_en: str  # of a foreign-invested firm's name ("Die Casting")
    hs_main: tuple[str, ...]  # every member has one or two of these
    hs_extra: tuple[str, ...]  # and perhaps some of these
    core: tuple[str, ...]  # process codes: at least one of them
    optional: tuple[str, ...]  # each with probability 0.4
    certs: tuple[tuple[str, float], ...]  # certification code, share of members holding it
    verb: str  # what they do, lower case ("đúc áp lực")
    materials: tuple[str, ...]
    products: tuple[str, ...]
    tolerances: tuple[str, ...]
    customers: tuple[str, ...]
    facts: tuple[str, ...]  # a second sentence, lower case, with {n} and {m}
    capacity: tuple[float, float]  # units a month, drawn log-uniform
    foreign: float  # share of fdi or jv members
    unlisted: tuple[str, ...] = ()  # processes outside the declared list a few members write
    forms: tuple[int, ...] = (0, 1, 2)  # the first sentences that read well with this cluster's words


_CLUSTERS: tuple[_Cluster, ...] = (
    _Cluster(
        "die_cast", 1.1, ("Đúc Nhôm", "Đúc Áp Lực", "Cơ khí Đúc", "Kim loại Đúc"), "Die Casting",
        ("7616", "761699"), ("8503", "850300", "871410", "8708", "841391"),
        ("die_casting",), ("cnc_machining", "surface_treatment", "powder_coating", "anodizing", "mould_making"),
        (("ISO9001", 0.8), ("IATF16949", 0.2), ("ISO14001", 0.25)),
        "đúc áp lực", ("nhôm ADC12", "nhôm A380", "nhôm AC4C", "nhôm ADC12 và A380"),
        ("vỏ động cơ", "vỏ hộp số", "nắp đậy", "tản nhiệt", "giá đỡ", "vỏ bơm", "nắp máy xe máy", "vỏ đèn LED"),
        ("dung sai ±0,05 mm", "dung sai ±0,1 mm", "dung sai ±0,03 mm sau gia công CNC"),
        ("dụng cụ điện cầm tay", "xe máy", "đồ gia dụng", "thiết bị chiếu sáng", "máy bơm"),
        ("có {n} máy đúc áp lực 160–800 tấn và {m} máy CNC gia công sau đúc.",
         "kiểm tra độ xốp bằng X-quang và đo CMM, bắn bi làm sạch tại xưởng.",
         "tự chế tạo khuôn đúc, năng lực khoảng {n} bộ khuôn mới mỗi năm."),
        (10000, 300000), 0.2),
    _Cluster(
        "cnc", 1.5, ("Cơ khí Chính xác", "Kỹ thuật Chính xác", "Cơ khí", "Gia công Cơ khí"), "Precision",
        ("8483", "848310", "848340", "848390", "848790"), ("8466", "846693", "8708", "871410", "7318"),
        ("cnc_machining",), ("turning", "milling", "grinding", "heat_treatment", "assembly"),
        (("ISO9001", 0.75), ("IATF16949", 0.15), ("ISO14001", 0.15)),
        "tiện phay CNC", ("thép S45C", "thép SCM440", "inox SUS304", "nhôm 6061", "đồng thau C3604", "thép SKD11"),
        ("trục", "bánh răng", "bạc lót", "chốt định vị", "đồ gá (jig, fixture)", "khớp nối", "puly", "bích"),
        ("dung sai ±0,01 mm", "dung sai ±0,005 mm", "dung sai lắp ghép h7", "dung sai ±0,02 mm"),
        ("máy chế biến thực phẩm", "xe máy", "ô tô", "dây chuyền điện tử", "dụng cụ điện cầm tay"),
        ("có {n} máy tiện CNC, {m} trung tâm phay và phòng đo với máy CMM.",
         "nhận đơn từ vài chục chi tiết, giao nhanh trong TP.HCM.",
         "có máy mài tròn ngoài, mài phẳng và lò tôi cao tần."),
        (2000, 80000), 0.1),
    _Cluster(
        "stamping", 1.2, ("Dập Kim loại", "Cơ khí Dập", "Kim khí", "Cơ khí Kim loại Tấm"), "Metal Stamping",
        ("7326", "732690"), ("8538", "853890", "7318", "731822", "8503", "871410", "870829", "841490"),
        ("stamping",), ("sheet_metal", "laser_cutting", "welding", "electroplating", "powder_coating",
                        "mould_making"),
        (("ISO9001", 0.8), ("IATF16949", 0.2), ("ISO14001", 0.3)),
        "dập liên hoàn", ("thép SPCC", "thép SECC", "thép SGCC", "inox SUS430", "thép SAPH440"),
        ("giá đỡ", "tấm che", "bát bắt", "vỏ tủ điện", "kẹp", "vòng đệm", "tấm chắn nhiễu"),
        ("dung sai ±0,05 mm", "dung sai ±0,1 mm", "ba via ≤ 0,05 mm"),
        ("thiết bị điện tử", "đồ gia dụng", "xe máy", "ô tô", "thiết bị điện"),
        ("có {n} máy dập 60–300 tấn, trong đó {m} máy dập liên hoàn cấp phôi tự động.",
         "có máy cắt laser fiber và máy chấn CNC, nhận cả hàng mẫu.",
         "tự thiết kế và chế tạo khuôn dập tại xưởng.",
         "dập lá thép silic 0,5 mm cho stator và rotor động cơ, xếp lá và hàn laser."),
        (20000, 1000000), 0.15),
    _Cluster(
        "fastener", 0.6, ("Bu lông Ốc vít", "Kim khí", "Ốc vít"), "Fastener",
        ("7318", "731814", "731815", "731816"), ("731822", "731823", "871410"),
        ("forging",), ("turning", "heat_treatment", "electroplating"),
        (("ISO9001", 0.8), ("IATF16949", 0.25), ("ISO14001", 0.2)),
        "dập nguội", ("thép SWCH10A", "thép SWCH18A", "thép SWCH35K", "inox SUS304", "thép 10B21"),
        ("bu lông", "vít tự ren", "đai ốc", "vít máy", "đinh tán", "vòng đệm"),
        ("cấp bền 8.8", "cấp bền 10.9", "ren cấp chính xác 6g"),
        ("xe máy", "ô tô", "đồ gia dụng", "thiết bị điện tử", "nội thất"),
        ("có {n} máy dập đầu nguội, {m} máy cán ren và lò nhiệt luyện liên tục.",
         "mạ kẽm, mạ niken tại xưởng, đóng gói theo yêu cầu.",),
        (200000, 5000000), 0.15),
    _Cluster(
        "plastic", 1.6, ("Nhựa", "Nhựa Kỹ thuật", "Nhựa Công nghiệp", "Nhựa Chính xác"), "Plastics",
        ("3926", "392690", "392350"), ("3923", "871410", "8708", "847330", "851690", "841490"),
        ("injection_moulding",), ("mould_making", "assembly", "surface_treatment"),
        (("ISO9001", 0.75), ("ISO14001", 0.3), ("IATF16949", 0.15), ("UL", 0.1)),
        "ép phun", ("nhựa ABS", "nhựa PP", "nhựa PA66", "nhựa PA6-GF30", "nhựa PC/ABS", "nhựa POM", "nhựa HIPS"),
        ("vỏ máy", "nắp", "bánh răng nhựa", "ốp trang trí xe máy", "vỏ thiết bị điện", "khay", "tay cầm",
         "cánh quạt"),
        ("dung sai ±0,05 mm", "dung sai ±0,1 mm", "dung sai ±0,02 mm"),
        ("đồ gia dụng", "thiết bị điện tử", "xe máy", "dụng cụ điện cầm tay", "thiết bị điện"),
        ("có {n} máy ép phun 80–650 tấn và {m} robot gắp sản phẩm.",
         "có xưởng khuôn riêng và dây chuyền sơn, in pad cho chi tiết nhựa.",
         "sấy hạt và cấp liệu trung tâm, phòng sạch cho chi tiết quang học."),
        (20000, 2000000), 0.15),
    _Cluster(
        "mould", 0.8, ("Khuôn mẫu", "Khuôn mẫu Chính xác", "Cơ khí Khuôn"), "Mould",
        ("8480", "848071", "848041", "848079", "820730"), ("8207", "846693"),
        ("mould_making",), ("cnc_machining", "grinding", "heat_treatment", "milling"),
        (("ISO9001", 0.6), ("ISO14001", 0.15)),
        "chế tạo", ("thép SKD61", "thép NAK80", "thép P20", "thép S50C", "thép SKD11"),
        ("khuôn ép nhựa", "khuôn dập liên hoàn", "khuôn đúc áp lực", "khuôn cao su", "khuôn thổi"),
        ("dung sai ±0,005 mm", "dung sai ±0,01 mm"),
        ("đồ gia dụng", "thiết bị điện tử", "xe máy", "ô tô", "bao bì"),
        ("có {n} máy phay CNC tốc độ cao, {m} máy xung điện và cắt dây.",
         "thiết kế khuôn trên phần mềm 3D, thử khuôn tại xưởng trước khi giao."),
        (2, 30), 0.15, ("Gia công tia lửa điện (EDM)", "Cắt dây EDM"), forms=(1, 2)),
    _Cluster(
        "pcba", 1.0, ("Điện tử", "Công nghệ Điện tử", "Điện tử Viễn thông"), "Electronics",
        ("8534", "853400"), ("8473", "847330", "8537", "853710", "8538", "853890", "8504", "850440"),
        ("pcb_assembly",), ("pcb_fabrication", "assembly", "wire_harness"),
        (("ISO9001", 0.85), ("IPC610", 0.5), ("ISO14001", 0.45), ("UL", 0.15), ("IATF16949", 0.1)),
        "lắp ráp SMT", ("linh kiện SMD 0402", "linh kiện SMD 0201", "mạch FR-4 4 lớp", "mạch nền nhôm",
                        "hàn không chì SAC305"),
        ("bo điều khiển", "bo nguồn", "bo mạch LED", "bo sạc pin", "bo điều khiển động cơ BLDC", "module IoT"),
        ("kiểm tra AOI 100%", "kiểm tra X-ray cho BGA", "test ICT và FCT 100%"),
        ("thiết bị điện tử", "đồ gia dụng", "dụng cụ điện cầm tay", "thiết bị chiếu sáng", "ô tô"),
        ("có {n} dây chuyền SMT, máy AOI và X-ray, kho linh kiện kiểm soát độ ẩm.",
         "nhận gia công trọn gói từ mua linh kiện đến lắp ráp hoàn chỉnh.",
         "có {m} máy cắm linh kiện tự động và lò hàn sóng."),
        (5000, 300000), 0.4),
    _Cluster(
        "harness", 0.6, ("Dây Cáp Điện", "Dây điện", "Cáp Điện"), "Wire Harness",
        ("8544", "854442", "854449", "854430"), ("8536", "853690"),
        ("wire_harness",), ("assembly", "injection_moulding"),
        (("ISO9001", 0.8), ("IATF16949", 0.3), ("UL", 0.35), ("ISO14001", 0.25)),
        "sản xuất", ("dây đồng bọc PVC", "cáp đồng nhiều sợi", "dây silicone chịu nhiệt",
                     "đầu cos đồng thau mạ thiếc"),
        ("bó dây điện", "cáp nguồn", "dây sạc", "cáp tín hiệu", "bó dây xe máy"),
        ("test thông mạch 100%", "đo lực kéo đầu cos từng ca", "kiểm tra chiều cao bấm cos"),
        ("xe máy", "đồ gia dụng", "thiết bị điện tử", "dụng cụ điện cầm tay", "ô tô"),
        ("có {n} máy cắt tuốt bấm cos tự động và {m} bàn test bó dây.",
         "ép phun đầu nối và phích cắm tại xưởng."),
        (5000, 500000), 0.35),
    _Cluster(
        "motor", 0.8, ("Điện cơ", "Động cơ Điện", "Kỹ thuật Điện"), "Motor",
        ("8501", "850131", "850140", "8503", "850300"), ("850110", "8504", "850431", "850450"),
        ("motor_winding",), ("stamping", "assembly", "cnc_machining"),
        (("ISO9001", 0.75), ("ISO14001", 0.25), ("UL", 0.2), ("IATF16949", 0.1)),
        "quấn", ("dây đồng tráng men cấp nhiệt H", "dây đồng tráng men cấp nhiệt F", "dây nhôm tráng men"),
        ("động cơ DC không chổi than", "stator", "rotor", "động cơ quạt", "động cơ bước", "biến áp", "cuộn cảm"),
        ("thử cao áp 1.500 V", "kiểm tra điện trở cuộn dây 100%", "cân bằng động rotor cấp G6.3"),
        ("dụng cụ điện cầm tay", "đồ gia dụng", "thiết bị điện tử", "máy chế biến thực phẩm"),
        ("có {n} máy quấn dây tự động và phòng thử đặc tính động cơ.",
         "dập lá thép silic 0,35 mm, lắp rotor nam châm ferrite hoặc NdFeB và tẩm sấy vecni tại xưởng."),
        (2000, 150000), 0.3),
    _Cluster(
        "rubber", 0.8, ("Cao su", "Cao su Kỹ thuật"), "Rubber",
        ("4016", "401693", "401699"), ("4009", "400932"),
        ("rubber_moulding",), ("mould_making", "extrusion"),
        (("ISO9001", 0.65), ("IATF16949", 0.15), ("ISO14001", 0.2)),
        "ép đúc", ("cao su EPDM", "cao su NBR", "cao su silicone", "cao su FKM", "cao su thiên nhiên"),
        ("gioăng", "phớt chắn dầu", "nút chụp", "đệm chống rung", "ống dẫn", "chân đế"),
        ("độ cứng 60±5 Shore A", "dung sai theo ISO 3302 cấp M2", "độ cứng 70 Shore A"),
        ("xe máy", "ô tô", "đồ gia dụng", "máy chế biến thực phẩm", "thiết bị điện"),
        ("có {n} máy ép cao su thủy lực và {m} máy ép phun cao su.",
         "tự pha trộn cao su và làm khuôn, phòng thí nghiệm đo độ cứng và lão hóa."),
        (50000, 3000000), 0.15),
    _Cluster(
        "packaging", 1.0, ("Bao bì", "In Bao bì", "Bao bì Giấy"), "Packaging",
        ("4819", "481910", "481920"), ("481940", "4821", "3923", "392321"),
        ("packaging_printing",), (),
        (("ISO9001", 0.6), ("FSC", 0.35), ("ISO22000", 0.25), ("ISO14001", 0.2)),
        "in và sản xuất", ("giấy kraft", "carton sóng BC 5 lớp", "giấy duplex", "giấy couche"),
        ("thùng carton", "hộp giấy", "nhãn in", "khay giấy định hình", "túi giấy"),
        ("in flexo 4 màu", "in offset 6 màu", "bế dán tự động"),
        ("thực phẩm", "đồ uống", "thiết bị điện tử", "đồ gia dụng", "dụng cụ điện cầm tay"),
        ("có {n} máy in flexo và offset, dây chuyền sóng 5 lớp.",
         "giao hàng trong ngày cho khách hàng quanh TP.HCM."),
        (100000, 5000000), 0.1),
    _Cluster(
        "finishing", 0.7, ("Xi mạ", "Xử lý Bề mặt", "Mạ Kim loại"), "Surface Finishing",
        ("7326", "732690"), ("7318", "731815", "7616", "761699", "871410"),
        ("electroplating", "surface_treatment", "powder_coating", "anodizing"), (),
        (("ISO9001", 0.55), ("ISO14001", 0.4)),
        "xử lý bề mặt", ("mạ kẽm", "mạ niken", "mạ crom", "anod hóa nhôm", "sơn tĩnh điện polyester"),
        ("bu lông", "chi tiết dập", "vỏ nhôm", "khung thép", "phụ tùng xe máy"),
        ("độ dày lớp mạ 8–12 µm", "phun muối 96 giờ", "phun muối 240 giờ"),
        ("xe máy", "đồ gia dụng", "dụng cụ điện cầm tay", "nội thất", "thiết bị điện"),
        ("có {n} bể mạ tự động và hệ thống xử lý nước thải đạt chuẩn.",
         "có dây chuyền sơn tĩnh điện treo tự động dài {m}0 m."),
        (20000, 2000000), 0.05),
    _Cluster(
        "stainless", 0.7, ("Cơ khí Inox", "Cơ khí Thực phẩm", "Chế tạo Máy"), "Stainless Engineering",
        ("8438", "843890", "843880"), ("8419", "841989", "7310", "8422", "842290", "732690"),
        ("sheet_metal", "welding"), ("laser_cutting", "cnc_machining", "assembly", "surface_treatment"),
        (("ISO9001", 0.5), ("ISO14001", 0.1)),
        "chế tạo", ("inox SUS304", "inox SUS316L", "thép không gỉ 304"),
        ("bồn khuấy", "băng tải inox", "khung máy", "máng rửa", "phễu cấp liệu", "trục cánh khuấy"),
        ("đánh bóng Ra ≤ 0,8 µm", "mối hàn TIG kín, không rỗ", "đánh bóng gương"),
        ("máy chế biến thực phẩm", "nhà máy đồ uống", "thủy sản", "dược phẩm"),
        ("có máy cắt laser fiber {n} kW, máy chấn CNC và {m} tổ hàn TIG.",
         "thiết kế, chế tạo và lắp đặt tại nhà máy của khách hàng."),
        (5, 400), 0.05, forms=(1, 2)),
    _Cluster(
        "forging", 0.5, ("Rèn", "Cơ khí Ô tô", "Phụ tùng"), "Forging",
        ("8714", "871410", "8708", "870850"), ("870840", "870899", "848340", "8483"),
        ("forging",), ("cnc_machining", "heat_treatment", "turning", "grinding"),
        (("ISO9001", 0.85), ("IATF16949", 0.5), ("ISO14001", 0.3)),
        "rèn nóng", ("thép S45C", "thép SCM420", "thép SCr420", "nhôm 6061"),
        ("bánh răng hộp số", "trục cam", "tay biên", "cần số", "gác chân", "trục bánh xe"),
        ("độ cứng 58–62 HRC sau thấm các-bon", "dung sai h7", "dung sai ±0,02 mm"),
        ("xe máy", "ô tô", "máy nông nghiệp"),
        ("có {n} máy búa và máy ép rèn 300–1600 tấn, lò thấm các-bon liên tục.",
         "gia công CNC và mài hoàn thiện sau nhiệt luyện, báo cáo PPAP."),
        (5000, 200000), 0.25),
    _Cluster(
        "electrical", 0.7, ("Thiết bị Điện", "Điện Công nghiệp", "Khí cụ Điện"), "Electric",
        ("8536", "853690", "853650", "8538", "853890"), ("7419", "3926"),
        ("stamping", "injection_moulding"), ("electroplating", "assembly"),
        (("ISO9001", 0.75), ("UL", 0.3), ("ISO14001", 0.25)),
        "sản xuất", ("đồng C1100", "đồng thau", "đồng phosphor", "nhựa PA66 chống cháy V-0"),
        ("cầu đấu", "tiếp điểm", "ổ cắm", "công tắc", "đầu cos", "thanh cái đồng"),
        ("mạ bạc 3 µm", "mạ thiếc", "điện trở tiếp xúc ≤ 1 mΩ"),
        ("thiết bị điện", "đồ gia dụng", "tủ điện công nghiệp", "dụng cụ điện cầm tay"),
        ("có {n} máy dập tốc độ cao và {m} máy ép nhựa, lắp ráp bán tự động.",
         "thử tăng nhiệt và độ bền cơ học tại phòng thí nghiệm riêng."),
        (2000, 500000), 0.2),
    _Cluster(
        "extrusion", 0.5, ("Nhôm", "Nhôm Định hình"), "Aluminium",
        ("7604", "760429", "760421"), ("7616", "761699", "7610"),
        ("extrusion",), ("anodizing", "powder_coating", "cnc_machining"),
        (("ISO9001", 0.7), ("ISO14001", 0.3)),
        "đùn", ("nhôm 6063", "nhôm 6061", "nhôm 6005"),
        ("thanh tản nhiệt", "vỏ đèn LED", "thanh ray", "khung máy", "vỏ pin"),
        ("dung sai ±0,1 mm", "lớp anod dày 10–15 µm"),
        ("thiết bị điện tử", "thiết bị chiếu sáng", "đồ gia dụng", "xây dựng"),
        ("có {n} máy đùn 600–1800 tấn và dây chuyền anod hóa.",
         "cắt, đột và gia công CNC thanh nhôm theo bản vẽ."),
        (10000, 500000), 0.1),
    _Cluster(
        "compound", 0.6, ("Hóa chất", "Hạt Nhựa", "Vật liệu Polymer"), "Polymer",
        ("320649", "390210"), ("3206", "3902", "390110", "3907", "3824"),
        ("extrusion",), (),
        (("ISO9001", 0.7), ("ISO14001", 0.4), ("REACH", 0.3), ("ROHS", 0.3)),
        "phối trộn và đùn", ("nhựa nền PP", "nhựa nền ABS", "nhựa PA66 và sợi thủy tinh", "bột talc và CaCO3"),
        ("hạt màu masterbatch", "hạt độn", "hạt nhựa kỹ thuật compound", "hạt phụ gia chống cháy"),
        ("sai màu ΔE ≤ 1,0", "độ ẩm ≤ 0,1%"),
        ("nhựa gia dụng", "thiết bị điện tử", "xe máy", "bao bì"),
        ("có {n} dây chuyền đùn trục vít đôi và phòng pha màu.",
         "phiếu kiểm nghiệm từng lô, lưu mẫu 12 tháng."),
        (50000, 2000000), 0.3),
)

_VN_NAMES = ("Minh Phát", "Tân Tiến", "Phú Thành", "Hưng Thịnh", "Đại Phát", "Thành Công", "An Phú", "Việt Hưng",
             "Hòa Bình", "Nam Việt", "Phước Lộc", "Kim Long", "Thuận Phát", "Đông Á", "Hoàng Gia", "Vạn Lợi",
             "Trường Thịnh", "Quang Minh", "Nhật Tân", "Bảo Long", "Đức Trí", "Thiên Phúc", "Hải Nam", "Gia Khang",
             "Tiến Đạt", "An Khang", "Phúc Lâm", "Sao Việt", "Tân Á", "Hưng Phát", "Toàn Thắng", "Lộc Thành",
             "Phương Nam", "Sài Gòn Xanh", "Tín Nghĩa", "Hiệp Hưng", "Khải Hoàn", "Ngọc Minh", "Vĩnh Phát",
             "Thái Bình Dương")
_FOREIGN_NAMES = ("Arvio", "Belcora", "Calvex", "Dovrin", "Elmarc", "Ferox", "Galvion", "Hoshiro", "Istrel",
                  "Kanevo", "Lumora", "Norvik", "Pellian", "Quorin", "Rikuto", "Sorvan", "Tavira", "Ulvion",
                  "Velora", "Wakabe", "Yamori", "Zentro", "Kairon", "Montevo", "Saiwa", "Tokuran")
_COUNTRIES = ("Nhật Bản", "Hàn Quốc", "Đài Loan", "Trung Quốc", "Singapore", "Thái Lan")
# Where supporting-industry firms produce outside the city: the neighbouring provinces' industrial districts.
_PROVINCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Bình Dương", ("Thuận An", "Dĩ An", "Thủ Dầu Một", "Bến Cát", "Tân Uyên")),
    ("Đồng Nai", ("Biên Hòa", "Nhơn Trạch", "Long Thành", "Trảng Bom")),
    ("Long An", ("Bến Lức", "Đức Hòa", "Cần Giuộc")),
)
# Share of HCMC, Bình Dương, Đồng Nai, Long An among Vietnamese-owned and foreign-invested suppliers.
_REGION_SHARES = {"vn": (0.6, 0.2, 0.12, 0.08), "foreign": (0.35, 0.3, 0.25, 0.1)}
_CERT_FORMS = {
    "ISO9001": ("ISO 9001:2015", "ISO 9001"), "ISO14001": ("ISO 14001:2015", "ISO 14001"),
    "IATF16949": ("IATF 16949:2016", "IATF 16949"), "IPC610": ("IPC-A-610", "IPC-A-610 Class 2"),
    "UL": ("UL",), "FSC": ("FSC COC", "FSC"), "ISO22000": ("ISO 22000:2018", "FSSC 22000"), "ROHS": ("RoHS",),
    "REACH": ("REACH",),
}
_BODIES = ("Bureau Veritas", "QUACERT", "SGS", "TÜV SÜD", "TÜV Rheinland", "Intertek", "DNV", "BSI", "Vinacontrol",
           "LRQA")
_SPECIAL_BODIES = {"UL": ("UL Solutions",), "IPC610": ("IPC",), "ROHS": ("SGS", "Intertek"),
                   "REACH": ("SGS", "Intertek"), "FSC": ("SGS", "Control Union", "Bureau Veritas")}


@dataclass(frozen=True)
class _Supplier:
    id: str
    name: str
    district: str
    ownership: str
    cluster: str
    hs: tuple[str, ...]
    processes: tuple[str, ...]  # codes of the declared list (unlisted ones are only in ``written``)
    written: tuple[str, ...]  # the processes as the cell writes them
    certs: tuple[tuple[str, dt.date], ...]  # (code, expiry)
    cert_cell: str
    capacity: int | None
    description: str

    def row(self) -> tuple[str, ...]:
        return (self.id, self.name, self.district, self.ownership, ";".join(self.hs), ";".join(self.written),
                self.cert_cell, "" if self.capacity is None else str(self.capacity), self.description)


# --- buyers and needs ---------------------------------------------------------------------------------------

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

# What a sector imports (HS 2022 subheadings), for the purchases from abroad.
_IMPORTS: dict[str, tuple[str, ...]] = {
    "power_tools": ("850131", "853400", "761699", "392690", "850760", "854231", "848210"),
    "electronics": ("854231", "854232", "853400", "854141", "853224", "392690", "740811"),
    "motorcycle": ("871410", "848210", "720839", "760120", "854430", "390210"),
    "auto_parts": ("720839", "722830", "848210", "401699", "390210", "870899"),
    "appliances": ("850110", "854231", "390330", "720917", "740811", "841430"),
    "food_machinery": ("721934", "848180", "850152", "853710", "848210"),
    "food_processing": ("481910", "392321", "843890", "401699", "392350"),
}


@dataclass(frozen=True)
class _NeedTemplate:
    key: str
    cluster: str
    sectors: tuple[str, ...]
    title: str
    hs: tuple[str, ...]
    processes: tuple[str, ...]  # process codes
    certs: tuple[tuple[str, ...], ...]  # options (one drawn); the strictest certification last
    volume: tuple[float, float]  # units a month, drawn log-uniform
    description: str


def _t(key: str, cluster: str, sectors: str, title: str, hs: str, processes: str, certs: str,
       volume: tuple[float, float], description: str) -> _NeedTemplate:
    """A template from compact strings: lists ``;``-separated, certification options ``|``-separated."""
    return _NeedTemplate(key, cluster, tuple(sectors.split(";")), title, tuple(hs.split(";")),
                         tuple(processes.split(";")),
                         tuple(tuple(filter(None, o.split(";"))) for o in certs.split("|")), volume, description)


_NEEDS: tuple[_NeedTemplate, ...] = (
    _t("D1", "die_cast", "power_tools", "Vỏ hộp số nhôm đúc áp lực cho dụng cụ điện cầm tay", "761699",
       "die_casting;cnc_machining", "ISO9001", (20000, 50000),
       "Nhôm ADC12 đúc áp lực, gia công CNC lỗ lắp ổ bi dung sai ±0,02 mm; bắn bi làm sạch, kiểm tra độ xốp bằng "
       "X-quang, không chấp nhận rỗ khí trên mặt lắp ghép."),
    _t("D2", "die_cast", "electronics;appliances", "Tản nhiệt nhôm đúc cho bộ nguồn", "761699", "die_casting",
       "ISO9001|ISO9001;ISO14001", (10000, 60000),
       "Nhôm ADC12 đúc áp lực, độ phẳng mặt tiếp xúc 0,05 mm, dung sai ±0,1 mm; sơn tĩnh điện đen mờ, đạt RoHS."),
    _t("D3", "die_cast", "motorcycle", "Nắp máy bên trái xe máy nhôm đúc áp lực", "871410;761699",
       "die_casting;cnc_machining;powder_coating", "ISO9001|ISO9001;IATF16949", (15000, 40000),
       "Nhôm ADC12 đúc áp lực, gia công CNC mặt lắp ghép dung sai ±0,03 mm, sơn tĩnh điện màu bạc; thử kín khí "
       "100% trước khi giao."),
    _t("D4", "die_cast", "appliances;food_machinery", "Vỏ bơm nhôm đúc áp lực", "841391;761699",
       "die_casting;cnc_machining", "ISO9001|", (3000, 20000),
       "Vỏ bơm nước bằng nhôm A380 đúc áp lực, gia công CNC mặt bích và ren, dung sai ±0,05 mm; thử áp lực 6 bar, "
       "sơn epoxy chịu nước."),
    _t("C1", "cnc", "food_machinery", "Trục và bích inox 304 cho máy đóng gói", "848310;842290",
       "turning;milling;grinding", "ISO9001|", (300, 2000),
       "Trục phi 20–60 mm dài đến 800 mm và bích bằng inox 304/316L, dung sai lắp ghép h7, độ nhám Ra 0,8; bề mặt "
       "tiếp xúc thực phẩm đánh bóng."),
    _t("C2", "cnc", "auto_parts;motorcycle", "Trục bánh răng thép SCM420 thấm các-bon", "848340",
       "turning;heat_treatment;grinding", "ISO9001;IATF16949|ISO9001", (5000, 30000),
       "Thép SCM420 tiện CNC, phay răng, thấm các-bon đạt 58–62 HRC, mài cổ trục dung sai h6; báo cáo PPAP cấp 3."),
    _t("C3", "cnc", "electronics", "Đồ gá (jig) nhôm 6061 cho dây chuyền lắp ráp", "848790;846620",
       "cnc_machining;milling", "ISO9001|", (50, 400),
       "Nhôm 6061 và nhựa POM phay CNC, dung sai ±0,01 mm, anod hóa đen; khoảng 30 mã đồ gá theo bản vẽ, giao "
       "theo đợt."),
    _t("C4", "cnc", "power_tools;appliances", "Trục động cơ thép S45C tiện CNC", "848310", "turning;grinding",
       "ISO9001", (20000, 80000),
       "Thép S45C tiện CNC, cán khía đầu lắp rotor, tôi cao tần, mài cổ trục dung sai h6, độ đảo ≤ 0,01 mm."),
    _t("P1", "stamping", "electronics", "Tấm chắn nhiễu và giá đỡ thép SPCC mạ kẽm", "732690",
       "stamping;electroplating", "ISO9001|ISO9001;ISO14001", (50000, 300000),
       "Thép SPCC và SECC dày 0,5–1,2 mm dập liên hoàn, dung sai ±0,05 mm; mạ kẽm thụ động không crom hóa trị "
       "sáu, đạt RoHS."),
    _t("P2", "stamping", "appliances", "Đế và vỏ quạt thép dập sơn tĩnh điện", "841490;732690",
       "stamping;powder_coating", "ISO9001", (10000, 50000),
       "Thép SPCC dày 0,8 mm dập vuốt sâu, dung sai ±0,1 mm; sơn tĩnh điện trắng bóng, chịu phun muối 96 giờ."),
    _t("P3", "stamping", "motorcycle;auto_parts", "Bát bắt và giá đỡ khung xe thép dập hàn", "871410;870829;732690",
       "stamping;welding", "ISO9001;IATF16949|ISO9001", (20000, 80000),
       "Thép SAPH440 dày 2–3,2 mm dập và hàn robot MIG, dung sai ±0,1 mm; sơn điện di (ED) màu đen."),
    _t("P4", "stamping", "power_tools;appliances", "Lá thép silic dập liên hoàn cho stator và rotor",
       "850300;732690", "stamping", "ISO9001", (100000, 500000),
       "Thép silic 50CS470 dày 0,5 mm dập liên hoàn tốc độ cao, ba via ≤ 0,03 mm, xếp lá và hàn laser thành khối."),
    _t("P5", "stamping", "food_machinery;food_processing", "Vỏ tủ điện điều khiển thép sơn tĩnh điện",
       "853890;732690", "sheet_metal;laser_cutting;powder_coating", "", (100, 800),
       "Thép SPCC dày 1,5 mm cắt laser, chấn gấp và hàn, sơn tĩnh điện màu ghi RAL 7035; cửa có gioăng kín đạt "
       "IP54."),
    _t("F1", "fastener", "motorcycle;auto_parts", "Bu lông mặt bích cấp bền 8.8 mạ kẽm", "731815",
       "forging;heat_treatment;electroplating", "ISO9001;IATF16949|ISO9001", (200000, 1000000),
       "Thép SWCH35K dập nguội, cán ren 6g, nhiệt luyện đạt cấp bền 8.8; mạ kẽm trắng xanh thụ động Cr3+, phun muối "
       "72 giờ."),
    _t("F2", "fastener", "electronics;appliances;power_tools", "Vít tự ren mạ niken cho vỏ nhựa", "731814",
       "forging;electroplating", "ISO9001", (500000, 3000000),
       "Vít tự ren thép SWCH18A đầu Phillips, ren cho nhựa, thấm các-bon, mạ niken; dung sai theo JIS B 1122."),
    _t("F3", "fastener", "food_machinery", "Bu lông và đai ốc inox 304 cho khung máy", "731815;731816",
       "forging;turning", "|ISO9001", (20000, 100000),
       "Inox SUS304 dập nguội, ren hệ mét M6–M16, cấp bền A2-70; thụ động hóa bề mặt, không còn dầu trên bề mặt "
       "tiếp xúc thực phẩm."),
    _t("L1", "plastic", "power_tools", "Vỏ thân máy nhựa PA6-GF30 bọc TPE", "392690",
       "injection_moulding;mould_making", "ISO9001", (30000, 60000),
       "Vỏ thân hai nửa bằng PA6 gia cường 30% sợi thủy tinh, ép phủ lớp TPE chống trượt, dung sai ±0,05 mm; nhà "
       "cung cấp tự chế tạo khuôn 2 lòng, tuổi thọ khuôn tối thiểu 500.000 lần ép."),
    _t("L2", "plastic", "electronics", "Vỏ nhựa PC/ABS chống cháy cho thiết bị mạng", "392690",
       "injection_moulding", "ISO9001|ISO9001;ISO14001", (50000, 200000),
       "Nhựa PC/ABS chống cháy UL94 V-0, dung sai ±0,05 mm, bề mặt vân nhám theo mẫu, không chấp nhận đường hàn "
       "nhìn thấy."),
    _t("L3", "plastic", "motorcycle", "Ốp trang trí nhựa ABS sơn cho xe tay ga", "871410;392690",
       "injection_moulding;surface_treatment", "ISO9001|ISO9001;IATF16949", (10000, 40000),
       "Nhựa ABS ép phun, sơn hai lớp và phủ bóng UV theo màu mẫu, dung sai ±0,1 mm; kiểm tra độ bám sơn bằng thử "
       "cắt ô."),
    _t("L4", "plastic", "appliances", "Cánh quạt và lồng quạt nhựa PP", "841490;392690",
       "injection_moulding;mould_making", "ISO9001", (20000, 100000),
       "Nhựa PP và AS trong suốt ép phun, cân bằng động cánh quạt, dung sai ±0,1 mm; khuôn nhiều lòng do nhà cung "
       "cấp chế tạo."),
    _t("L5", "plastic", "food_processing", "Nắp chai nhựa PP cho nước giải khát", "392350", "injection_moulding",
       "ISO9001|", (1000000, 5000000),
       "Nắp vặn PP 28 mm có vòng niêm phong, nhựa đạt chuẩn tiếp xúc thực phẩm, dung sai ren ±0,05 mm; sản xuất "
       "trong phòng sạch."),
    _t("L6", "plastic", "food_machinery", "Bánh răng và bạc trượt nhựa POM", "392690;848340",
       "injection_moulding;cnc_machining", "ISO9001|", (2000, 10000),
       "Nhựa POM và PA66 ép phun hoặc tiện CNC từ phôi, dung sai ±0,02 mm, vật liệu đạt chuẩn tiếp xúc thực phẩm "
       "FDA."),
    _t("M1", "mould", "electronics;appliances;power_tools", "Khuôn ép nhựa nhiều lòng cho vỏ sản phẩm", "848071",
       "mould_making;cnc_machining", "ISO9001|", (2, 6),
       "Khuôn 2–4 lòng, thép NAK80 và SKD61, kênh dẫn nóng, dung sai lòng khuôn ±0,01 mm; tuổi thọ tối thiểu "
       "500.000 lần ép, bàn giao kèm bản vẽ 3D."),
    _t("M2", "mould", "motorcycle;auto_parts", "Khuôn dập liên hoàn cho giá đỡ thép", "820730",
       "mould_making;heat_treatment;grinding", "ISO9001|", (1, 4),
       "Khuôn dập liên hoàn 8–12 bước, chày cối thép SKD11 tôi 60–62 HRC, dung sai ±0,005 mm; thử khuôn tại xưởng "
       "trước khi giao."),
    _t("E1", "pcba", "power_tools", "Bo mạch điều khiển (PCBA) động cơ không chổi than", "853400", "pcb_assembly",
       "ISO9001;IPC610", (30000, 60000),
       "Lắp ráp SMT và THT bo điều khiển động cơ BLDC (MOSFET, vi điều khiển) trên mạch FR-4 4 lớp, hàn không chì "
       "SAC305, phủ conformal, kiểm tra AOI và test chức năng 100%."),
    _t("E2", "pcba", "electronics", "Bo nguồn PCBA cho thiết bị mạng", "853400;847330", "pcb_assembly",
       "ISO9001;IPC610|ISO9001;ISO14001", (20000, 100000),
       "Lắp ráp SMT linh kiện 0402 và IC QFN, hàn không chì đạt IPC-A-610 cấp 2, kiểm tra AOI, X-ray và ICT; linh "
       "kiện theo danh sách hãng được duyệt."),
    _t("E3", "pcba", "appliances", "Bo điều khiển cho nồi cơm điện và máy lọc nước", "853710;853400",
       "pcb_assembly", "ISO9001|ISO9001;UL", (10000, 60000),
       "Lắp ráp SMT và cắm tay bo điều khiển có vi điều khiển, relay và cảm biến nhiệt; phủ keo chống ẩm, test chức "
       "năng 100%."),
    _t("E4", "pcba", "electronics", "Bảng mạch in hai lớp FR-4 cho bo nguồn", "853400", "pcb_fabrication",
       "ISO9001", (10000, 50000),
       "Bảng mạch in 2 lớp nền FR-4 dày 1,6 mm, đồng 1 oz, phủ HASL không chì hoặc ENIG; vật liệu đạt UL94 V-0."),
    _t("E5", "pcba", "food_machinery", "Bo điều khiển nhiệt độ cho máy đóng gói", "853710;853400",
       "pcb_assembly;assembly", "", (300, 3000),
       "Bo điều khiển nhiệt độ dùng cặp nhiệt K và SSR, lắp ráp SMT và cắm tay, lắp vào hộp nhựa kèm màn hình LED; "
       "hiệu chuẩn từng bo."),
    _t("E6", "pcba", "auto_parts", "Bo mạch LED cho cụm đèn xe", "853400", "pcb_assembly",
       "ISO9001;IATF16949|ISO9001", (10000, 50000),
       "Lắp ráp SMT LED công suất trên mạch nền nhôm, kiểm tra quang thông và nhiệt độ mối hàn; truy xuất nguồn gốc "
       "theo lô."),
    _t("W1", "harness", "power_tools", "Bó dây nguồn cho bộ pin 18V", "854442", "wire_harness",
       "ISO9001|ISO9001;UL", (40000, 80000),
       "Dây đồng bọc silicone chịu nhiệt 14–18 AWG, đầu cos đồng thau mạ thiếc bấm máy, đo lực kéo đầu cos; test "
       "thông mạch 100%."),
    _t("W2", "harness", "motorcycle", "Bó dây điện chính cho xe tay ga", "854430", "wire_harness",
       "IATF16949|ISO9001", (5000, 20000),
       "Bó dây chính khoảng 60 mạch cho xe 125 cc, đầu nối do khách hàng chỉ định, quấn băng và ống gen chịu nhiệt; "
       "test thông mạch 100%, giao theo kanban hằng ngày."),
    _t("W3", "harness", "appliances", "Dây nguồn có phích cắm đúc liền", "854442",
       "wire_harness;injection_moulding", "ISO9001;UL|ISO9001", (20000, 100000),
       "Cáp đồng bọc PVC 2×0,75 mm², phích cắm đúc liền bằng nhựa PVC, thử cao áp 2.000 V và kiểm tra cực tính "
       "100%."),
    _t("W4", "harness", "electronics", "Cáp tín hiệu và dây nối bo mạch", "854442", "wire_harness", "ISO9001",
       (50000, 300000),
       "Dây đồng nhiều sợi 24–28 AWG, đầu nối bước 1,25–2,54 mm, bấm và kiểm tra chiều cao bấm; đạt RoHS."),
    _t("O1", "motor", "power_tools", "Động cơ DC không chổi than 18V cho máy khoan pin", "850131",
       "motor_winding;assembly", "ISO9001", (30000, 50000),
       "Động cơ BLDC 18V 400 W, stator thép silic 0,35 mm, dây đồng tráng men cấp nhiệt H, rotor nam châm NdFeB; "
       "cân bằng động G2.5, kiểm tra 100% đặc tính tải."),
    _t("O2", "motor", "power_tools", "Bộ stator quấn dây cho động cơ máy mài pin", "850300",
       "motor_winding;stamping", "ISO9001", (30000, 50000),
       "Lá thép silic 0,35 mm dập liên hoàn, quấn dây đồng tráng men cấp nhiệt H, khung cách điện PA66; kiểm tra "
       "100% điện trở cuộn dây và thử cao áp."),
    _t("O3", "motor", "appliances", "Động cơ quạt điện xoay chiều 220V", "850140", "motor_winding",
       "ISO9001|ISO9001;UL", (10000, 40000),
       "Động cơ tụ điện 220V 50 Hz 45–65 W, dây đồng tráng men cấp nhiệt B, bạc thau tự bôi trơn; thử độ ồn và "
       "nhiệt độ cuộn dây theo mẫu."),
    _t("O4", "motor", "food_machinery", "Động cơ giảm tốc nhỏ cho băng tải", "850140;848340",
       "motor_winding;assembly", "|ISO9001", (200, 1000),
       "Động cơ 3 pha 0,2–0,75 kW gắn hộp giảm tốc bánh răng, vỏ sơn trắng chịu rửa, cấp bảo vệ IP55; chạy thử có "
       "tải 100%."),
    _t("O5", "motor", "electronics", "Cuộn cảm và biến áp xung cho bộ nguồn", "850450;850431", "motor_winding",
       "ISO9001", (50000, 200000),
       "Lõi ferrite EE và EI, dây đồng tráng men 0,1–0,5 mm quấn máy tự động, tẩm vecni; đo điện cảm và thử cách "
       "điện 3.000 V 100%."),
    _t("R1", "rubber", "motorcycle", "Gioăng và nút chụp cao su EPDM cho xe máy", "401693", "rubber_moulding",
       "ISO9001", (50000, 200000),
       "Cao su EPDM độ cứng 60 Shore A, chịu nhiệt 120 °C, dung sai kích thước theo ISO 3302 cấp M2; khoảng 12 mã "
       "hàng."),
    _t("R2", "rubber", "food_machinery;food_processing", "Gioăng silicone thực phẩm cho bồn và đường ống", "401693",
       "rubber_moulding", "|ISO9001", (2000, 10000),
       "Cao su silicone trắng đạt chuẩn tiếp xúc thực phẩm FDA, chịu nhiệt −40 đến 200 °C, độ cứng 60±5 Shore A; "
       "kích thước theo DIN 11851."),
    _t("R3", "rubber", "auto_parts", "Đệm chống rung cao su NBR lõi thép", "401699", "rubber_moulding",
       "ISO9001;IATF16949|ISO9001", (10000, 50000),
       "Cao su NBR lưu hóa dính lõi thép SPHC, độ cứng 65 Shore A, thử bóc tách liên kết và độ bền mỏi; dung sai "
       "±0,2 mm."),
    _t("R4", "rubber", "appliances;power_tools", "Chân đế và đệm cao su chống trượt", "401699", "rubber_moulding",
       "", (50000, 200000),
       "Cao su thiên nhiên pha SBR màu đen, độ cứng 50 Shore A, không để lại vết trên sàn; dung sai ±0,3 mm."),
    _t("K1", "packaging", "power_tools", "Hộp carton in flexo cho bộ dụng cụ điện", "481910", "packaging_printing",
       "", (30000, 60000),
       "Thùng carton sóng BC 5 lớp in flexo 2 màu, bế và dán sẵn, kèm tấm lót định hình bằng giấy; chịu nén thùng "
       "tối thiểu 400 kgf."),
    _t("K2", "packaging", "food_processing", "Thùng carton 5 lớp in 4 màu cho thực phẩm", "481910",
       "packaging_printing", "ISO22000|ISO9001|", (200000, 1000000),
       "Carton sóng BC 5 lớp, in flexo 4 màu mực gốc nước, chống ẩm cho kho lạnh; giao hàng theo lịch sản xuất hằng "
       "tuần."),
    _t("K3", "packaging", "electronics;appliances", "Hộp giấy duplex in offset cho sản phẩm bán lẻ", "481920",
       "packaging_printing", "ISO9001|FSC", (50000, 300000),
       "Giấy duplex 350 gsm in offset 4 màu, cán màng mờ, ép nhũ logo; sai màu ΔE ≤ 2 so với bản in mẫu."),
    _t("K4", "packaging", "food_processing", "Túi giấy kraft và khay giấy định hình", "481940",
       "packaging_printing", "FSC|", (100000, 500000),
       "Giấy kraft 80–120 gsm đạt chuẩn tiếp xúc thực phẩm, in flexo 1–2 màu, có quai hoặc đáy vuông; giấy có chứng "
       "nhận FSC."),
    _t("T1", "finishing", "motorcycle;auto_parts", "Mạ kẽm và thụ động chi tiết thép", "732690;731815",
       "electroplating", "ISO9001", (100000, 500000),
       "Mạ kẽm trắng xanh và kẽm đen thụ động Cr3+, độ dày lớp mạ 8–12 µm, phun muối 96 giờ không gỉ trắng; không "
       "dùng crom hóa trị sáu."),
    _t("T2", "finishing", "power_tools;electronics", "Anod hóa chi tiết nhôm", "761699", "anodizing", "|ISO9001",
       (20000, 100000),
       "Anod hóa cứng và anod màu đen trên nhôm 6061 và ADC12, độ dày lớp 10–15 µm, không loang màu; che chắn ren "
       "và mặt lắp ghép."),
    _t("T3", "finishing", "appliances;food_machinery", "Sơn tĩnh điện khung và vỏ thép", "732690", "powder_coating",
       "", (2000, 20000),
       "Sơn tĩnh điện polyester ngoài trời, độ dày màng 60–80 µm, độ bám dính cấp 0 theo thử cắt ô, phun muối 240 "
       "giờ."),
    _t("S1", "stainless", "food_machinery", "Bồn khuấy inox 316L 500 lít", "841989;843890", "sheet_metal;welding",
       "|ISO9001", (5, 20),
       "Inox SUS316L dày 3 mm, hàn TIG có khí bảo vệ mặt trong, đánh bóng Ra ≤ 0,8 µm, thử kín bằng nước; kèm hồ "
       "sơ vật liệu."),
    _t("S2", "stainless", "food_processing;food_machinery", "Băng tải inox cho dây chuyền đóng gói",
       "843890;842290", "welding;sheet_metal;laser_cutting", "", (2, 10),
       "Khung inox SUS304 hộp 40×40, cắt laser và hàn TIG, băng tải PU thực phẩm; thiết kế tháo rửa nhanh, không có "
       "khe đọng."),
    _t("S3", "stainless", "food_machinery", "Khung máy và máng inox 304 cắt laser", "843890",
       "sheet_metal;laser_cutting;welding", "ISO9001|", (50, 300),
       "Inox SUS304 dày 1,5–4 mm cắt laser, chấn gấp, hàn TIG, đánh xước hairline; dung sai ±0,2 mm, 25 mã chi "
       "tiết."),
    _t("G1", "forging", "motorcycle", "Bánh răng hộp số xe máy thép SCr420", "848340;871410",
       "forging;cnc_machining;heat_treatment", "ISO9001;IATF16949", (20000, 80000),
       "Phôi rèn nóng thép SCr420, tiện phay CNC, thấm các-bon đạt 58–62 HRC bề mặt; cấp chính xác răng JIS 4, báo "
       "cáo PPAP."),
    _t("G2", "forging", "auto_parts", "Trục bánh xe rèn nóng thép S45C", "870850",
       "forging;turning;heat_treatment", "ISO9001;IATF16949|ISO9001", (5000, 20000),
       "Thép S45C rèn nóng, thường hóa, tiện CNC và tôi cao tần cổ trục, dung sai h7; siêu âm kiểm tra khuyết tật "
       "100%."),
    _t("G3", "forging", "motorcycle", "Gác chân và cần số nhôm rèn", "871410", "forging;cnc_machining", "ISO9001",
       (10000, 40000),
       "Nhôm 6061 rèn nóng, xử lý nhiệt T6, gia công CNC lỗ chốt dung sai ±0,05 mm, anod hóa đen."),
    _t("X1", "electrical", "appliances", "Tiếp điểm và cầu đấu đồng mạ bạc", "853890", "stamping;electroplating",
       "ISO9001|ISO9001;UL", (100000, 500000),
       "Đồng C1100 và đồng phosphor dập liên hoàn, mạ bạc 3 µm tại vùng tiếp điểm, điện trở tiếp xúc ≤ 1 mΩ."),
    _t("X2", "electrical", "food_machinery", "Cầu đấu dây và thanh cái đồng cho tủ điện", "853690",
       "stamping;injection_moulding;electroplating", "", (2000, 10000),
       "Thanh cái đồng C1100 mạ thiếc, cầu đấu vỏ PA66 chống cháy V-0, dòng định mức 32–125 A."),
    _t("X3", "electrical", "power_tools", "Công tắc bóp cò có khóa cho dụng cụ điện", "853650",
       "injection_moulding;assembly", "ISO9001;UL|ISO9001", (30000, 60000),
       "Công tắc bóp cò DC 18V 20 A có khóa và đảo chiều, vỏ PA66 chống cháy V-0, tiếp điểm bạc; tuổi thọ 100.000 "
       "lần đóng cắt."),
    _t("A1", "extrusion", "electronics;appliances", "Thanh nhôm tản nhiệt định hình 6063", "760429",
       "extrusion;anodizing", "ISO9001", (20000, 100000),
       "Nhôm 6063-T5 đùn định hình theo bản vẽ, cắt chiều dài dung sai ±0,1 mm, anod hóa đen 10–15 µm."),
    _t("A2", "extrusion", "power_tools", "Ống nhôm định hình cho thân đèn và dụng cụ", "760429",
       "extrusion;cnc_machining", "ISO9001|", (30000, 60000),
       "Nhôm 6061-T6 đùn định hình, gia công CNC rãnh và lỗ ren, dung sai ±0,05 mm; anod hóa màu theo mẫu."),
    _t("Q1", "compound", "appliances;electronics", "Hạt màu masterbatch cho nhựa ABS và PP", "320649", "extrusion",
       "ISO9001|ISO9001;ROHS", (5000, 30000),
       "Hạt màu nền ABS và PP theo mã màu của khách hàng, sai màu ΔE ≤ 1,0, độ ẩm ≤ 0,1%; đạt RoHS và REACH."),
    _t("Q2", "compound", "motorcycle;auto_parts", "Hạt nhựa PP compound độn talc", "390210", "extrusion", "ISO9001",
       (20000, 80000),
       "Hạt PP copolymer độn 20% talc, chỉ số chảy 15–25 g/10 phút, độ co ngót 0,9–1,1%; kèm phiếu kiểm nghiệm "
       "từng lô."),
)


@dataclass(frozen=True)
class _Need:
    id: str
    buyer: str
    template: _NeedTemplate
    processes: tuple[str, ...]  # as written
    certs: tuple[str, ...]  # codes
    volume: int
    description: str

    def row(self) -> tuple[str, ...]:
        t = self.template
        return (self.id, self.buyer, t.title, ";".join(t.hs), ";".join(self.processes),
                ";".join(_CERT_NAMES[c] for c in self.certs), str(self.volume), self.description)


_PROCESS = {e.code: e for e in PROCESSES}
_CERT_NAMES = {e.code: e.name_vi for e in CERTIFICATIONS}


# --- the generator ------------------------------------------------------------------------------------------

def generate_linkage(folder: Path, *, seed: int = 2020, n_suppliers: int = 300, n_buyers: int = 20) -> LinkageDemo:
    """Write the synthetic linkage demo (suppliers, buyers, needs, purchases, SYNTHETIC marker) into ``folder``.

    Args:
        folder: created if missing; the five files in it are replaced.
        seed: seed of the random generator; the same arguments give byte-identical files.
        n_suppliers: number of suppliers (S0001..), at least three per speciality cluster.
        n_buyers: number of buyers (B01..); ``B01`` is always the power-tool maker. Past the 20 catalogued
            buyers, the catalogue is repeated as second plants ("– Nhà máy 2").

    Returns:
        The paths written and the counts.

    Raises:
        ValueError: when ``n_suppliers`` or ``n_buyers`` is too small.
    """
    minimum = 3 * len(_CLUSTERS)
    if n_suppliers < minimum:
        raise ValueError(f"n_suppliers must be at least {minimum} (three per speciality cluster), not {n_suppliers}")
    if n_buyers < 1:
        raise ValueError(f"n_buyers must be at least 1, not {n_buyers}")
    rng = np.random.default_rng(seed)
    suppliers = _draw_suppliers(rng, n_suppliers)
    buyers = _buyer_list(n_buyers)
    needs = _draw_needs(rng, buyers, suppliers)
    purchases = _draw_purchases(rng, buyers, suppliers)

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.csv" for name in ("suppliers", "needs", "buyers", "purchases")}
    _write_csv(paths["suppliers"], SUPPLIER_COLUMNS, (s.row() for s in suppliers))
    _write_csv(paths["needs"], NEED_COLUMNS, (n.row() for n in needs))
    _write_csv(paths["buyers"], BUYER_COLUMNS, ((bid, b.name, b.district, b.ownership, b.sector, str(b.target))
                                                for bid, b in buyers))
    _write_csv(paths["purchases"], PURCHASE_COLUMNS, purchases)
    # The folder declares itself synthetic, as the demo city's does (issue 13).
    _atomic_write(out / SYNTHETIC_MARKER,
                  "Synthetic data (dữ liệu giả lập) made by vnindustry.demo.linkage.generate_linkage; the suppliers, "
                  "buyers, needs and purchases are invented, not reported by any enterprise.\n")
    return LinkageDemo(out, paths["suppliers"], paths["needs"], paths["purchases"], len(suppliers), len(needs),
                       paths["buyers"], len(buyers))


def _pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _subset(rng: np.random.Generator, items: Sequence[str], k: int) -> list[str]:
    """``k`` distinct items in their declared order (the draw picks which, the order stays readable)."""
    chosen = sorted(rng.choice(len(items), size=min(k, len(items)), replace=False).tolist())
    return [items[i] for i in chosen]


def _round2(x: float) -> int:
    """``x`` to two significant digits (volumes and capacities are stated roughly)."""
    if x < 10:
        return max(1, round(x))
    digits = len(str(int(x))) - 2
    return int(round(x / 10**digits) * 10**digits)


def _loguniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _strip_diacritics(text: str) -> str:
    """``text`` as typed on a keyboard without Vietnamese input: no tone or vowel marks, đ → d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def _district(rng: np.random.Generator, foreign: bool) -> str:
    shares = np.array(_REGION_SHARES["foreign" if foreign else "vn"])
    region = int(rng.choice(len(shares), p=shares / shares.sum()))
    if region == 0:
        w = np.array([w for _, w in DISTRICTS])
        return DISTRICTS[int(rng.choice(len(DISTRICTS), p=w / w.sum()))][0]
    province, districts = _PROVINCES[region - 1]
    return f"{_pick(rng, districts)}, {province}"


def _expiry(rng: np.random.Generator) -> dt.date:
    """A certificate's expiry in 2025-06..2028-12: about one in eight before REFERENCE_DAY."""
    if rng.random() < _EXPIRED_SHARE:
        lo, hi = dt.date(2025, 6, 1), REFERENCE_DAY - dt.timedelta(days=1)
    else:
        lo, hi = dt.date(2027, 1, 1), dt.date(2028, 12, 31)
    return lo + dt.timedelta(days=int(rng.integers((hi - lo).days + 1)))


def _expiry_text(rng: np.random.Generator, day: dt.date) -> tuple[str, dt.date]:
    """The expiry as firms write it, and the date the reader will take (a month means its last day)."""
    u = rng.random()
    if u < 0.5:
        return day.isoformat(), day
    if u < 0.7:
        return f"{day.day:02d}/{day.month:02d}/{day.year}", day
    last = (dt.date(day.year + day.month // 12, day.month % 12 + 1, 1) - dt.timedelta(days=1))
    return (f"{day.year}-{day.month:02d}" if u < 0.9 else f"{day.month:02d}/{day.year}"), last


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    k = 2
    while f"{name} {k}" in taken:
        k += 1
    return f"{name} {k}"


def _supplier_name(rng: np.random.Generator, c: _Cluster, ownership: str, taken: set[str]) -> str:
    for _ in range(50):
        trade, vn, foreign = _pick(rng, c.trades), _pick(rng, _VN_NAMES), _pick(rng, _FOREIGN_NAMES)
        if ownership == "fdi":
            name = f"Công ty TNHH {foreign} {c.trade_en} Việt Nam"
        elif ownership == "jv":
            name = f"Công ty TNHH Liên doanh {trade} {vn} {foreign}"
        else:
            u = rng.random()
            form = ("Công ty TNHH" if u < 0.6 else "Công ty Cổ phần" if u < 0.85
                    else "Công ty TNHH Sản xuất Thương mại" if u < 0.95 else "Cơ sở")
            name = f"{form} {trade} {vn}"
        if name not in taken:
            return name
    return _unique(name, taken)


def _description(rng: np.random.Generator, c: _Cluster, ownership: str) -> str:
    material, tol, customer = _pick(rng, c.materials), _pick(rng, c.tolerances), _pick(rng, c.customers)
    p = _subset(rng, c.products, 3)
    rng.shuffle(p)
    verb = c.verb[0].upper() + c.verb[1:]
    form = c.forms[int(rng.integers(len(c.forms)))]
    if form == 0:
        first = f"{verb} {material}: {p[0]}, {p[1]} và {p[2]} cho ngành {customer}, {tol}."
    elif form == 1:
        first = f"Chuyên {c.verb} {p[0]} và {p[1]} bằng {material} theo bản vẽ của khách hàng, {tol}."
    else:
        first = f"{p[0][0].upper() + p[0][1:]}, {p[1]} và {p[2]} bằng {material} cho ngành {customer}; {tol}."
    n = int(rng.integers(6, 26))
    fact = _pick(rng, c.facts).format(n=n, m=int(rng.integers(2, n // 2 + 2)))
    if ownership != "vn":
        how = "vốn" if ownership == "fdi" else "liên doanh với đối tác"
        text = f"{first} Doanh nghiệp {how} {_pick(rng, _COUNTRIES)}, {fact}"
    elif rng.random() < 0.65:
        text = f"{first} {fact[0].upper() + fact[1:]}"
    else:
        text = first
    return _strip_diacritics(text) if rng.random() < _STRIPPED_SHARE else text


def _draw_suppliers(rng: np.random.Generator, n: int) -> list[_Supplier]:
    counts = _allocate(n, [c.weight for c in _CLUSTERS], [3] * len(_CLUSTERS))
    # Ids are given after shuffling, so a cluster's members are spread over the list as in a real directory.
    order = [ci for ci, k in enumerate(counts) for _ in range(k)]
    order = [order[i] for i in rng.permutation(len(order))]
    taken: set[str] = set()
    out = []
    for idx, ci in enumerate(order):
        c = _CLUSTERS[ci]
        u = rng.random()
        ownership = "vn" if u >= c.foreign else "fdi" if u < 0.7 * c.foreign else "jv"
        name = _supplier_name(rng, c, ownership, taken)
        taken.add(name)
        district = _district(rng, ownership != "vn")
        hs = _subset(rng, c.hs_main, 1 + int(rng.random() < 0.4))
        hs += _subset(rng, c.hs_extra, int(rng.choice(3, p=[0.45, 0.4, 0.15])))
        core = _subset(rng, c.core, 1 + int(rng.integers(len(c.core))))
        processes = core + [p for p in c.optional if rng.random() < 0.4]
        style = rng.random()  # one way of writing per firm: Vietnamese, English, or Vietnamese without marks
        written = [(_PROCESS[p].name_en if style < 0.25 else _strip_diacritics(_PROCESS[p].name_vi) if style < 0.35
                    else _PROCESS[p].name_vi) for p in processes]
        if c.unlisted and rng.random() < 0.3:
            written.append(_pick(rng, c.unlisted))
        certs, cells = [], []
        for code, share in c.certs:
            # IATF 16949 is certified on top of ISO 9001 (its clauses extend it): never without it.
            if rng.random() < share and (code != "IATF16949" or any(held == "ISO9001" for held, _ in certs)):
                text, expires = _expiry_text(rng, _expiry(rng))
                body = _pick(rng, _SPECIAL_BODIES.get(code, _BODIES))
                cells.append(f"{_pick(rng, _CERT_FORMS[code])} ({body}, {text})")
                certs.append((code, expires))
        capacity = None if rng.random() < _NO_CAPACITY_SHARE else _round2(_loguniform(rng, *c.capacity))
        out.append(_Supplier(f"S{idx + 1:04d}", name, district, ownership, c.key, tuple(hs), tuple(processes),
                             tuple(written), tuple(certs), ";".join(cells), capacity,
                             _description(rng, c, ownership)))
    return out


def _buyer_list(n: int) -> list[tuple[str, _BuyerSpec]]:
    out = []
    for k in range(n):
        spec = _BUYERS[k % len(_BUYERS)]
        if k >= len(_BUYERS):
            spec = _BuyerSpec(f"{spec.name} – Nhà máy {k // len(_BUYERS) + 1}", spec.district, spec.ownership,
                              spec.sector, spec.target, spec.size, spec.needs)
        out.append((f"B{k + 1:02d}", spec))
    return out


def _plausible(need: _NeedTemplate, certs: Sequence[str], suppliers: Sequence[_Supplier]) -> int:
    """Suppliers that pass the matching's hard filters on REFERENCE_DAY and share an HS heading with ``need``."""
    headings = [h[:4] for h in need.hs]
    count = 0
    for s in suppliers:
        valid = [code for code, expires in s.certs if expires >= REFERENCE_DAY]
        if (all(c in valid for c in certs) and any(p in s.processes for p in need.processes)
                and any(h[:4] in headings for h in s.hs)):
            count += 1
    return count


def _need_counts(rng: np.random.Generator, fixed: Sequence[int]) -> list[int]:
    """How many needs each buyer posts: its fixed list, else 2–4, about three a buyer in all."""
    free = [i for i, f in enumerate(fixed) if not f]
    counts = [f if f else 3 for f in fixed]
    for _ in range(len(free)):  # spread 2..4 around the mean of three
        if len(free) < 2:
            break
        i, j = (free[int(x)] for x in rng.choice(len(free), size=2, replace=False))
        if counts[i] < 4 and counts[j] > 2:
            counts[i] += 1
            counts[j] -= 1
    # The buyers with a fixed list post more than three: take the surplus off the others, so ~3 a buyer.
    surplus = sum(counts) - 3 * len(fixed)
    for i in rng.permutation(free).tolist():
        if surplus <= 0:
            break
        if counts[i] > 2:
            counts[i] -= 1
            surplus -= 1
    return counts


def _draw_needs(rng: np.random.Generator, buyers: Sequence[tuple[str, _BuyerSpec]],
                suppliers: Sequence[_Supplier]) -> list[_Need]:
    by_key = {t.key: t for t in _NEEDS}
    counts = _need_counts(rng, [len(b.needs) for _, b in buyers])
    used: dict[str, int] = {}
    out: list[_Need] = []
    for (bid, b), count in zip(buyers, counts, strict=True):
        if b.needs:
            templates = [by_key[k] for k in b.needs]
        else:
            pool = [t for t in _NEEDS if b.sector in t.sectors]
            k = min(len(pool), count)
            # A part already asked for by another buyer is less likely again, so the needs stay varied.
            w = np.array([1.0 / (1 + 4 * used.get(t.key, 0)) for t in pool])
            templates = [pool[i] for i in rng.choice(len(pool), size=k, replace=False, p=w / w.sum())]
            for t in templates:
                used[t.key] = used.get(t.key, 0) + 1
        for t in templates:
            certs = list(t.certs[int(rng.integers(len(t.certs)))])
            # Too strict for the directory: drop the strictest requirement (written last) until enough suppliers
            # could take the part, as an officer would before a matchmaking event.
            while certs and _plausible(t, certs, suppliers) < MIN_PLAUSIBLE:
                certs.pop()
            english = rng.random() < 0.2
            processes = tuple(_PROCESS[p].name_en if english else _PROCESS[p].name_vi for p in t.processes)
            volume = _round2(_loguniform(rng, *t.volume))
            description = _strip_diacritics(t.description) if rng.random() < _STRIPPED_NEED_SHARE else t.description
            out.append(_Need(f"N{len(out) + 1:03d}", bid, t, processes, tuple(certs), volume, description))
    return out


def _month_factors() -> np.ndarray:
    """Tết in the purchases: the month holding the Lunar New Year buys less, the month before stocks up."""
    f = np.ones(len(PERIODS))
    for i, period in enumerate(PERIODS):
        tet = TET_DATES[int(period[:4])]
        if f"{tet.year}-{tet.month:02d}" == period:
            f[i] *= 0.8
            if i > 0:
                f[i - 1] *= 1.06
    return f


def _draw_purchases(rng: np.random.Generator, buyers: Sequence[tuple[str, _BuyerSpec]],
                    suppliers: Sequence[_Supplier]) -> list[tuple[str, ...]]:
    n_t = len(PERIODS)
    t = np.arange(n_t)
    season = _month_factors()
    importers = [f"IMP-{k:02d}" for k in range(1, _N_IMPORTERS + 1)]
    sector_clusters = {}
    for tmpl in _NEEDS:
        for sector in tmpl.sectors:
            sector_clusters.setdefault(sector, []).append(tmpl.cluster)
    rows: list[tuple[str, ...]] = []
    for bid, b in buyers:
        clusters = sector_clusters[b.sector]
        pool = [s for s in suppliers if s.cluster in clusters]
        vn_pool = [s for s in pool if s.ownership == "vn"]
        fo_pool = [s for s in pool if s.ownership != "vn"]
        vn_sup = [vn_pool[i] for i in rng.choice(len(vn_pool), size=min(len(vn_pool), int(rng.integers(4, 9))),
                                                 replace=False)]
        fo_sup = [fo_pool[i] for i in rng.choice(len(fo_pool), size=min(len(fo_pool), int(rng.integers(2, 5))),
                                                 replace=False)]
        imp = [importers[i] for i in rng.choice(len(importers), size=int(rng.integers(3, 8)), replace=False)]
        # Located-in-VN share: from a start to an end value below the target; the vn-owned part of it drifts up.
        target = b.target / 100
        if bid == "B01":
            local0, local1 = 0.35, 0.50  # half-way to its 70 % target by the end of 2025
        else:
            local0 = target * rng.uniform(0.6, 0.9)
            local1 = min(target - 0.01, local0 + rng.uniform(0.03, 0.12))
        own0 = rng.uniform(0.7, 0.9) if b.ownership == "vn" else rng.uniform(0.4, 0.6) if b.ownership == "jv" \
            else rng.uniform(0.25, 0.5)
        own1 = min(0.95, own0 + rng.uniform(0.0, 0.1))
        local = local0 + (local1 - local0) * t / (n_t - 1)
        own = own0 + (own1 - own0) * t / (n_t - 1)
        total = b.size * 1e9 * (1 + rng.normal(0.006, 0.003)) ** t * season
        imp_lines = [(i, _pick(rng, _IMPORTS[b.sector])) for i in imp]
        fo_lines = [(s.id, _pick(rng, s.hs)) for s in fo_sup]
        vn_lines = [(s.id, _pick(rng, s.hs)) for s in vn_sup]
        fo_value, vn_value = total * local * (1 - own), total * local * own
        # A directory too small to hold one kind of domestic supplier: its share goes to the other kind.
        if not fo_lines:
            fo_value, vn_value = np.zeros_like(total), vn_value + fo_value
        if not vn_lines:
            fo_value, vn_value = fo_value + vn_value, np.zeros_like(total)
        groups = (("imp", imp_lines, total - fo_value - vn_value, "0", "0"), ("fo", fo_lines, fo_value, "1", "0"),
                  ("vn", vn_lines, vn_value, "1", "1"))
        for kind, lines, value, located, vn_owned in groups:
            if not lines:
                continue
            weight = rng.lognormal(0.0, 0.8, len(lines))
            # Some domestic suppliers start delivering during the span (new localisation); the first never does.
            start = np.where(rng.random(len(lines)) < (0.0 if kind == "imp" else 0.3), rng.integers(6, 22, len(lines)),
                             0)
            start[0] = 0
            active = t[None, :] >= start[:, None]
            w = weight[:, None] * active
            noise = rng.lognormal(0.0, 0.1, (len(lines), n_t))
            values = value[None, :] * w / w.sum(axis=0, keepdims=True) * noise
            for li, (sid, hs) in enumerate(lines):
                for ti in np.flatnonzero(active[li]):
                    vnd = round(float(values[li, ti]) / 1000.0) * 1000
                    rows.append((bid, PERIODS[ti], sid, hs, str(vnd), located, vn_owned))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return rows
