"""The demo's linked units (联动单位): 24 departments and the 19 town and street offices, each with a
duty contact who answers transferred (转办) requests around the clock.

``load_demo_city`` loads them into ``marketplace.LinkedUnit``.
"""
from __future__ import annotations

import random

from marketplace.demo import SEED
from marketplace.demo.regions import CITY, TOWNS

# name, what it handles (for routing transferred requests)
_DEPARTMENTS = [
    ("市公安局", "治安、户籍、交通安全"),
    ("市民政局", "低保救助、养老服务、婚姻登记"),
    ("市人社局", "就业、社保、劳动争议"),
    ("市住建局", "房屋安全、物业管理、燃气安全"),
    ("市城管局", "市容环境、违章搭建、占道经营"),
    ("市市场监管局", "消费维权、食品安全、价格监督"),
    ("市卫健委", "医疗卫生、心理健康、疫情防控"),
    ("市司法局", "法律咨询、法律援助、人民调解"),
    ("市自然资源局", "土地、地质灾害、不动产登记"),
    ("市交通运输局", "公交线路、道路养护、出租车管理"),
    ("市水利局", "防汛、水利设施、河道管理"),
    ("市教育局", "入学、校园安全、教育收费"),
    ("市生态环境局", "噪声、污水、废气等环境污染"),
    ("市应急管理局", "安全生产、应急救援、防灾减灾"),
    ("市农业农村局", "农业生产、农村人居环境、动物防疫"),
    ("市文旅局", "文化活动、旅游投诉、文物保护"),
    ("供电公司", "停电抢修、用电报装、电费"),
    ("自来水公司", "停水抢修、水质、水费"),
    ("燃气公司", "燃气泄漏抢险、开户、燃气费"),
    ("电信公司", "固话宽带故障、通信服务"),
    ("移动公司", "移动通信、宽带故障"),
    ("联通公司", "联通通信、宽带故障"),
    ("市医保局", "医保参保、报销、异地就医"),
    ("市信访局", "信访事项登记、转送、督办"),
]

_DUTY_NAMES = [
    "王志明", "李建华", "张卫东", "刘小平", "陈国强", "杨秀兰", "黄伟", "吴海燕", "赵立军", "周文华",
    "徐静", "孙建军", "马丽", "朱红梅", "胡斌", "郭敏", "何勇", "高峰", "林晓东", "罗春生",
    "郑爱华", "梁永红", "谢志坚", "宋玉兰", "唐建平", "许东升", "邓晓燕", "冯伟民", "韩桂芳", "曹德华",
    "曾宪文", "彭丽华", "萧永明", "蔡丽琴", "潘国华", "田志勇", "董建新", "袁秀珍", "于海涛", "余小兵",
    "叶丽君", "蒋文斌", "杜春华",
]


def _build():
    rng = random.Random(SEED)
    units = []
    for number, (name, handles) in enumerate(_DEPARTMENTS, start=1):
        units.append({
            "code": f"D{number:02d}",
            "name": name,
            "kind": "department",
            "region_code": CITY["code"],
            "handles": handles,
        })
    for number, town in enumerate(TOWNS, start=1):
        office = f"{town['name']}办事处" if town["name"].endswith("街道") else f"{town['name']}人民政府"
        units.append({
            "code": f"T{number:02d}",
            "name": office,
            "kind": "town_office",
            "region_code": town["code"],
            "handles": "辖区内的基层治理、网格事项和转办事项",
        })
    for unit, duty_name in zip(units, _DUTY_NAMES, strict=True):
        unit["duty_contact"] = duty_name
        unit["duty_phone"] = f"0599-6{rng.randint(100000, 999999)}"
        unit["duty_mobile"] = f"135{rng.randint(0, 99999999):08d}"
    return units


UNITS = _build()
