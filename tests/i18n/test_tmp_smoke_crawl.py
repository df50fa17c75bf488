import re
import pytest
PAGES = ["/", "/catalogue/", "/prices/", "/requests/", "/requests/new/", "/centre/hotline/", "/centre/requests/", "/centre/supervise/",
         "/company/offers/", "/company/jobs/", "/company/calendar/", "/company/history/", "/centre/price-changes/", "/companies/apply/",
         "/companies/mine/", "/centre/companies/", "/ratings/mine/", "/ratings/company/", "/centre/callbacks/", "/centre/complaints/",
         "/centre/complaints/new/", "/centre/complaints/removals/", "/centre/renewals/", "/centre/reports/", "/companies/league/",
         "/volunteers/", "/volunteers/hours/", "/volunteers/certificates/", "/volunteers/visits/", "/teams/", "/centre/volunteers/",
         "/centre/volunteers/duty/", "/centre/volunteers/commendations/", "/centre/volunteers/requests/", "/centre/volunteers/hours/",
         "/centre/volunteers/visits/", "/centre/volunteers/activities/", "/certificates/verify/", "/accounts/login/", "/accounts/signup/"]

def visible(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attrs = re.findall(r'(?:placeholder|title|aria-label)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", "\n", html)
    return [l.strip() for l in text.split("\n") + attrs if re.search(r"[A-Za-z]{3,}", l)]

@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anon", "resident", "agent", "administrator", "company_user", "finance_officer"])
def test_crawl(client, who, request, policy, guide_price):
    if who != "anon":
        client.force_login(request.getfixturevalue(who))
    for url in PAGES:
        r = client.get(url)
        if r.status_code != 200:
            print("STATUS", who, url, r.status_code); continue
        for line in visible(r.content.decode()):
            print("EN", who, url, "|", line[:150])
