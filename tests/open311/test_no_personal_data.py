"""The public API never shows who asked: no phone, name, email or account of the resident."""
from marketplace.models import ServiceRequest
from tests.open311.conftest import BASE

SECRETS = ["13900000077", "+8613900000077", "林阿姨", "lin@example.com", "resident@example.com", "13900000001"]


def test_no_response_carries_the_residents_personal_data(client, catalogue, partner, post_fields, raise_request,
                                                         frozen_now):
    web = raise_request(description="保洁，到了请打13900000001")
    posted = client.post(f"{BASE}/requests.json", post_fields(
        api_key=partner[1], description="林阿姨家厨房，电话13900000077", account_id=None,
    ))
    ours = ServiceRequest.objects.get(pk=posted.json()[0]["service_request_id"])
    assert ours.resident.get_full_name() == "林阿姨"

    bodies = [posted.content]
    for format in ("xml", "json"):
        bodies.append(client.get(f"{BASE}/requests.{format}").content)
        for request in (web, ours):
            bodies.append(client.get(f"{BASE}/requests/{request.pk}.{format}").content)
        bodies.append(client.get(f"{BASE}/tokens/{posted['X-Open311-Token']}.{format}").content)

    for body in bodies:
        text = body.decode("utf-8")
        for secret in SECRETS:
            assert secret not in text
    [shown] = client.get(f"{BASE}/requests/{ours.pk}.json").json()
    assert shown["description"] == "**家厨房，电话139****0077"
