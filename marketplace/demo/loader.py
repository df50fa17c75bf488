"""Writes the demo county into the database, through the same services the dashboards use.

Idempotent: every row is found by a stable key (region code, category code, UPC, email, phone,
credit code) and written only when it is missing or differs from the demo data, so a second run
writes nothing — not even a history row. Records with a life of their own once created (a company's
admission status, its contracted prices, agreements) are only ever moved forward or created, never
reset. Everything runs in one transaction.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.demo import DEMO_PASSWORD, catalogue, companies, people, regions, units
from marketplace.models import (
    CategoryQuota,
    LinkedUnit,
    Region,
    ServiceItemProfile,
    User,
    YearPolicy,
)
from marketplace.phones import normalise_phone
from marketplace.roles import Role
from pricing.models import GuidePrice
from pricing.selectors import guide_price_for
from pricing.services import contract_price_set, guide_price_set
from providers.models import Company, CompanyStatus
from providers.services import company_apply, company_contract, company_transition

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
AttributeOption = get_model("catalogue", "AttributeOption")
StockRecord = get_model("partner", "StockRecord")

POLICY_YEARS = (2025, 2026, 2027)
# The DOMAIN.md defaults; the demo's companies fit the category quotas set below.
POLICY_VALUES = {
    "min_discount": Decimal("0.1500"),
    "complaint_limit": 3,
    "subsidy_rate": Decimal("0.1000"),
    "reward_rate": Decimal("0.0500"),
    "satisfaction_target": Decimal("0.9000"),
    "volunteer_hours_duty": Decimal("20.00"),
    "offer_window_asap_seconds": 90,
    "offer_window_scheduled_seconds": 1800,
    "default_category_quota": 10,
}
# Places left in each company category for the applicants in the admission queue.
QUOTA_HEADROOM = 2
REASON = "演示数据"
# 22 letters and digits: the 128 bits of salt entropy Django expects, so it never asks to rehash.
DEMO_PASSWORD_SALT = "minsheng110demoShaowu1"  # stored in history rows: "demo data"

# The admission pipeline the demo walks a company along, in order.
ADMISSION_ROUTE = [CompanyStatus.APPLIED, CompanyStatus.UNDER_INSPECTION, CompanyStatus.APPROVED,
                   CompanyStatus.CONTRACTED]


@dataclass
class DemoLoadResult:
    service_day: datetime.date
    writes: Counter = field(default_factory=Counter)  # what this run wrote, by kind
    counts: dict[str, int] = field(default_factory=dict)  # what the database holds afterwards
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role, email)


def demo_service_day(today: datetime.date) -> datetime.date:
    """The day the services are told it is. The demo describes the 2026 contract year with a market
    survey of 2026-10-15, so the day is today when it falls between the survey and the end of the
    agreements, else the nearest such day: the loaded data is then the same whenever it is loaded."""
    return min(max(today, catalogue.MARKET_SURVEYED_ON), companies.AGREEMENT["term_end"])


def demo_city_load(*, today: datetime.date | None = None) -> DemoLoadResult:
    """Load (or complete) the demo county. Safe to run again: a second run changes nothing."""
    result = DemoLoadResult(service_day=demo_service_day(today or timezone.localdate()))
    with transaction.atomic():
        loader = _Loader(result)
        loader.run()
    result.counts = demo_counts()
    result.logins = list(people.LOGINS)
    return result


def demo_counts() -> dict[str, int]:
    """The numbers the command prints: what the demo county holds now."""
    users_by_role = {role: User.objects.filter(groups__name=role).count() for role in Role.ALL}
    return {
        "towns": Region.objects.filter(level=Region.Level.TOWN).count(),
        "communities": Region.objects.filter(level=Region.Level.COMMUNITY).count(),
        "categories": Category.objects.count(),
        "items": Product.objects.count(),
        "guide prices": GuidePrice.objects.count(),
        "contracted companies": Company.objects.filter(status=CompanyStatus.CONTRACTED).count(),
        "companies in the admission queue": Company.objects.filter(
            status__in=[CompanyStatus.APPLIED, CompanyStatus.UNDER_INSPECTION]
        ).count(),
        "contracted prices": StockRecord.objects.count(),
        "linked units": LinkedUnit.objects.count(),
        "volunteer teams": _volunteer_team_count(),
        **{f"users: {role}": count for role, count in users_by_role.items()},
    }


class _Loader:
    def __init__(self, result: DemoLoadResult):
        self.result = result
        self.day = result.service_day
        self.writes = result.writes
        self._password_hash: str | None = None
        # The role groups come from a migration; a flushed test database may have lost them.
        self.groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.ALL}
        self.memberships = set(
            User.groups.through.objects.filter(group__in=self.groups.values()).values_list("user_id", "group_id")
        )
        self.regions: dict[str, Region] = {}
        self.categories: dict[str, object] = {}
        self.products: dict[str, object] = {}

    def run(self) -> None:
        self.admin = self.staff_users()
        self.policies()
        self.region_tree()
        self.catalogue()
        self.category_quotas()
        self.guide_prices()
        self.volunteers()
        self.volunteer_teams()
        self.residents()
        self.companies()
        self.linked_units()

    # --- generic helpers ----------------------------------------------------------------------

    def sync(self, model, lookup: dict, values: dict, *, kind: str, history: bool = False):
        """Find the row by ``lookup``; create it, or save the fields that differ; else touch nothing."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
        else:
            changed = [name for name, value in values.items() if getattr(instance, name) != value]
            if not changed:
                return instance
            for name in changed:
                setattr(instance, name, values[name])
        if history:
            instance._history_user = self.admin
            instance._change_reason = REASON
        instance.full_clean()
        instance.save()
        self.writes[kind] += 1
        return instance

    @property
    def password_hash(self) -> str:
        """One hash of the demo password for every demo account, with a fixed salt: the password is
        published anyway, and a fixed salt makes the hash reproducible, so an account still holding it
        is recognised without hashing again (hashing is deliberately slow)."""
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD, salt=DEMO_PASSWORD_SALT)
        return self._password_hash

    def user(self, *, email: str | None, phone: str | None, last_name: str, first_name: str, roles=(),
             is_staff: bool = False, is_superuser: bool = False) -> User:
        phone = normalise_phone(phone) if phone else None
        lookup = {"email": email} if email else {"phone": phone}
        values = {"last_name": last_name, "first_name": first_name, "is_staff": is_staff, "is_superuser": is_superuser}
        if email and phone:
            values["phone"] = phone
        user = User.objects.filter(**lookup).first()
        if user is None:
            user = User(**lookup, **values, password=self.password_hash)
            user.save()
            self.writes["users"] += 1
        else:
            changed = [name for name, value in values.items() if getattr(user, name) != value]
            if changed:
                for name in changed:
                    setattr(user, name, values[name])
                user.save(update_fields=changed)
                self.writes["users"] += 1
        for role in roles:
            group = self.groups[role]
            if (user.pk, group.pk) not in self.memberships:
                user.groups.add(group)
                self.memberships.add((user.pk, group.pk))
                self.writes["role memberships"] += 1
        return user

    # --- people -------------------------------------------------------------------------------

    def staff_users(self) -> User:
        admin = None
        for person in people.STAFF:
            user = self.user(email=person["email"], phone=None, last_name=person["last_name"],
                             first_name=person["first_name"], roles=[person["role"]],
                             is_staff=person["is_staff"], is_superuser=person["is_superuser"])
            self.ensure_demo_password(user)
            if person["role"] == Role.ADMINISTRATOR:
                admin = user
        return admin

    def ensure_demo_password(self, user: User) -> None:
        """The printed logins must work, even after someone changed a demo password."""
        if user.password != self.password_hash:
            user.password = self.password_hash
            user.save(update_fields=["password"])
            self.writes["passwords reset"] += 1

    def volunteers(self) -> None:
        for team in people.VOLUNTEER_TEAMS:
            for member in team["members"]:
                roles = [Role.VOLUNTEER, Role.TEAM_LEAD] if member["is_lead"] else [Role.VOLUNTEER]
                user = self.user(email=member["email"], phone=member["phone"], last_name=member["last_name"],
                                 first_name=member["first_name"], roles=roles)
                if user.email in (email for _role, email in people.LOGINS):
                    self.ensure_demo_password(user)

    def volunteer_teams(self) -> None:
        from volunteers.demo import demo_volunteers_load

        self.writes.update(demo_volunteers_load(today=self.day))

    def linked_units(self) -> None:
        for unit in units.UNITS:
            self.sync(
                LinkedUnit, {"code": unit["code"]},
                {"name": unit["name"], "kind": unit["kind"], "region": self.region(unit["region_code"]),
                 "duty_contact_name": unit["duty_contact"], "duty_contact_phone": unit["duty_phone"]},
                kind="linked units", history=True,
            )

    def region(self, code: str) -> Region:
        if code not in self.regions:
            self.regions[code] = Region.objects.get(code=code)
        return self.regions[code]

    def residents(self) -> None:
        for resident in people.RESIDENTS:
            user = self.user(email=resident["email"], phone=resident["phone"], last_name=resident["last_name"],
                             first_name=resident["first_name"], roles=[Role.RESIDENT])
            if resident["email"]:
                self.ensure_demo_password(user)

    # --- policy and grid ----------------------------------------------------------------------

    def policies(self) -> None:
        self.policy_rows = [
            self.sync(YearPolicy, {"year": year}, POLICY_VALUES, kind="yearly policies", history=True)
            for year in POLICY_YEARS
        ]

    def region_tree(self) -> None:
        city = regions.CITY
        self.regions[city["code"]] = self.sync(
            Region, {"code": city["code"]},
            {"name": city["name"], "level": Region.Level.CITY, "parent_id": None,
             "latitude": city["latitude"], "longitude": city["longitude"]},
            kind="regions",
        )
        for level, rows in ((Region.Level.TOWN, regions.TOWNS), (Region.Level.COMMUNITY, regions.COMMUNITIES)):
            for row in rows:
                self.regions[row["code"]] = self.sync(
                    Region, {"code": row["code"]},
                    {"name": row["name"], "level": level, "parent_id": self.regions[row["parent_code"]].pk,
                     "latitude": row["latitude"], "longitude": row["longitude"]},
                    kind="regions",
                )

    # --- catalogue ----------------------------------------------------------------------------

    def catalogue(self) -> None:
        option_groups = {}
        for code, (name, options) in catalogue.OPTION_GROUPS.items():
            group = self.sync(AttributeOptionGroup, {"code": code}, {"name": name}, kind="booking questions")
            for option in options:
                self.sync(AttributeOption, {"group": group, "option": option}, {}, kind="booking questions")
            option_groups[code] = group

        for data in catalogue.CATEGORIES:
            category = Category.objects.filter(code=data["code"]).first()
            values = {"name": data["name"], "slug": data["code"], "description": data["description"], "is_public": True}
            if category is None:
                category = Category.add_root(code=data["code"], **values)
                self.writes["categories"] += 1
            elif any(getattr(category, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(category, name, value)
                category.save()
                self.writes["categories"] += 1
            self.categories[data["code"]] = category

            product_class = self.sync(
                ProductClass, {"slug": data["code"]},
                {"name": data["name"], "requires_shipping": False, "track_stock": False},
                kind="product classes",
            )
            for code in data["questions"]:
                question, attribute_type, group_code = catalogue.QUESTIONS[code]
                self.sync(
                    ProductAttribute, {"product_class": product_class, "code": code},
                    # Booking questions are asked when a resident books, so the item itself has no value:
                    # "required" would make Oscar refuse to save the item.
                    {"name": question, "type": attribute_type, "required": False,
                     "option_group_id": option_groups[group_code].pk if group_code else None},
                    kind="booking questions",
                )

        classes = {pc.slug: pc for pc in ProductClass.objects.filter(slug__in=self.categories)}
        for data in catalogue.ITEMS:
            product = self.sync(
                Product, {"upc": data["upc"]},
                {"title": data["title"], "description": data["description"], "structure": Product.STANDALONE,
                 "product_class_id": classes[data["category"]].pk, "is_public": True, "slug": data["upc"].lower()},
                kind="items",
            )
            category = self.categories[data["category"]]
            if not ProductCategory.objects.filter(product=product, category=category).exists():
                ProductCategory.objects.create(product=product, category=category)
                self.writes["item categories"] += 1
            self.sync(
                ServiceItemProfile, {"product": product},
                {"unit": data["unit"], "served_by": data["served_by"], "department": data["department"]},
                kind="item profiles", history=True,
            )
            self.products[data["upc"]] = product

    def category_quotas(self) -> None:
        """Quotas per company category so every demo company fits, with room for the applicants."""
        holders = Counter(
            code for company in companies.COMPANIES if company["status"] == companies.CONTRACTED
            for code in company["categories"]
        )
        for policy in self.policy_rows:
            for code, count in sorted(holders.items()):
                self.sync(
                    CategoryQuota, {"policy": policy, "category": self.categories[code]},
                    {"max_companies": max(count + QUOTA_HEADROOM, policy.default_category_quota)},
                    kind="category quotas", history=True,
                )

    # --- prices -------------------------------------------------------------------------------

    def guide_prices(self) -> None:
        for data in catalogue.GUIDE_PRICES:
            product = self.products[data["upc"]]
            region = self.regions[data["region_code"]] if data["region_code"] else None
            current = GuidePrice.objects.filter(product=product, region=region).first()
            if current and (current.market_price, current.market_source, current.market_surveyed_on,
                            current.guide_price) == (data["market_price"], catalogue.MARKET_SOURCE,
                                                     catalogue.MARKET_SURVEYED_ON, data["guide_price"]):
                continue
            guide_price_set(
                product=product, region=region, market_price=data["market_price"],
                market_source=catalogue.MARKET_SOURCE, market_surveyed_on=catalogue.MARKET_SURVEYED_ON,
                guide_price=data["guide_price"], actor=self.admin, reason=f"{REASON}：发布2026年市场收费指导价",
                today=self.day,
            )
            self.writes["guide prices"] += 1

    # --- companies ----------------------------------------------------------------------------

    def companies(self) -> None:
        for data in companies.COMPANIES:
            staff = self.user(email=data["staff_email"], phone=data["staff_phone"], last_name=data["staff_name"][0],
                              first_name=data["staff_name"][1:], roles=[Role.COMPANY_STAFF])
            if data["number"] == 1:
                self.ensure_demo_password(staff)
            company = Company.objects.filter(credit_code=data["fields"]["credit_code"]).first()
            if company is None:
                company = self.company_apply(data, staff)
            if company.status not in ADMISSION_ROUTE:
                continue  # suspended, removed…: moved on during a demo; leave it there.
            pipeline_target = CompanyStatus.APPROVED if data["status"] == companies.CONTRACTED else data["status"]
            while ADMISSION_ROUTE.index(company.status) < ADMISSION_ROUTE.index(pipeline_target):
                next_status = ADMISSION_ROUTE[ADMISSION_ROUTE.index(company.status) + 1]
                company = company_transition(company=company, to_status=next_status, actor=self.admin,
                                             reason=REASON, today=self.day)
                self.writes["admission moves"] += 1
            if data["status"] == companies.CONTRACTED:
                self.contract_prices(company, data)
                if company.status == CompanyStatus.APPROVED:
                    company_contract(
                        company=company, actor=self.admin, today=self.day, reason=REASON,
                        agreement_fields={**companies.AGREEMENT, "service_hours": data["service_hours"]},
                    )
                    self.writes["agreements"] += 1

    def company_apply(self, data: dict, staff: User) -> Company:
        fields = dict(data["fields"])
        fields["base_region"] = self.regions[fields.pop("base_region_code")]
        company = company_apply(
            applicant=staff, fields=fields,
            categories=[self.categories[code] for code in data["categories"]],
            service_regions=[self.regions[code] for code in data["service_region_codes"]],
        )
        self.writes["companies"] += 1
        return company

    def contract_prices(self, company: Company, data: dict) -> None:
        """Each priced item of the company's categories at the guide price where it is based, less its cut.
        A price the company already has is its own business and is left alone."""
        priced = set(StockRecord.objects.filter(partner=company.partner).values_list("product__upc", flat=True))
        for upc, cut_percent in data["price_cuts"].items():
            if upc in priced:
                continue
            product = self.products[upc]
            guide = guide_price_for(product_id=product.pk, region=company.base_region)
            contract_price_set(
                partner=company.partner, product=product,
                price=companies.contract_price(guide.guide_price, cut_percent),
                actor=self.admin, reason=f"{REASON}：签约价格", today=self.day,
            )
            self.writes["contracted prices"] += 1


def _volunteer_team_count() -> int:
    from volunteers.models import Team

    return Team.objects.count()
