"""``manage.py load_demo_city`` loads a Shaowu-like county — grid, catalogue, guide prices, 32 contracted
companies, people — with one working login per role, and running it again changes nothing."""
from __future__ import annotations

import datetime
import importlib
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from oscar.core.loading import get_model

from marketplace.demo.regions import distance_km
from marketplace.models import (
    CategoryQuota,
    Region,
    ServiceItemProfile,
    User,
    YearPolicy,
)
from marketplace.roles import Role, has_role
from pricing.models import GuidePrice
from pricing.selectors import guide_price_for
from providers.models import Company, CompanyStatus
from providers.selectors import agreement_in_force

pytestmark = pytest.mark.django_db(transaction=False)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
StockRecord = get_model("partner", "StockRecord")

NOW = datetime.datetime(2026, 11, 23, 10, 0)
TODAY = NOW.date()
PASSWORD = "demo12345"
LOGINS = {
    Role.RESIDENT: "resident@demo.minsheng110.cn",
    Role.COMPANY_STAFF: "company01@demo.minsheng110.cn",
    Role.VOLUNTEER: "volunteer@demo.minsheng110.cn",
    Role.TEAM_LEAD: "teamlead@demo.minsheng110.cn",
    Role.CENTRE_AGENT: "agent@demo.minsheng110.cn",
    Role.FINANCE_OFFICER: "finance@demo.minsheng110.cn",
    Role.ADMINISTRATOR: "admin@demo.minsheng110.cn",
}


def load_demo_city() -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo_city", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """Load the county once for this module, inside a transaction rolled back afterwards so no other test
    module sees it. Each test runs in a savepoint within it. A fast hasher: hashing is not under test."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher:
        with transaction.atomic():
            output = load_demo_city()
            yield output
            transaction.set_rollback(True)


def everything_counted() -> dict[str, int]:
    """Row counts of every model that has a table, history tables included."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.db_table in tables
    }


# --- the grid -------------------------------------------------------------------------------------


def test_city_has_at_least_19_towns_within_30_km_of_its_centre(demo_city):
    city = Region.objects.get(code="350781")
    assert (city.name, city.level, city.latitude, city.longitude) == (
        "邵武市", Region.Level.CITY, Decimal("27.340000"), Decimal("117.483300"),
    )
    towns = list(Region.objects.filter(level=Region.Level.TOWN))
    assert len(towns) >= 19
    assert {"昭阳街道", "通泰街道", "水北街道", "晒口街道", "城郊镇", "和平镇"} <= {t.name for t in towns}
    for town in towns:
        assert town.parent == city
        assert re.fullmatch(r"350781\d{3}", town.code)
        assert distance_km(city.latitude, city.longitude, town.latitude, town.longitude) <= 30


def test_every_town_has_two_to_four_communities_near_it_with_codes_under_its_own(demo_city):
    for town in Region.objects.filter(level=Region.Level.TOWN):
        communities = list(town.children.all())
        assert 2 <= len(communities) <= 4, town.name
        for community in communities:
            assert community.level == Region.Level.COMMUNITY
            assert re.fullmatch(rf"{town.code}\d{{3}}", community.code)
            assert distance_km(town.latitude, town.longitude, community.latitude, community.longitude) <= 5


# --- policy and catalogue -------------------------------------------------------------------------


def test_policies_for_2025_to_2027_carry_the_domain_defaults(demo_city):
    for year in (2025, 2026, 2027):
        policy = YearPolicy.objects.get(year=year)
        assert (policy.min_discount, policy.complaint_limit, policy.subsidy_rate, policy.reward_rate) == (
            Decimal("0.15"), 3, Decimal("0.10"), Decimal("0.05"),
        )
        assert (policy.satisfaction_target, policy.volunteer_hours_duty) == (Decimal("0.90"), Decimal("20"))
        assert (policy.offer_window_asap_seconds, policy.offer_window_scheduled_seconds) == (90, 1800)
        assert policy.default_category_quota == 10


def test_every_company_category_has_a_quota_its_contracted_companies_fit(demo_city):
    policy = YearPolicy.objects.get(year=2026)
    for quota in CategoryQuota.objects.filter(policy=policy):
        holders = Company.objects.filter(categories=quota.category, status=CompanyStatus.CONTRACTED).count()
        assert holders <= quota.max_companies
    assert CategoryQuota.objects.filter(policy=policy).count() >= 6


def test_catalogue_has_at_least_8_categories_and_60_public_items(demo_city):
    names = set(Category.objects.values_list("name", flat=True))
    assert len(names) >= 8
    assert {"家政服务", "日常维修", "家电维修", "水电维修", "养老照护", "搬家服务", "咨询答疑", "法律服务与心理咨询", "志愿服务"} <= names
    items = Product.objects.all()
    assert items.count() >= 60
    for item in items:
        assert item.is_standalone and item.is_public
        assert item.title and item.description
        assert item.categories.count() == 1
        assert item.service_profile.unit in ServiceItemProfile.Unit.values
    assert Product.objects.filter(upc="HK-001", title="日常保洁").exists()


def test_consultation_is_answered_by_the_centre_and_legal_aid_by_linked_units(demo_city):
    consultation = ServiceItemProfile.objects.filter(product__categories__name="咨询答疑")
    assert consultation.exists()
    assert set(consultation.values_list("served_by", flat=True)) == {ServiceItemProfile.ServedBy.CENTRE}
    legal = ServiceItemProfile.objects.filter(product__categories__name="法律服务与心理咨询")
    assert set(legal.values_list("served_by", flat=True)) == {ServiceItemProfile.ServedBy.UNIT}
    assert all(legal.values_list("department", flat=True))
    volunteer = ServiceItemProfile.objects.filter(product__categories__name="志愿服务")
    assert set(volunteer.values_list("served_by", flat=True)) == {ServiceItemProfile.ServedBy.VOLUNTEER}
    # Free items have no guide price.
    free = ServiceItemProfile.objects.exclude(served_by=ServiceItemProfile.ServedBy.COMPANY)
    assert not GuidePrice.objects.filter(product__service_profile__in=free).exists()


def test_booking_questions_are_attributes_of_each_category_product_class(demo_city):
    appliance_type = ProductAttribute.objects.get(product_class__slug="appliance-repair", code="appliance_type")
    assert appliance_type.name == "家电类型"
    assert appliance_type.type == ProductAttribute.OPTION
    assert list(appliance_type.option_group.options.values_list("option", flat=True).order_by("pk")) == [
        "空调", "冰箱", "洗衣机", "热水器", "电视",
    ]
    housekeeping = dict(
        ProductAttribute.objects.filter(product_class__slug="housekeeping").values_list("name", "type")
    )
    assert housekeeping == {"面积(㎡)": "integer", "楼层": "integer", "是否有电梯": "boolean", "备注": "text"}


# --- prices ---------------------------------------------------------------------------------------


def test_every_company_item_has_a_city_wide_guide_price_at_most_85_percent_of_market(demo_city):
    company_items = Product.objects.filter(service_profile__served_by=ServiceItemProfile.ServedBy.COMPANY)
    assert company_items.count() >= 50
    for item in company_items:
        assert GuidePrice.objects.filter(product=item, region=None).exists(), item.upc
    for guide in GuidePrice.objects.all():
        assert guide.guide_price <= Decimal("0.85") * guide.market_price, guide
        assert guide.guide_price >= Decimal("0.80") * guide.market_price - Decimal("0.01"), guide
        assert guide.market_source == "邵武市发改局2026年市场价格调查"
        assert guide.market_surveyed_on == datetime.date(2026, 10, 15)
    assert GuidePrice.objects.filter(region__level=Region.Level.TOWN).exists()


def test_guide_prices_were_published_by_the_demo_administrator(demo_city):
    admin = User.objects.get(email=LOGINS[Role.ADMINISTRATOR])
    assert set(GuidePrice.history.values_list("history_user", flat=True)) == {admin.pk}


def test_every_contracted_price_is_at_most_the_guide_price_where_the_company_is_based(demo_city):
    companies = Company.objects.filter(status=CompanyStatus.CONTRACTED).select_related("partner", "base_region")
    for company in companies:
        prices = StockRecord.objects.filter(partner=company.partner).select_related("product")
        assert prices.exists(), company.legal_name
        for price in prices:
            guide = guide_price_for(product_id=price.product_id, region=company.base_region)
            assert price.price <= guide.guide_price, (company.legal_name, price.product.upc)
            assert price.price >= guide.guide_price * Decimal("0.95") - Decimal("0.01")
            assert price.price_currency == "CNY"


# --- companies ------------------------------------------------------------------------------------


def test_32_contracted_companies_each_have_an_agreement_in_force_on_23_november_2026(demo_city):
    contracted = Company.objects.filter(status=CompanyStatus.CONTRACTED)
    assert contracted.count() == 32
    for company in contracted:
        agreement = agreement_in_force(company=company, day=TODAY)
        assert agreement is not None, company.legal_name
        assert (agreement.term_start, agreement.term_end, agreement.signed_on) == (
            datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), datetime.date(2025, 12, 20),
        )
        assert agreement.fee_schedule  # the contracted prices as they stood at signing
        assert list(company.status_changes.values_list("to_status", flat=True)) == [
            "applied", "under_inspection", "approved", "contracted",
        ]


def test_contracted_companies_have_bases_hours_and_capacity_within_the_demo_ranges(demo_city):
    companies = list(Company.objects.filter(status=CompanyStatus.CONTRACTED).select_related("base_region"))
    assert any(company.is_open_all_day for company in companies)
    for company in companies:
        assert company.base_region.level == Region.Level.TOWN
        assert company.base_region in company.service_regions.all()
        assert Decimal("5") <= company.service_radius_km <= Decimal("20")
        assert 3 <= company.capacity <= 10
        assert distance_km(company.base_latitude, company.base_longitude,
                           company.base_region.latitude, company.base_region.longitude) <= 3
        assert company.partner.users.filter(email__endswith="@demo.minsheng110.cn").exists()


def test_admission_queue_holds_one_application_and_one_inspection(demo_city):
    queue = sorted(Company.objects.exclude(status=CompanyStatus.CONTRACTED).values_list("status", flat=True))
    assert queue == [CompanyStatus.APPLIED, CompanyStatus.UNDER_INSPECTION]
    assert not Company.objects.exclude(status=CompanyStatus.CONTRACTED).filter(agreements__isnull=False).exists()


# --- people ---------------------------------------------------------------------------------------


def test_200_residents_have_chinese_names_and_139_phone_numbers(demo_city):
    residents = User.objects.filter(groups__name=Role.RESIDENT)
    assert residents.count() == 200
    for resident in residents:
        assert re.fullmatch(r"\+86139\d{8}", resident.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", resident.get_full_name())


def test_every_volunteer_team_has_a_lead_who_can_sign_in(demo_city):
    assert User.objects.filter(groups__name=Role.TEAM_LEAD).count() == 15
    assert User.objects.filter(groups__name=Role.VOLUNTEER).count() > 15
    for lead in User.objects.filter(groups__name=Role.TEAM_LEAD):
        assert has_role(lead, Role.VOLUNTEER)
        assert lead.has_usable_password()


@pytest.mark.parametrize("role", Role.ALL)
def test_the_login_of_each_role_authenticates_with_the_demo_password(demo_city, role):
    user = authenticate(email=LOGINS[role], password=PASSWORD)
    assert user is not None
    assert has_role(user, role)


def test_a_wrong_password_does_not_authenticate(demo_city):
    assert authenticate(email=LOGINS[Role.ADMINISTRATOR], password="demo123456") is None


def test_only_centre_staff_may_use_the_dashboard_and_only_the_administrator_is_superuser(demo_city):
    flags = {role: User.objects.filter(email=email).values_list("is_staff", "is_superuser").get()
             for role, email in LOGINS.items()}
    assert flags[Role.ADMINISTRATOR] == (True, True)
    assert flags[Role.CENTRE_AGENT] == (True, False)
    assert flags[Role.FINANCE_OFFICER] == (True, False)
    for role in (Role.RESIDENT, Role.COMPANY_STAFF, Role.VOLUNTEER, Role.TEAM_LEAD):
        assert flags[role] == (False, False)


def test_the_command_prints_the_counts_and_the_logins(demo_city):
    assert re.search(r"towns\s+19", demo_city)
    assert re.search(r"contracted companies\s+32", demo_city)
    assert "password demo12345" in demo_city
    for email in LOGINS.values():
        assert email in demo_city


# --- idempotent and deterministic ----------------------------------------------------------------


def test_running_it_again_changes_nothing(demo_city):
    counts = everything_counted()
    prices = set(StockRecord.objects.values_list("partner__code", "product__upc", "price"))
    guides = set(GuidePrice.objects.values_list("product__upc", "region__code", "guide_price"))
    passwords = dict(User.objects.values_list("email", "password"))

    output = load_demo_city()

    assert "Nothing to change" in output
    assert counts["pricing.HistoricalGuidePrice"] > 0  # history rows are among the counts
    assert everything_counted() == counts
    assert set(StockRecord.objects.values_list("partner__code", "product__upc", "price")) == prices
    assert set(GuidePrice.objects.values_list("product__upc", "region__code", "guide_price")) == guides
    assert dict(User.objects.values_list("email", "password")) == passwords


def test_a_changed_demo_password_is_restored_by_the_next_run(demo_city):
    admin = User.objects.get(email=LOGINS[Role.ADMINISTRATOR])
    admin.set_password("something-else-1")
    admin.save()

    load_demo_city()

    assert authenticate(email=LOGINS[Role.ADMINISTRATOR], password=PASSWORD) is not None


def test_the_demo_data_is_the_same_every_time_it_is_built():
    from marketplace.demo import catalogue, companies, people, regions, units

    before = (regions.COMMUNITIES, catalogue.GUIDE_PRICES, companies.COMPANIES, units.UNITS,
              people.VOLUNTEER_TEAMS, people.RESIDENTS)
    after = tuple(
        getattr(importlib.reload(module), name)
        for module, name in ((regions, "COMMUNITIES"), (catalogue, "GUIDE_PRICES"), (companies, "COMPANIES"),
                             (units, "UNITS"), (people, "VOLUNTEER_TEAMS"), (people, "RESIDENTS"))
    )
    assert after == before
