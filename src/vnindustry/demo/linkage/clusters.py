"""The supplier speciality clusters of the linkage demo (SYNTHETIC): what each cluster's members make, how,
with which certificates, and how they describe it (see the package docstring, "Suppliers")."""

from __future__ import annotations

from dataclasses import dataclass


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
