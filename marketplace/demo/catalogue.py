"""The demo service catalogue: nine categories, 76 items, the booking questions of each category, and the
2026 market survey the guide prices are published from.

Company items carry a market price; their guide price is 80–85% of it, rounded down to the fen, so
it is always within the "at least 15% below market" rule. Centre, unit and volunteer items are free
and have no guide price.
"""
from __future__ import annotations

import datetime
import random
from decimal import ROUND_DOWN, Decimal

from marketplace.demo import SEED

FEN = Decimal("0.01")
MARKET_SOURCE = "邵武市发改局2026年市场价格调查"
MARKET_SURVEYED_ON = datetime.date(2026, 10, 15)
CENTRE = "民生110服务中心"

# Option groups for "option" questions: code → (name, options).
OPTION_GROUPS = {
    "appliance_type": ("家电类型", ["空调", "冰箱", "洗衣机", "热水器", "电视"]),
    "repair_part": ("维修部位", ["门窗", "墙面", "地面", "屋顶", "家具"]),
    "fault_part": ("故障部位", ["水管", "水龙头", "马桶", "电路", "开关插座", "灯具"]),
    "self_care": ("自理能力", ["能自理", "半自理", "不能自理"]),
    "vehicle": ("车型", ["小面包车", "厢式货车", "4.2米货车"]),
}

# Booking questions: code → (question, Oscar attribute type, option group code or None).
QUESTIONS = {
    "area_m2": ("面积(㎡)", "integer", None),
    "floor": ("楼层", "integer", None),
    "has_lift": ("是否有电梯", "boolean", None),
    "note": ("备注", "text", None),
    "appliance_type": ("家电类型", "option", "appliance_type"),
    "brand": ("品牌型号", "text", None),
    "fault": ("故障描述", "text", None),
    "repair_part": ("维修部位", "option", "repair_part"),
    "fault_part": ("故障部位", "option", "fault_part"),
    "elder_age": ("老人年龄", "integer", None),
    "self_care": ("自理能力", "option", "self_care"),
    "vehicle": ("车型", "option", "vehicle"),
    "distance_km": ("搬运距离(公里)", "integer", None),
    "topic": ("问题类别", "text", None),
    "needs_visit": ("是否需要上门", "boolean", None),
    "people": ("需要人数", "integer", None),
}

# code (also Oscar category code and slug), name, who serves it, description, booking questions.
CATEGORIES = [
    {"code": "housekeeping", "name": "家政服务", "served_by": "company",
     "description": "保洁、清洗、钟点工等上门家政服务，按政府指导价收费。",
     "questions": ["area_m2", "floor", "has_lift", "note"]},
    {"code": "daily-repairs", "name": "日常维修", "served_by": "company",
     "description": "门窗、锁具、墙面、屋顶、家具等居家日常维修。",
     "questions": ["repair_part", "floor", "has_lift", "note"]},
    {"code": "appliance-repair", "name": "家电维修", "served_by": "company",
     "description": "空调、冰箱、洗衣机、热水器、电视等家用电器上门维修。",
     "questions": ["appliance_type", "brand", "fault", "note"]},
    {"code": "plumbing-electrical", "name": "水电维修", "served_by": "company",
     "description": "水管、马桶、下水道疏通，电路、开关插座、灯具维修安装。",
     "questions": ["fault_part", "floor", "has_lift", "note"]},
    {"code": "elderly-care", "name": "养老照护", "served_by": "company",
     "description": "居家陪护、助浴、助餐、陪同就医等居家养老服务。",
     "questions": ["elder_age", "self_care", "note"]},
    {"code": "moving", "name": "搬家服务", "served_by": "company",
     "description": "居民搬家、大件搬运、家具拆装。",
     "questions": ["vehicle", "floor", "has_lift", "distance_km", "note"]},
    {"code": "consultation", "name": "咨询答疑", "served_by": "centre",
     "description": "政策、办事和便民信息咨询，由民生110服务中心当场答复（即办），不收费。",
     "questions": ["topic", "note"]},
    {"code": "legal-counselling", "name": "法律服务与心理咨询", "served_by": "unit",
     "description": "法律咨询、法律援助、人民调解和心理咨询，转办联动单位办理，不收费。",
     "questions": ["topic", "needs_visit", "note"]},
    {"code": "volunteer", "name": "志愿服务", "served_by": "volunteer",
     "description": "志愿服务队上门开展的公益服务，不收费，记录志愿服务时长。",
     "questions": ["people", "note"]},
]
CATEGORY_BY_CODE = {category["code"]: category for category in CATEGORIES}

# upc, category code, title, description, unit, market price (company items) or department (unit items).
_ITEMS = [
    ("HK-001", "housekeeping", "日常保洁", "居室地面、台面、厨卫日常清洁。", "hour", "50.00"),
    ("HK-002", "housekeeping", "深度保洁", "全屋深度清洁，含厨房重油污和卫生间水垢处理。", "m2", "8.00"),
    ("HK-003", "housekeeping", "开荒保洁", "新房装修后首次全面清洁。", "m2", "10.00"),
    ("HK-004", "housekeeping", "擦玻璃", "门窗玻璃内外擦洗（高层外侧除外）。", "m2", "6.00"),
    ("HK-005", "housekeeping", "油烟机清洗", "拆洗油烟机内外及风轮。", "piece", "150.00"),
    ("HK-006", "housekeeping", "空调清洗", "挂机或柜机内机拆洗消毒。", "piece", "120.00"),
    ("HK-007", "housekeeping", "洗衣机清洗", "拆洗滚筒或波轮洗衣机内桶。", "piece", "130.00"),
    ("HK-008", "housekeeping", "沙发清洗", "布艺或皮质沙发清洁护理，按座计。", "piece", "60.00"),
    ("HK-009", "housekeeping", "地毯清洗", "地毯吸尘、清洗、除螨。", "m2", "15.00"),
    ("HK-010", "housekeeping", "钟点工", "按小时提供做饭、洗衣、整理等家务。", "hour", "45.00"),
    ("HK-011", "housekeeping", "育婴护理", "婴幼儿日常照料、喂养和洗护。", "hour", "60.00"),
    ("HK-012", "housekeeping", "做饭保姆", "上门做饭，可按家庭口味定制。", "hour", "45.00"),
    ("DR-001", "daily-repairs", "门锁更换", "更换入户门或室内门锁芯、锁体（锁具另计）。", "piece", "150.00"),
    ("DR-002", "daily-repairs", "开锁服务", "核验身份后上门开锁。", "visit", "80.00"),
    ("DR-003", "daily-repairs", "门窗维修", "门窗变形、关不严、合页脱落等维修。", "visit", "100.00"),
    ("DR-004", "daily-repairs", "纱窗更换", "更换纱网或整扇纱窗。", "m2", "60.00"),
    ("DR-005", "daily-repairs", "墙面粉刷", "墙面铲除、批灰、刷乳胶漆。", "m2", "25.00"),
    ("DR-006", "daily-repairs", "瓷砖修补", "空鼓、破损瓷砖更换修补。", "m2", "80.00"),
    ("DR-007", "daily-repairs", "屋顶补漏", "瓦屋面或平屋面渗漏查找与修补。", "m2", "120.00"),
    ("DR-008", "daily-repairs", "家具维修", "桌椅、柜门、床架等家具维修加固。", "visit", "100.00"),
    ("DR-009", "daily-repairs", "晾衣架安装", "手摇或电动晾衣架安装。", "piece", "120.00"),
    ("DR-010", "daily-repairs", "窗帘杆安装", "窗帘杆、窗帘轨道安装。", "piece", "60.00"),
    ("AR-001", "appliance-repair", "空调维修", "空调不制冷、漏水、异响等故障检修。", "visit", "120.00"),
    ("AR-002", "appliance-repair", "空调加氟", "检测压力并补充制冷剂。", "visit", "200.00"),
    ("AR-003", "appliance-repair", "空调移机", "拆机、移位、重新安装（管材另计）。", "piece", "300.00"),
    ("AR-004", "appliance-repair", "冰箱维修", "冰箱不制冷、结霜、异响等故障检修。", "visit", "120.00"),
    ("AR-005", "appliance-repair", "洗衣机维修", "洗衣机不脱水、不进水、漏水等故障检修。", "visit", "100.00"),
    ("AR-006", "appliance-repair", "热水器维修", "燃气或电热水器不点火、不加热等故障检修。", "visit", "100.00"),
    ("AR-007", "appliance-repair", "电视维修", "电视无图像、无声音、不开机等故障检修。", "visit", "100.00"),
    ("AR-008", "appliance-repair", "燃气灶维修", "燃气灶打不着火、火力小等故障检修。", "visit", "80.00"),
    ("AR-009", "appliance-repair", "微波炉维修", "微波炉不加热、不转盘等故障检修。", "visit", "60.00"),
    ("AR-010", "appliance-repair", "家电上门检测", "上门检测家电故障并报价，维修另计。", "visit", "50.00"),
    ("PE-001", "plumbing-electrical", "水管维修", "水管漏水、爆管维修更换。", "visit", "80.00"),
    ("PE-002", "plumbing-electrical", "水龙头更换", "更换水龙头或角阀（配件另计）。", "piece", "50.00"),
    ("PE-003", "plumbing-electrical", "马桶疏通", "马桶堵塞疏通。", "visit", "100.00"),
    ("PE-004", "plumbing-electrical", "下水道疏通", "厨房、卫生间、地漏下水管疏通。", "visit", "120.00"),
    ("PE-005", "plumbing-electrical", "马桶维修", "水箱配件、漏水、冲水无力等维修。", "visit", "80.00"),
    ("PE-006", "plumbing-electrical", "电路检修", "线路老化、短路、断电检修。", "visit", "100.00"),
    ("PE-007", "plumbing-electrical", "开关插座更换", "更换开关、插座面板。", "piece", "30.00"),
    ("PE-008", "plumbing-electrical", "灯具安装", "吸顶灯、吊灯、筒灯安装。", "piece", "40.00"),
    ("PE-009", "plumbing-electrical", "漏电跳闸排查", "排查漏电、频繁跳闸原因并处理。", "visit", "120.00"),
    ("PE-010", "plumbing-electrical", "防水补漏", "卫生间、阳台防水层修补。", "m2", "90.00"),
    ("EC-001", "elderly-care", "居家陪护", "上门陪伴照料老人起居。", "hour", "40.00"),
    ("EC-002", "elderly-care", "助浴服务", "为行动不便老人上门助浴。", "visit", "80.00"),
    ("EC-003", "elderly-care", "助餐送餐", "为老人配送营养午餐或晚餐。", "visit", "15.00"),
    ("EC-004", "elderly-care", "康复理疗", "上门康复训练和理疗。", "hour", "100.00"),
    ("EC-005", "elderly-care", "陪同就医", "陪同老人挂号、就诊、取药。", "hour", "50.00"),
    ("EC-006", "elderly-care", "上门理发", "为老人上门理发修面。", "visit", "30.00"),
    ("EC-007", "elderly-care", "夜间照护", "夜间值守照护失能、半失能老人。", "hour", "45.00"),
    ("EC-008", "elderly-care", "失能老人护理", "翻身、喂食、清洁等专业护理。", "hour", "60.00"),
    ("MV-001", "moving", "居民搬家（小面包车）", "小面包车一车次，含两名搬运工，市区内。", "visit", "300.00"),
    ("MV-002", "moving", "居民搬家（厢式货车）", "厢式货车一车次，含三名搬运工，市区内。", "visit", "500.00"),
    ("MV-003", "moving", "大件搬运", "冰箱、衣柜、床等单件大件搬运。", "piece", "80.00"),
    ("MV-004", "moving", "钢琴搬运", "立式钢琴搬运，含防护包装。", "piece", "500.00"),
    ("MV-005", "moving", "无电梯上下楼搬运", "无电梯楼层搬运，按每层每件计。", "piece", "20.00"),
    ("MV-006", "moving", "家具拆装", "衣柜、床等家具拆卸与重新安装。", "piece", "100.00"),
    ("MV-007", "moving", "搬家打包", "物品分类打包、标记，按小时计。", "hour", "50.00"),
    ("QA-001", "consultation", "政策咨询", "惠民政策、补贴政策解答。", "visit", CENTRE),
    ("QA-002", "consultation", "办事指南", "各类证照、审批办理流程和所需材料。", "visit", CENTRE),
    ("QA-003", "consultation", "便民信息查询", "公交、医院、药店、营业网点等便民信息。", "visit", CENTRE),
    ("QA-004", "consultation", "停水停电信息", "计划停水停电、燃气检修等通知查询。", "visit", CENTRE),
    ("QA-005", "consultation", "社保医保咨询", "社保缴费、医保报销政策解答。", "visit", CENTRE),
    ("QA-006", "consultation", "就业信息咨询", "招聘信息、职业培训、创业扶持政策解答。", "visit", CENTRE),
    ("LC-001", "legal-counselling", "法律咨询", "婚姻家庭、邻里纠纷、合同等法律问题咨询。", "visit", "市司法局"),
    ("LC-002", "legal-counselling", "法律援助申请", "经济困难群众申请法律援助。", "visit", "市司法局"),
    ("LC-003", "legal-counselling", "人民调解", "邻里、家庭等民间纠纷调解。", "visit", "市司法局"),
    ("LC-004", "legal-counselling", "心理咨询", "情绪困扰、家庭关系等心理疏导。", "hour", "市卫健委"),
    ("LC-005", "legal-counselling", "劳动争议咨询", "欠薪、劳动合同、工伤等劳动争议咨询。", "visit", "市人社局"),
    ("LC-006", "legal-counselling", "消费维权", "消费纠纷投诉与调解。", "visit", "市市场监管局"),
    ("VS-001", "volunteer", "清理杂物", "帮助清理房前屋后堆积的杂物。", "visit", None),
    ("VS-002", "volunteer", "助老帮扶", "为孤寡、空巢老人代购、打扫、聊天。", "visit", None),
    ("VS-003", "volunteer", "义务理发", "为老人、残疾人义务理发。", "visit", None),
    ("VS-004", "volunteer", "陪伴空巢老人", "定期上门陪伴空巢老人。", "hour", None),
    ("VS-005", "volunteer", "留守儿童辅导", "为留守儿童辅导功课、陪伴成长。", "hour", None),
    ("VS-006", "volunteer", "环境卫生整治", "小区、村庄环境卫生清扫整治。", "visit", None),
    ("VS-007", "volunteer", "文明劝导", "路口、集市文明交通和文明行为劝导。", "hour", None),
]

# Guide price as a share of the market price: 80%–85% (never above 85%).
_GUIDE_SHARES = [Decimal("0.80"), Decimal("0.81"), Decimal("0.82"), Decimal("0.83"), Decimal("0.84"), Decimal("0.85")]

# Remote towns whose market survey came out higher: a regional guide price for a few items.
# 和平镇, 大竹乡, 金坑乡: town code → regional market price as a multiple of the city-wide one.
REGIONAL_TOWNS = {"350781108": Decimal("1.10"), "350781201": Decimal("1.10"), "350781205": Decimal("1.08")}
REGIONAL_ITEMS = ["HK-001", "AR-001", "PE-003", "EC-001", "MV-001"]


def guide_from_market(market_price: Decimal, share: Decimal) -> Decimal:
    """share × market, rounded DOWN to the fen, so the result never exceeds the share."""
    return (market_price * share).quantize(FEN, rounding=ROUND_DOWN)


def _build():
    rng = random.Random(SEED)
    items, guide_prices = [], []
    for upc, category_code, title, description, unit, extra in _ITEMS:
        served_by = CATEGORY_BY_CODE[category_code]["served_by"]
        item = {
            "upc": upc,
            "category": category_code,
            "title": title,
            "description": description,
            "unit": unit,
            "served_by": served_by,
            "department": extra if served_by in ("centre", "unit") else "",
        }
        items.append(item)
        if served_by != "company":
            continue
        market = Decimal(extra)
        guide_prices.append({
            "upc": upc, "region_code": None, "market_price": market,
            "guide_price": guide_from_market(market, rng.choice(_GUIDE_SHARES)),
        })
    for upc in REGIONAL_ITEMS:
        city_wide = next(g for g in guide_prices if g["upc"] == upc)
        for town_code, factor in REGIONAL_TOWNS.items():
            market = (city_wide["market_price"] * factor).quantize(FEN, rounding=ROUND_DOWN)
            guide_prices.append({
                "upc": upc, "region_code": town_code, "market_price": market,
                "guide_price": guide_from_market(market, rng.choice(_GUIDE_SHARES)),
            })
    return items, guide_prices


ITEMS, GUIDE_PRICES = _build()
ITEM_BY_UPC = {item["upc"]: item for item in ITEMS}


def company_items(category_codes) -> list[str]:
    """UPCs of the priced items in the given categories, in catalogue order."""
    return [item["upc"] for item in ITEMS if item["category"] in category_codes and item["served_by"] == "company"]
