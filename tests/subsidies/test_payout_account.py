"""Company staff set their company's payout account in their portal (/companies/mine/payout-account/),
through ``payout_account_set`` and its checks; every change keeps a history row; nobody else can set it
there, and another company's account is out of reach."""
import pytest

from subsidies import services
from subsidies.errors import PayoutAccountInvalid, PayoutInvalid
from subsidies.models import PayoutAccount

pytestmark = [pytest.mark.django_db]
URL = "/companies/mine/payout-account/"
GOOD = {"account_name": "邵武市第1家政服务有限公司", "bank_name": "中国农业银行邵武市支行",
        "bank_account": "6228 4800 0000 0000 019", "wechat_openid": "", "stripe_account": "", "reason": "开户行变更"}


@pytest.fixture
def two_companies(contract_company):
    return contract_company(1), contract_company(2)


def staff_of(company):
    return company.partner.users.first()


def test_company_staff_set_their_payout_account_and_the_change_is_kept(client, two_companies):
    mine, _other = two_companies
    client.force_login(staff_of(mine))

    page = client.get(URL)
    assert page.status_code == 200 and mine.legal_name in page.content.decode()  # holder prefilled
    saved = client.post(URL, GOOD)
    assert saved.status_code == 302 and saved["Location"] == URL

    account = PayoutAccount.objects.get(company=mine)
    assert (account.account_name, account.bank_name, account.bank_account) == (
        "邵武市第1家政服务有限公司", "中国农业银行邵武市支行", "6228480000000000019")  # spaces not kept
    row = account.history.get()
    assert (row.history_user, row.history_change_reason, row.history_type) == (staff_of(mine), "开户行变更", "+")
    assert "6228480000000000019" in client.get(URL).content.decode()

    client.post(URL, GOOD)  # the same values again: nothing written
    assert account.history.count() == 1
    client.post(URL, {**GOOD, "wechat_openid": "o-MYE42l80oelYMDE34nYD456Xoy", "reason": ""})
    account.refresh_from_db()
    assert account.wechat_openid == "o-MYE42l80oelYMDE34nYD456Xoy"
    assert account.history.count() == 2 and account.history.first().history_change_reason.startswith("set by")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"account_name": "  "}, "account_name", "This field is required."),
    ({"bank_account": "6228-48OO-0000"}, "bank_account", "8 to 32 digits"),
    ({"bank_name": ""}, "bank_name", "Enter the bank"),
    ({"bank_account": "", "bank_name": ""}, "bank_account", "at least one place the money can go"),
    ({"bank_account": "", "bank_name": "", "wechat_openid": "not an openid!"}, "wechat_openid", "WeChat openid"),
    ({"bank_account": "", "bank_name": "", "stripe_account": "ba_123"}, "stripe_account", "acct_"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(client, two_companies, change, field, message):
    mine, _other = two_companies
    client.force_login(staff_of(mine))
    page = client.post(URL, {**GOOD, **change})
    assert page.status_code == 200
    assert message in str(page.context["form"].errors[field])
    assert not PayoutAccount.objects.filter(company=mine).exists()


def test_staff_reach_only_their_own_company_and_others_are_refused(client, two_companies, outsider, finance_officer,
                                                                   company_user):
    mine, other = two_companies
    services.payout_account_set(company=other, actor=staff_of(other), account_name="二公司", bank_name="中国银行邵武支行",
                                bank_account="6216610000000000002")
    client.force_login(staff_of(mine))
    client.post(URL, GOOD)
    other_account = PayoutAccount.objects.get(company=other)
    assert (other_account.account_name, other_account.bank_account) == ("二公司", "6216610000000000002")
    assert "6216610000000000002" not in client.get(URL).content.decode()

    for user, status in ((outsider, 403), (finance_officer, 403), (company_user, 404)):  # company_user: no company
        client.force_login(user)
        assert client.get(URL).status_code == status
        assert client.post(URL, GOOD).status_code == status
    client.logout()
    assert client.get(URL).status_code == 302
    assert PayoutAccount.objects.get(company=mine).history.count() == 1


def test_the_service_refuses_people_outside_the_company_and_finance_may_set_it(two_companies, outsider, finance_officer):
    mine, other = two_companies
    with pytest.raises(PayoutInvalid):
        services.payout_account_set(company=mine, actor=staff_of(other), account_name="x", bank_name="b",
                                    bank_account="12345678")
    with pytest.raises(PayoutInvalid):
        services.payout_account_set(company=mine, actor=outsider, account_name="x", bank_name="b", bank_account="12345678")
    with pytest.raises(PayoutAccountInvalid) as refused:
        services.payout_account_set(company=mine, actor=finance_officer, account_name="x", bank_account="12345678")
    assert refused.value.params == {"field": "bank_name"} and refused.value.code == "payout_account_invalid"
    assert not PayoutAccount.objects.exists()

    account = services.payout_account_set(company=mine, actor=finance_officer, account_name="一公司",
                                          stripe_account="acct_1032D82eZvKYlo2C", reason="公司书面申请")
    assert account.history.get().history_user == finance_officer


def test_the_portal_links_to_the_payout_account(client, two_companies):
    mine, _other = two_companies
    client.force_login(staff_of(mine))
    assert URL in client.get("/companies/mine/").content.decode()
    assert URL in client.get("/companies/mine/statements/").content.decode()
