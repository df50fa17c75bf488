import pytest
pytestmark = pytest.mark.django_db
def test_debug(client, resident, sms):
    from django.conf import settings
    for i in range(5):
        r = client.post("/accounts/login/code/", {"phone": "+8613900000001"})
        print("R", i, r.status_code, r.get("Location"), len(sms.outbox))
    print("CACHE", settings.CACHES, getattr(settings, "ACCOUNT_RATE_LIMITS", "unset"))
    assert 0
