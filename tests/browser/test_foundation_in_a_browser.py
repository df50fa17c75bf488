"""In a real browser: the catalogue, the guide-price list, a company's application and an
administrator's admission of it."""
import datetime

import pytest
from django.utils import timezone

from marketplace.models import YearPolicy
from providers.models import Company, CompanyStatus
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.chinese, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, category, item, town, administrator):
    from pricing.services import guide_price_set

    YearPolicy.objects.get_or_create(year=timezone.localdate().year)
    guide_price_set(product=item, region=None, market_price="100.00", market_source="物价调查",
                    market_surveyed_on=timezone.localdate() - datetime.timedelta(days=10), guide_price="85.00",
                    actor=administrator, reason="发布")
    return live_server.url


def sign_in(page, site, email, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action*=login] button[type=submit]")
    page.wait_for_load_state()


def test_resident_finds_a_service_and_its_guide_price(page, site):
    page.goto(f"{site}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("input[name=q]", "保洁")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/catalogue/**")
    assert page.locator("text=日常保洁").count() >= 1
    page.goto(f"{site}/prices/")
    row = page.locator("tr", has_text="日常保洁").first
    assert "85.00" in row.inner_text() and "100.00" in row.inner_text()
    with page.expect_download() as download:
        page.click("a[href*='export.csv']")
    assert download.value.suggested_filename.endswith(".csv")


def test_company_applies_and_an_administrator_admits_it(page, site, category, town):
    applicant = make_user("boss@jiazheng.example.com", password="Shaowu-110-pw")
    sign_in(page, site, applicant.email, "Shaowu-110-pw")
    page.goto(f"{site}/companies/apply/")
    page.fill("input[name=legal_name]", "邵武市好帮手家政有限公司")
    page.fill("input[name=credit_code]", "91350781MA2XN0K02H")
    page.fill("input[name=licence_number]", "LIC-2026-001")
    page.fill("input[name=contact_name]", "李经理")
    page.fill("input[name=contact_phone]", "13800001111")
    page.check(f"input[name=categories][value='{category.pk}']")
    page.fill("input[name=base_latitude]", "27.331")
    page.fill("input[name=base_longitude]", "117.491")
    page.select_option("select[name=base_region]", str(town.pk))
    page.fill("input[name=service_radius_km]", "8")
    page.fill("input[name=opens_at]", "08:00")
    page.fill("input[name=closes_at]", "20:00")
    page.fill("input[name=capacity]", "4")
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_load_state()
    company = Company.objects.get(credit_code="91350781MA2XN0K02H")
    assert company.status == CompanyStatus.APPLIED
    assert "邵武市好帮手家政有限公司" in page.content()

    page.context.clear_cookies()
    sign_in(page, site, "admin@example.com", "pw-for-tests-1")
    page.goto(f"{site}/centre/companies/{company.pk}/")

    def move(to_status, reason="考察合格"):
        form = page.locator(f"form:has(input[name=to_status][value={to_status}])")
        reason_box = form.locator("textarea[name=reason]")
        if reason_box.count():
            reason_box.fill(reason)
        return form

    move("under_inspection").locator("button[type=submit]").click()
    page.wait_for_load_state()
    move("approved").locator("button[type=submit]").click()
    page.wait_for_load_state()
    form = move("contracted", "签订加盟协议")
    today = timezone.localdate()
    form.locator("input[name='agreement-term_start']").fill((today - datetime.timedelta(days=1)).isoformat())
    form.locator("input[name='agreement-term_end']").fill((today + datetime.timedelta(days=364)).isoformat())
    form.locator("input[name='agreement-service_hours']").fill("08:00–20:00")
    form.locator("textarea[name='agreement-service_norms']").fill("按指导价收费")
    form.locator("textarea[name='agreement-dispute_handling']").fill("中心调解")
    form.locator("textarea[name='agreement-legal_liability']").fill("依法赔偿")
    form.locator("input[name='agreement-signed_on']").fill((today - datetime.timedelta(days=2)).isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    company.refresh_from_db()
    assert company.status == CompanyStatus.CONTRACTED
    assert list(company.status_changes.values_list("to_status", flat=True)) == [
        CompanyStatus.APPLIED, CompanyStatus.UNDER_INSPECTION, CompanyStatus.APPROVED, CompanyStatus.CONTRACTED,
    ]
