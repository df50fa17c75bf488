"""Shared fixtures: the yearly policy, a small catalogue, and one persona per role plus an outsider."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from marketplace.models import Region, ServiceItemProfile, YearPolicy
from marketplace.roles import Role, role_group
from tests.celery_worker import finished_tasks  # noqa: F401  (a fixture for every test package)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def policy(db):
    return YearPolicy.objects.create(year=TODAY.year, min_discount=Decimal("0.1500"), default_category_quota=3)


@pytest.fixture
def city(db):
    city = Region.objects.create(code="350781", name="邵武市", level=Region.Level.CITY, latitude="27.340000", longitude="117.480000")
    town = Region.objects.create(code="350781001", name="昭阳街道", level=Region.Level.TOWN, parent=city,
                                 latitude="27.330000", longitude="117.490000")
    Region.objects.create(code="350781001001", name="东关社区", level=Region.Level.COMMUNITY, parent=town,
                          latitude="27.331000", longitude="117.491000")
    return city


@pytest.fixture
def town(city):
    return Region.objects.get(code="350781001")


@pytest.fixture
def category(db):
    return Category.add_root(name="家政服务", slug="housekeeping")


@pytest.fixture
def item(category):
    product_class, _ = ProductClass.objects.get_or_create(name="上门服务", defaults={"track_stock": False, "requires_shipping": False})
    product = Product.objects.create(title="日常保洁", upc="HK-001", product_class=product_class, structure="standalone")
    product.categories.add(category)
    ServiceItemProfile.objects.create(product=product, unit="hour", served_by="company")
    return product


def make_user(email: str, *roles: str, password: str = "pw-for-tests-1", **extra):
    from marketplace.models import User

    user = User.objects.create_user(email, password, **extra)
    for role in roles:
        user.groups.add(role_group(role))
    return user


@pytest.fixture
def resident(db):
    return make_user("resident@example.com", Role.RESIDENT, phone="13900000001")


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role that concerns what is being tested."""
    return make_user("outsider@example.com", Role.RESIDENT, phone="13900000009")


@pytest.fixture
def administrator(db):
    return make_user("admin@example.com", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def agent(db):
    return make_user("agent@example.com", Role.CENTRE_AGENT, is_staff=True)


@pytest.fixture
def finance_officer(db):
    return make_user("finance@example.com", Role.FINANCE_OFFICER, is_staff=True)


@pytest.fixture
def company_user(db):
    return make_user("staff@company.example.com", Role.COMPANY_STAFF)


def credit_code(n: int) -> str:
    from providers.validators import credit_code_complete

    return credit_code_complete(f"913507810000{n:05d}")


def application_fields(n: int, region) -> dict:
    import datetime as dt

    return {
        "legal_name": f"邵武市第{n}家政服务有限公司",
        "credit_code": credit_code(n),
        "licence_number": f"LIC-{n:05d}",
        "contact_name": "张经理",
        "contact_phone": f"1380000{n:04d}",
        "base_latitude": Decimal("27.330000"),
        "base_longitude": Decimal("117.490000"),
        "base_region": region,
        "service_radius_km": Decimal("10.00"),
        "opens_at": dt.time(8, 0),
        "closes_at": dt.time(20, 0),
        "capacity": 5,
    }


AGREEMENT_FIELDS = {
    "term_start": datetime.date(2026, 1, 1),
    "term_end": datetime.date(2026, 12, 31),
    "service_hours": "08:00–20:00，全年无休",
    "service_norms": "接到派单后立即响应，按指导价收费，不得擅自加价。",
    "dispute_handling": "由民生110服务中心调解。",
    "legal_liability": "因服务造成损失的，由企业依法承担赔偿责任。",
    "signed_on": datetime.date(2025, 12, 20),
}


@pytest.fixture
def apply_company(town, category, policy):
    """Make a company application by a fresh staff user; returns the Company in status 'applied'."""
    from providers.services import company_apply

    counter = {"n": 0}

    def make(n: int | None = None, user=None, categories=None):
        counter["n"] += 1
        n = n or counter["n"]
        user = user or make_user(f"staff{n}@company.example.com")
        return company_apply(applicant=user, fields=application_fields(n, town), categories=categories or [category])

    return make


@pytest.fixture
def contract_company(apply_company, administrator):
    """Take an application all the way to 'contracted' the way an administrator does."""
    import time_machine

    from providers.models import CompanyStatus
    from providers.services import company_contract, company_transition

    def make(n: int | None = None, user=None):
        company = apply_company(n, user)
        with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
            company_transition(company=company, to_status=CompanyStatus.UNDER_INSPECTION, actor=administrator)
            company_transition(company=company, to_status=CompanyStatus.APPROVED, actor=administrator)
            company_contract(company=company, actor=administrator, agreement_fields=dict(AGREEMENT_FIELDS))
        company.refresh_from_db()
        return company

    return make


@pytest.fixture
def guide_price(item, policy, administrator):
    """Item HK-001 city-wide: market ¥100.00, guide ¥85.00 (exactly 85%)."""
    import time_machine

    from pricing.services import guide_price_set

    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        return guide_price_set(
            product=item, region=None, market_price="100.00", market_source="2026年市场调查",
            market_surveyed_on=datetime.date(2026, 10, 1), guide_price="85.00", actor=administrator, reason="首次发布",
        )


@pytest.fixture
def frozen_now():
    """Freeze the clock at 2026-11-23 10:00 UTC (18:00 in Shanghai), inside the 2026 agreements' term."""
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False) as traveller:
        yield traveller


def _database_is_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


requires_postgres = pytest.mark.skipif(
    not _database_is_postgres(),
    reason="needs PostgreSQL row locks: set DATABASE_URL=postgres://… (CI's second run does)",
)


def run_at_once(*calls):
    """Run callables in threads released together by a barrier; returns each one's result or exception.
    Each thread closes its own database connection when done."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 — the caller asserts on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing is not under test; the default hasher costs ~0.3 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_messages(request, settings):
    """Most tests assert on message text, so they read it in English. The site itself is Chinese
    first: tests marked ``chinese`` (tests/i18n, the browser tests, page-language checks) keep zh-hans."""
    from django.utils import translation

    if request.node.get_closest_marker("chinese"):
        settings.LANGUAGE_CODE = "zh-hans"
        with translation.override("zh-hans"):
            yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def staff_two_factor(request, settings):
    """Staff must use TOTP (marketplace/mfa.py). Tests that sign staff in with force_login skip the
    second factor; tests marked ``mfa`` keep the rule on and prove it."""
    settings.MARKETPLACE_REQUIRE_STAFF_MFA = bool(request.node.get_closest_marker("mfa"))


# --- a real browser (Playwright driving Debian's Chromium), shared by every browser test -------------
import os as _os  # noqa: E402
import shutil as _shutil  # noqa: E402

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself are
# plain synchronous code, so Django's guard against async contexts does not apply here.
_os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = _shutil.which("chromium") or "/usr/bin/chromium"



@pytest.fixture(scope="session")
def browser():
    if not _os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (./run setup installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
