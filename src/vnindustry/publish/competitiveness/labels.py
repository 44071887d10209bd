"""Names in the competitiveness annex and pages: product groups (HS), classes, methods, weight origins,
markets, scored products, criteria, a run's title.

Part of :mod:`vnindustry.publish.competitiveness`.
"""

from __future__ import annotations

from vnindustry import names
from vnindustry.analysis.key_products import criterion
from vnindustry.analysis.trade import MARKET_GROUPS

# Names of the product groups (HS chapters, and the headings the crude-oil switch needs). Vietnamese names
# follow GSO's commodity wording where a chapter matches one; any other code is shown as "HS <code>".
HS_NAMES: dict[str, tuple[str, str]] = {
    "01": ("Động vật sống", "Live animals"),
    "02": ("Thịt và phụ phẩm dạng thịt", "Meat and edible offal"),
    "03": ("Thủy sản", "Fish and seafood"),
    "04": ("Sữa và sản phẩm từ sữa, trứng, mật ong", "Dairy produce, eggs, honey"),
    "06": ("Cây sống, hoa", "Live plants and flowers"),
    "07": ("Rau", "Vegetables"),
    "08": ("Quả và hạt ăn được (hạt điều)", "Edible fruit and nuts (cashews)"),
    "09": ("Cà phê, chè, hạt tiêu và gia vị", "Coffee, tea, pepper and spices"),
    "10": ("Ngũ cốc (gạo)", "Cereals (rice)"),
    "11": ("Sản phẩm xay xát, tinh bột", "Milling products, starches"),
    "15": ("Dầu mỡ động thực vật", "Animal and vegetable fats and oils"),
    "16": ("Chế phẩm từ thịt, thủy sản", "Preparations of meat and fish"),
    "17": ("Đường và các loại kẹo đường", "Sugars and sugar confectionery"),
    "19": ("Sản phẩm từ ngũ cốc, bột", "Preparations of cereals and flour"),
    "20": ("Chế phẩm từ rau, quả, hạt", "Preparations of vegetables, fruit and nuts"),
    "21": ("Các chế phẩm ăn được khác", "Miscellaneous edible preparations"),
    "22": ("Đồ uống", "Beverages"),
    "23": ("Thức ăn gia súc và nguyên liệu", "Animal feed and food residues"),
    "24": ("Thuốc lá", "Tobacco"),
    "25": ("Muối, lưu huỳnh, đất và đá, xi măng", "Salt, sulphur, earths and stone, cement"),
    "26": ("Quặng, xỉ và tro", "Ores, slag and ash"),
    "27": ("Nhiên liệu khoáng, dầu khoáng", "Mineral fuels and oils"),
    "2709": ("Dầu thô", "Crude oil"),
    "2710": ("Xăng dầu các loại", "Petroleum products"),
    "2711": ("Khí đốt", "Petroleum gases"),
    "28": ("Hóa chất vô cơ", "Inorganic chemicals"),
    "29": ("Hóa chất hữu cơ", "Organic chemicals"),
    "30": ("Dược phẩm", "Pharmaceutical products"),
    "31": ("Phân bón", "Fertilisers"),
    "32": ("Chất màu, sơn, mực", "Dyes, paints and inks"),
    "33": ("Tinh dầu, mỹ phẩm", "Essential oils and cosmetics"),
    "34": ("Xà phòng, chất tẩy rửa", "Soap and washing preparations"),
    "38": ("Sản phẩm hóa chất khác", "Miscellaneous chemical products"),
    "39": ("Chất dẻo và sản phẩm bằng chất dẻo", "Plastics and articles thereof"),
    "40": ("Cao su và sản phẩm bằng cao su", "Rubber and articles thereof"),
    "41": ("Da sống và da thuộc", "Raw hides, skins and leather"),
    "42": ("Túi xách, ví, va li, mũ, ô dù", "Bags, handbags and travel goods"),
    "44": ("Gỗ và sản phẩm gỗ", "Wood and articles of wood"),
    "46": ("Sản phẩm mây, tre, cói và thảm", "Rattan, bamboo and plaiting products"),
    "47": ("Bột giấy", "Pulp of wood"),
    "48": ("Giấy và sản phẩm từ giấy", "Paper and paperboard"),
    "49": ("Sách báo, ấn phẩm", "Printed matter"),
    "52": ("Bông", "Cotton"),
    "54": ("Sợi filament nhân tạo", "Man-made filaments"),
    "55": ("Xơ, sợi dệt các loại", "Man-made staple fibres and yarn"),
    "56": ("Mền xơ, dây và chão", "Wadding, twine and cordage"),
    "60": ("Vải dệt kim", "Knitted fabrics"),
    "61": ("Hàng may mặc dệt kim", "Knitted apparel"),
    "62": ("Hàng may mặc không dệt kim", "Woven apparel"),
    "63": ("Hàng dệt khác", "Other made-up textile articles"),
    "64": ("Giày dép các loại", "Footwear"),
    "65": ("Mũ và các vật đội đầu", "Headgear"),
    "68": ("Sản phẩm bằng đá, thạch cao, xi măng", "Articles of stone, plaster and cement"),
    "69": ("Sản phẩm gốm, sứ", "Ceramic products"),
    "70": ("Thủy tinh và sản phẩm thủy tinh", "Glass and glassware"),
    "71": ("Đá quý, kim loại quý và sản phẩm", "Precious stones, metals and jewellery"),
    "72": ("Sắt thép", "Iron and steel"),
    "73": ("Sản phẩm từ sắt thép", "Articles of iron or steel"),
    "74": ("Đồng và sản phẩm bằng đồng", "Copper and articles thereof"),
    "76": ("Nhôm và sản phẩm bằng nhôm", "Aluminium and articles thereof"),
    "82": ("Dụng cụ, dao kéo bằng kim loại", "Tools and cutlery of base metal"),
    "83": ("Sản phẩm khác bằng kim loại cơ bản", "Miscellaneous articles of base metal"),
    "84": ("Máy móc, thiết bị, dụng cụ cơ khí", "Machinery and mechanical appliances"),
    "85": ("Máy móc, thiết bị điện, điện tử và linh kiện", "Electrical machinery and electronics"),
    "86": ("Đầu máy, toa xe và phụ tùng", "Railway locomotives and rolling stock"),
    "87": ("Phương tiện vận tải và phụ tùng", "Vehicles and parts"),
    "88": ("Tàu bay và phụ tùng", "Aircraft and parts"),
    "89": ("Tàu thuyền và các kết cấu nổi", "Ships and boats"),
    "90": ("Dụng cụ quang học, y tế, đo lường", "Optical, medical and measuring instruments"),
    "91": ("Đồng hồ và bộ phận", "Clocks and watches"),
    "94": ("Gỗ nội thất, giường, tủ, bàn, ghế, đèn", "Furniture, bedding and lamps"),
    "95": ("Đồ chơi, dụng cụ thể thao", "Toys, games and sports equipment"),
    "96": ("Sản phẩm chế tạo khác", "Miscellaneous manufactured articles"),
}

CLASS_NAMES: dict[str, tuple[str, str]] = {
    "key": ("chủ lực", "key"),
    "potential": ("tiềm năng", "potential"),
    "other": ("khác", "other"),
}
METHOD_NAMES: dict[str, tuple[str, str]] = {
    "topsis": ("TOPSIS", "TOPSIS"),
    "wsm": ("tổng có trọng số (WSM)", "weighted sum (WSM)"),
}
WEIGHT_ORIGINS: dict[str, tuple[str, str]] = {
    "ahp": ("so sánh cặp (AHP)", "pairwise comparison (AHP)"),
    "direct": ("nhập trực tiếp", "entered directly"),
    "default": ("mặc định", "the defaults"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def product_name(code: str, lang: str = "vi") -> str:
    """The product group's name ("Giày dép các loại" / "Footwear"); "HS <code>" when it is not listed."""
    pair = HS_NAMES.get(str(code))
    return pick(pair, lang) if pair else f"HS {code}"


def class_name(klass: str, lang: str = "vi") -> str:
    """"chủ lực" / "tiềm năng" / "khác" (vi); key / potential / other (en)."""
    pair = CLASS_NAMES.get(klass)
    return pick(pair, lang) if pair else klass


def market_name(market: str, lang: str) -> str:
    """"thị trường EU" / "the EU market"; a country by its name ("thị trường Áo" / "the Austria market")."""
    name = market if market in MARKET_GROUPS else names.market_name(market, lang)
    return f"thị trường {name}" if lang == "vi" else f"the {name} market"


def scored_name(name: str, lang: str) -> str:
    """A scored product's name in ``lang`` (English from the names tables; the Vietnamese if it has none)."""
    return (names.english_name(name) or name) if lang == "en" else name


_VIETNAMESE_LETTERS = frozenset("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def run_title(title: str, lang: str) -> str:
    """A run's title as written, or nothing in English when it is written in Vietnamese (a title is the
    user's own text: it is not translated, and an English page does not print Vietnamese)."""
    if lang == "en" and _VIETNAMESE_LETTERS & set(title.casefold()):
        return ""
    return title


def criterion_label(code: str, lang: str, *, unit: bool = True) -> str:
    """"Giá trị sản xuất (tỷ đồng)" / "Production value (VND billion)"; the code when it is not declared."""
    try:
        c = criterion(code)
    except ValueError:
        return code
    name, u = (c.name_vi, c.unit_vi) if lang == "vi" else (c.name_en, c.unit_en)
    if not unit or not u:
        return name
    return f"{name}, {u}" if name.endswith(")") else f"{name} ({u})"
