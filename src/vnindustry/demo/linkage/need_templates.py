"""The templates of the linkage demo's sourcing needs (SYNTHETIC): per part, its supplier cluster, the
sectors that ask for it, HS codes, processes, certification options, volume and description."""

from __future__ import annotations

from dataclasses import dataclass


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
