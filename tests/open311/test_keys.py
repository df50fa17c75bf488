"""Partner keys: issued by an administrator (service, command or admin), shown once, stored as a hash."""
import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command

from marketplace.errors import DomainError
from marketplace.models import Open311Client, ServiceRequest
from marketplace.open311.services import open311_client_issue, open311_client_key_rotate
from tests.open311.conftest import BASE


def stored_text(client: Open311Client) -> str:
    """Every stored value of the client and of its account, as one string."""
    values = [str(getattr(client, f.attname)) for f in Open311Client._meta.concrete_fields]
    values += [str(getattr(client.user, f.attname)) for f in client.user._meta.concrete_fields]
    return " ".join(values)


def test_the_raw_key_is_never_stored_only_its_sha256_hash(partner):
    client, raw_key = partner
    client.refresh_from_db()

    assert client.api_key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert raw_key not in stored_text(client)
    assert len(raw_key) >= 40


def test_the_partner_account_cannot_sign_in_and_holds_no_role(partner):
    account = partner[0].user

    assert not account.has_usable_password()
    assert not account.groups.exists()
    assert account.get_full_name() == "邵武随手拍"


def test_only_an_administrator_issues_keys(agent, db):
    with pytest.raises(DomainError) as refusal:
        open311_client_issue(name="随手拍", issued_by=agent)
    assert refusal.value.code == "not_administrator"
    assert not Open311Client.objects.exists()


def test_a_name_is_issued_only_once(partner, administrator):
    with pytest.raises(DomainError) as refusal:
        open311_client_issue(name="邵武随手拍", issued_by=administrator)
    assert refusal.value.code == "name_taken"


def test_the_command_prints_a_working_key_once(client, catalogue, administrator, post_fields, frozen_now):
    out = io.StringIO()

    call_command("issue_open311_key", "12345热线", actor="admin@example.com", stdout=out)

    raw_key = out.getvalue().strip().splitlines()[-1]
    partner = Open311Client.objects.get(name="12345热线")
    assert partner.api_key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert partner.issued_by == administrator
    assert client.post(f"{BASE}/requests.json", post_fields(api_key=raw_key)).status_code == 201


@pytest.mark.parametrize("actor", ["agent@example.com", "nobody@example.com"])
def test_the_command_refuses_anyone_but_an_administrator(agent, actor):
    with pytest.raises(CommandError):
        call_command("issue_open311_key", "随手拍", actor=actor, stdout=io.StringIO())
    assert not Open311Client.objects.exists()


def test_a_rotated_key_replaces_the_old_one(client, catalogue, partner, administrator, post_fields, frozen_now):
    new_key = open311_client_key_rotate(client=partner[0], actor=administrator)

    assert client.post(f"{BASE}/requests.json", post_fields(api_key=partner[1])).status_code == 403
    assert client.post(f"{BASE}/requests.json", post_fields(api_key=new_key)).status_code == 201


@pytest.fixture
def admin_client(client, administrator):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    return client


def test_the_admin_issues_a_key_and_shows_it_once(admin_client):
    response = admin_client.post("/admin/marketplace/open311client/add/", {"name": "网格员App"}, follow=True)

    assert response.status_code == 200
    partner = Open311Client.objects.get(name="网格员App")
    [raw_key] = [key for m in response.context["messages"] for key in re.findall(r"[A-Za-z0-9_-]{43}", str(m))]
    assert hashlib.sha256(raw_key.encode()).hexdigest() == partner.api_key_hash
    assert raw_key not in admin_client.get(f"/admin/marketplace/open311client/{partner.pk}/change/").content.decode()


def test_the_admin_shows_the_hash_read_only(admin_client, partner):
    page = admin_client.get(f"/admin/marketplace/open311client/{partner[0].pk}/change/").content.decode()

    assert partner[0].api_key_hash in page
    assert 'name="api_key_hash"' not in page
    assert partner[1] not in page


def test_the_admin_action_rotates_and_revokes_keys(admin_client, partner):
    url = "/admin/marketplace/open311client/"
    response = admin_client.post(url, {"action": "rotate_keys", "_selected_action": [partner[0].pk]}, follow=True)
    partner[0].refresh_from_db()
    assert hashlib.sha256(partner[1].encode()).hexdigest() != partner[0].api_key_hash
    assert len(list(response.context["messages"])) == 1

    admin_client.post(url, {"action": "deactivate", "_selected_action": [partner[0].pk]})
    partner[0].refresh_from_db()
    assert partner[0].active is False


def test_requests_posted_with_a_key_are_created_by_the_partner_account(client, catalogue, partner, post_fields,
                                                                      frozen_now):
    client.post(f"{BASE}/requests.json", post_fields(api_key=partner[1]))

    assert ServiceRequest.objects.get().created_by == partner[0].user
