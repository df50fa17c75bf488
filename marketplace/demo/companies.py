"""The demo's 32 contracted companies (签约企业) and two applicants still in the admission queue.

Each company has one staff user (``companyNN@demo.minsheng110.cn``), a base near its town, the town
and its nearest neighbours as service regions, and a contracted price for every item of its
categories: the guide price less 0–5%, rounded down to the fen.
"""
from __future__ import annotations

import datetime
import random
from decimal import ROUND_DOWN, Decimal

from marketplace.demo import SEED, demo_email
from marketplace.demo.catalogue import company_items
from marketplace.demo.regions import TOWN_BY_NAME, jitter, nearest_towns
from providers.validators import credit_code_complete

CONTRACTED = "contracted"
APPLIED = "applied"
UNDER_INSPECTION = "under_inspection"

AGREEMENT = {
    "term_start": datetime.date(2026, 1, 1),
    "term_end": datetime.date(2026, 12, 31),
    "signed_on": datetime.date(2025, 12, 20),
    "service_norms": "接到民生110服务中心派单后立即响应，按约定时间上门；严格执行政府指导价，不得擅自加价；"
                     "服务人员持证上岗、文明服务，完工后请群众确认并接受回访。",
    "dispute_handling": "服务纠纷由民生110服务中心先行调解；调解不成的，双方可依法申请仲裁或提起诉讼。",
    "legal_liability": "因服务质量或服务人员过错造成群众人身、财产损失的，由企业依法承担赔偿责任；"
                       "一个年度内经查实投诉三次的，取消服务资格。",
}

# name, categories, base town, contact person, open all day
_COMPANIES = [
    ("邵武市洁家家政服务有限公司", ["housekeeping"], "昭阳街道", "陈美华", False),
    ("邵武市好帮手家政服务有限公司", ["housekeeping"], "通泰街道", "林秀英", True),
    ("邵武市巧手保洁服务有限公司", ["housekeeping"], "水北街道", "黄丽娟", False),
    ("邵武市安心家政服务有限公司", ["housekeeping", "elderly-care"], "晒口街道", "吴春燕", False),
    ("邵武市美居保洁有限公司", ["housekeeping"], "城郊镇", "张桂兰", False),
    ("邵武市福屯家政服务有限公司", ["housekeeping"], "水北镇", "李玉梅", False),
    ("邵武市万家修缮服务有限公司", ["daily-repairs"], "昭阳街道", "王建国", True),
    ("邵武市安居房屋维修有限公司", ["daily-repairs"], "通泰街道", "刘志强", False),
    ("邵武市匠心装修服务有限公司", ["daily-repairs"], "下沙镇", "杨德明", False),
    ("邵武市快修帮维修服务有限公司", ["daily-repairs", "plumbing-electrical"], "晒口街道", "赵永福", True),
    ("邵武市福瑞修缮工程有限公司", ["daily-repairs"], "沿山镇", "周国平", False),
    ("邵武市冷暖家电维修有限公司", ["appliance-repair"], "昭阳街道", "徐海波", True),
    ("邵武市永安家电服务有限公司", ["appliance-repair"], "通泰街道", "孙文斌", False),
    ("邵武市恒通电器维修有限公司", ["appliance-repair"], "水北街道", "马立新", False),
    ("邵武市顺达家电维修有限公司", ["appliance-repair"], "拿口镇", "朱光明", False),
    ("邵武市华宇制冷设备有限公司", ["appliance-repair"], "卫闽镇", "胡志刚", False),
    ("邵武市百姓家电服务有限公司", ["appliance-repair"], "大埠岗镇", "郭振华", False),
    ("邵武市水电通维修服务有限公司", ["plumbing-electrical"], "昭阳街道", "何建平", True),
    ("邵武市宏达水电安装有限公司", ["plumbing-electrical"], "通泰街道", "高德胜", False),
    ("邵武市通畅管道疏通有限公司", ["plumbing-electrical"], "水北街道", "罗小军", True),
    ("邵武市光明电器安装有限公司", ["plumbing-electrical", "daily-repairs"], "洪墩镇", "郑伟东", False),
    ("邵武市清源水暖工程有限公司", ["plumbing-electrical"], "和平镇", "梁俊杰", False),
    ("邵武市民安水电维修有限公司", ["plumbing-electrical"], "张厝乡", "谢福生", False),
    ("邵武市夕阳红养老服务有限公司", ["elderly-care"], "昭阳街道", "宋慧敏", True),
    ("邵武市康乐居家养老服务有限公司", ["elderly-care"], "通泰街道", "唐晓红", False),
    ("邵武市颐和护理服务有限公司", ["elderly-care"], "水北镇", "许淑珍", False),
    ("邵武市福寿居家照护有限公司", ["elderly-care"], "肖家坊乡", "邓丽萍", False),
    ("邵武市仁爱健康管理有限公司", ["elderly-care", "housekeeping"], "吴家塘乡", "冯雪梅", False),
    ("邵武市蚂蚁搬家服务有限公司", ["moving"], "昭阳街道", "韩大勇", True),
    ("邵武市顺风搬家运输有限公司", ["moving"], "晒口街道", "曹永强", False),
    ("邵武市大众搬家服务有限公司", ["moving"], "城郊镇", "曾庆华", False),
    ("邵武市邵通物流有限公司", ["moving"], "大竹乡", "彭建华", False),
]
# The admission queue: one application waiting, one under inspection.
_APPLICANTS = [
    ("邵武市新雅家政服务有限公司", ["housekeeping"], "昭阳街道", "蔡雅琴", False, APPLIED),
    ("邵武市立信水电维修有限公司", ["plumbing-electrical"], "桂林乡", "潘立新", False, UNDER_INSPECTION),
]

_HOURS = [(datetime.time(8, 0), datetime.time(20, 0)), (datetime.time(7, 30), datetime.time(21, 0)),
          (datetime.time(8, 30), datetime.time(18, 30))]
_FEN = Decimal("0.01")


def credit_code(number: int) -> str:
    """A valid unified social credit code: 91 (enterprise), 350781 (邵武市), MA… and the check character."""
    return credit_code_complete(f"91350781MA3{number:06d}")


def contract_price(guide_price: Decimal, cut_percent: int) -> Decimal:
    """The guide price less ``cut_percent`` %, rounded down to the fen (so never above the guide)."""
    return (guide_price * (Decimal(100 - cut_percent) / Decimal(100))).quantize(_FEN, rounding=ROUND_DOWN)


def _build():
    rng = random.Random(SEED)
    companies = []
    rows = [row + (CONTRACTED,) for row in _COMPANIES] + list(_APPLICANTS)
    for number, (name, categories, town_name, contact, all_day, status) in enumerate(rows, start=1):
        town = TOWN_BY_NAME[town_name]
        opens, closes = (datetime.time(0, 0), datetime.time(0, 0)) if all_day else rng.choice(_HOURS)
        capacity = rng.randint(3, 10)
        radius = Decimal(rng.randint(5, 20))
        neighbours = nearest_towns(town["code"], rng.randint(1, 2))
        company = {
            "number": number,
            "status": status,
            "staff_email": demo_email(f"company{number:02d}"),
            "staff_phone": f"138{5078:04d}{number:04d}",
            "staff_name": contact,
            "categories": categories,
            "service_region_codes": [town["code"], *neighbours],
            "fields": {
                "legal_name": name,
                "credit_code": credit_code(number),
                "licence_number": f"邵市监字{2019 + number % 6}第{number:05d}号",
                "contact_name": contact,
                "contact_phone": f"0599-6{rng.randint(100000, 999999)}",
                "base_latitude": jitter(town["latitude"], rng, degrees=Decimal("0.008")),
                "base_longitude": jitter(town["longitude"], rng, degrees=Decimal("0.008")),
                "base_region_code": town["code"],
                "service_radius_km": radius.quantize(_FEN),
                "opens_at": opens,
                "closes_at": closes,
                "capacity": capacity,
            },
            "service_hours": "24小时值守，全年无休" if all_day else f"{opens:%H:%M}–{closes:%H:%M}，全年无休",
            # Contracted price = guide price less 0–5% per item.
            "price_cuts": {upc: rng.randint(0, 5) for upc in company_items(categories)},
        }
        companies.append(company)
    return companies


COMPANIES = _build()
