"""The demo grid: 邵武市 → its 4 streets, 9 towns and 6 townships → 2–4 communities or villages each.

Codes follow the national scheme: the city's six digits, then three for the town (001–004 streets,
100–108 towns, 200–205 townships), then three for the community. Town coordinates are approximate and
lie within 30 km of the city centre; a community lies within about 2 km of its town.
"""
from __future__ import annotations

import math
import random
from decimal import Decimal

from marketplace.demo import SEED

CITY = {"code": "350781", "name": "邵武市", "latitude": Decimal("27.340000"), "longitude": Decimal("117.483300")}

# (code suffix, name, latitude, longitude, communities)
_TOWNS = [
    ("001", "昭阳街道", "27.337000", "117.479000", ["东关社区", "西门社区", "南门社区", "北门社区"]),
    ("002", "通泰街道", "27.346000", "117.492000", ["熙春社区", "五一社区", "金塘社区"]),
    ("003", "水北街道", "27.362000", "117.474000", ["水北社区", "富屯社区", "龙斗社区"]),
    ("004", "晒口街道", "27.318000", "117.503000", ["晒口社区", "新建社区", "府前社区"]),
    ("100", "城郊镇", "27.296000", "117.452000", ["朱坊村", "将上村", "樵溪村"]),
    ("101", "水北镇", "27.421000", "117.468000", ["大乾村", "四都村", "故县村"]),
    ("102", "下沙镇", "27.252000", "117.541000", ["下沙村", "黄溪村", "官墩村"]),
    ("103", "卫闽镇", "27.448000", "117.562000", ["卫闽村", "固县村", "沧浪村"]),
    ("104", "沿山镇", "27.329000", "117.368000", ["沿山村", "古山村", "徐溪村", "上坪村"]),
    ("105", "拿口镇", "27.392000", "117.604000", ["拿口村", "朱山村", "庄上村"]),
    ("106", "洪墩镇", "27.498000", "117.401000", ["洪墩村", "河源村", "上观村"]),
    ("107", "大埠岗镇", "27.203000", "117.382000", ["大埠岗村", "竹源村", "杜坊村"]),
    ("108", "和平镇", "27.152000", "117.351000", ["和平村", "坎头村", "危冲村"]),
    ("200", "肖家坊乡", "27.231000", "117.648000", ["肖家坊村", "将石村", "登高村"]),
    ("201", "大竹乡", "27.479000", "117.652000", ["大竹村", "岚下村"]),
    ("202", "吴家塘乡", "27.521000", "117.529000", ["吴家塘村", "桐林村", "上泥村"]),
    ("203", "桂林乡", "27.431000", "117.329000", ["桂林村", "横坑村"]),
    ("204", "张厝乡", "27.262000", "117.418000", ["张厝村", "樟元村", "同青村"]),
    ("205", "金坑乡", "27.181000", "117.471000", ["金坑村", "儒家村"]),
]

_SIX_PLACES = Decimal("0.000001")


def jitter(coordinate: Decimal, rng: random.Random, *, degrees: Decimal) -> Decimal:
    """``coordinate`` moved by up to ± ``degrees``, to six places (0.01° is about 1.1 km)."""
    steps = int(degrees / _SIX_PLACES)
    return (coordinate + rng.randint(-steps, steps) * _SIX_PLACES).quantize(_SIX_PLACES)


def _build():
    rng = random.Random(SEED)
    towns, communities = [], []
    for suffix, name, lat, lng, village_names in _TOWNS:
        town = {
            "code": CITY["code"] + suffix,
            "name": name,
            "latitude": Decimal(lat),
            "longitude": Decimal(lng),
            "parent_code": CITY["code"],
        }
        towns.append(town)
        for number, village in enumerate(village_names, start=1):
            # Up to ±0.015° (about 1.7 km) from the town's seat.
            communities.append({
                "code": f"{town['code']}{number:03d}",
                "name": village,
                "latitude": jitter(town["latitude"], rng, degrees=Decimal("0.015")),
                "longitude": jitter(town["longitude"], rng, degrees=Decimal("0.015")),
                "parent_code": town["code"],
            })
    return towns, communities


TOWNS, COMMUNITIES = _build()
TOWN_BY_NAME = {town["name"]: town for town in TOWNS}
TOWN_BY_CODE = {town["code"]: town for town in TOWNS}


def distance_km(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance (for laying out the demo only; matching has its own)."""
    lat1, lng1, lat2, lng2 = map(math.radians, map(float, (lat1, lng1, lat2, lng2)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nearest_towns(code: str, count: int) -> list[str]:
    """Codes of the ``count`` towns nearest to town ``code`` (itself excluded)."""
    here = TOWN_BY_CODE[code]
    others = sorted(
        (t for t in TOWNS if t["code"] != code),
        key=lambda t: (distance_km(here["latitude"], here["longitude"], t["latitude"], t["longitude"]), t["code"]),
    )
    return [t["code"] for t in others[:count]]
