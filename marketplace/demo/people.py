"""The demo's people: 15 volunteer teams with their members, 200 residents with their addresses, and one
login per role.

``load_demo_city`` creates the members' user accounts (role volunteer, and team_lead for each team's
lead), then ``volunteers.demo.demo_volunteers_load`` makes the teams from ``VOLUNTEER_TEAMS``.
Residents' addresses stay here (there is no address book model); their names and phones are on
their users.
"""
from __future__ import annotations

import random

from marketplace.demo import SEED, demo_email
from marketplace.demo.regions import COMMUNITIES, TOWN_BY_CODE, TOWN_BY_NAME
from marketplace.roles import Role

_SURNAMES = (
    "陈林黄张吴李王刘杨郑周徐谢何罗朱郭叶蔡曾邱肖廖江游傅詹赖魏饶危范"
    "熊雷龚邓方严苏卢丁兰余袁彭涂钟潘汪毛胡孙高马梁宋唐许韩冯于"
)
_GIVEN = (
    "志明 建国 秀英 丽华 伟强 春梅 海燕 文斌 玉兰 德胜 小红 国平 桂芳 永福 晓东 淑珍 金花 福生 俊杰 雪梅 "
    "立新 美玲 宏伟 佳怡 子涵 浩然 雨萱 梓轩 欣怡 建平 秀兰 玉珍 水生 木根 火旺 金娣 春生 冬梅 丽萍 文华 "
    "伟 敏 静 勇 军 杰 娟 涛 斌 霞 平 刚 芳 鹏 华 红 明 辉 燕 琴"
).split()
_ROADS = ["中山路", "五四路", "熙春路", "府前路", "东门路", "城南路", "解放路", "民主路", "水北大街", "富屯路", "通泰路", "晒口路"]

# team name, base town, how many members besides the lead
_TEAMS = [
    ("小红帽志愿服务队", "昭阳街道", 6),
    ("青年突击志愿服务队", "通泰街道", 5),
    ("党员先锋志愿服务队", "水北街道", 5),
    ("巾帼志愿服务队", "晒口街道", 4),
    ("银发志愿服务队", "昭阳街道", 4),
    ("红十字志愿服务队", "通泰街道", 4),
    ("法律援助志愿服务队", "昭阳街道", 3),
    ("文明劝导志愿服务队", "水北街道", 4),
    ("助老爱心志愿服务队", "城郊镇", 4),
    ("义务理发志愿服务队", "晒口街道", 3),
    ("绿色家园环保志愿服务队", "沿山镇", 4),
    ("水北镇青年志愿服务队", "水北镇", 4),
    ("和平古镇志愿服务队", "和平镇", 4),
    ("人大代表联络站志愿服务队", "拿口镇", 3),
    ("政协委员之家志愿服务队", "洪墩镇", 3),
]
_DEPUTY_KINDS = ["", "", "", "party_deputy", "peoples_congress_deputy", "cppcc_member"]


def _name(rng: random.Random) -> tuple[str, str]:
    """(family name, given name)."""
    family = rng.choice(_SURNAMES)
    return family, rng.choice(_GIVEN)


def _unique_phone(rng: random.Random, prefix: str, used: set[str]) -> str:
    while True:
        phone = f"{prefix}{rng.randint(0, 99999999):08d}"
        if phone not in used:
            used.add(phone)
            return phone


def _address(rng: random.Random, community: dict) -> str:
    town = TOWN_BY_CODE[community["parent_code"]]
    if community["name"].endswith("村"):
        return f"{town['name']}{community['name']}{rng.randint(1, 12)}组{rng.randint(1, 60)}号"
    return (f"{town['name']}{community['name']}{rng.choice(_ROADS)}{rng.randint(1, 200)}号"
            f"{rng.randint(1, 12)}栋{rng.randint(1, 6)}0{rng.randint(1, 4)}室")


def _build():
    rng = random.Random(SEED)
    used_phones: set[str] = set()

    teams = []
    for team_number, (team_name, town_name, member_count) in enumerate(_TEAMS, start=1):
        members = []
        for member_number in range(member_count + 1):
            family, given = _name(rng)
            is_lead = member_number == 0
            if team_number == 1 and is_lead:
                email = demo_email("teamlead")
            elif team_number == 1 and member_number == 1:
                email = demo_email("volunteer")
            else:
                email = demo_email(f"team{team_number:02d}-{member_number:02d}")
            deputy = "peoples_congress_deputy" if "人大代表" in team_name else (
                "cppcc_member" if "政协委员" in team_name else rng.choice(_DEPUTY_KINDS))
            members.append({
                "email": email,
                "phone": _unique_phone(rng, "137", used_phones),
                "last_name": family,
                "first_name": given,
                "is_lead": is_lead,
                "party_member": deputy == "party_deputy" or "党员" in team_name or rng.random() < 0.35,
                "deputy": deputy,  # party_deputy / peoples_congress_deputy / cppcc_member, or "" for none
            })
        teams.append({
            "code": f"VT{team_number:02d}",
            "name": team_name,
            "town_code": TOWN_BY_NAME[town_name]["code"],
            "members": members,
        })

    residents = []
    for number in range(1, 201):
        family, given = _name(rng)
        community = rng.choice(COMMUNITIES)
        residents.append({
            "email": demo_email("resident") if number == 1 else None,
            "phone": _unique_phone(rng, "139", used_phones),
            "last_name": family,
            "first_name": given,
            "community_code": community["code"],
            "address": _address(rng, community),
        })
    return teams, residents


VOLUNTEER_TEAMS, RESIDENTS = _build()

# The centre's own staff (not residents, companies or volunteers): one login each.
STAFF = [
    {"email": demo_email("admin"), "last_name": "系统", "first_name": "管理员", "role": Role.ADMINISTRATOR,
     "is_staff": True, "is_superuser": True},
    {"email": demo_email("agent"), "last_name": "邵", "first_name": "坐席", "role": Role.CENTRE_AGENT,
     "is_staff": True, "is_superuser": False},
    {"email": demo_email("finance"), "last_name": "钱", "first_name": "会计", "role": Role.FINANCE_OFFICER,
     "is_staff": True, "is_superuser": False},
    # A second finance officer: a payout run is approved by an officer other than the one who started it.
    {"email": demo_email("finance2"), "last_name": "孙", "first_name": "复核", "role": Role.FINANCE_OFFICER,
     "is_staff": True, "is_superuser": False},
]

# One login per role (two finance officers, for the two-person approval of a payout run), all with the
# demo password, in the order the summary prints them.
LOGINS = [
    (Role.RESIDENT, demo_email("resident")),
    (Role.COMPANY_STAFF, demo_email("company01")),
    (Role.VOLUNTEER, demo_email("volunteer")),
    (Role.TEAM_LEAD, demo_email("teamlead")),
    (Role.CENTRE_AGENT, demo_email("agent")),
    (Role.FINANCE_OFFICER, demo_email("finance")),
    (Role.FINANCE_OFFICER, demo_email("finance2")),
    (Role.ADMINISTRATOR, demo_email("admin")),
]
