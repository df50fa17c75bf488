"""The centre page explains why the matcher chose a company: every candidate with its distance, each
part of its score, the total cost and which one was chosen; and the offers with their outcome."""
import pytest
from django.urls import reverse

from matching.models import Offer
from matching.services import offer_decline, requests_assign_waiting

pytestmark = [pytest.mark.django_db]


def test_the_match_table_shows_each_candidates_score_parts_after_matching(client, agent, companies, raise_request):
    service_request = raise_request()
    requests_assign_waiting()
    client.force_login(agent)

    response = client.get(reverse("centre-request-detail", args=[service_request.pk]))

    [table] = response.context["match_tables"]
    assert table["part_names"] == ["distance", "rating", "acceptance", "load", "fairness"]
    assert [row["company_name"] for row in table["rows"]] == [c.legal_name for c in companies]
    assert [row["chosen"] for row in table["rows"]] == [True, False, False]
    assert all(len(row["part_values"]) == 5 for row in table["rows"])
    page = response.content.decode()
    section = page.split("Why a company was chosen")[1]
    for header in ("Distance (km)", "distance", "rating", "acceptance", "load", "fairness", "Cost (lower is better)"):
        assert f">{header}</th>" in section
    assert "✔ chosen" in section
    assert f"{table['rows'][0]['distance_km']:.3f}" in section


def test_the_offers_table_shows_each_offers_outcome(client, agent, companies, raise_request, company_user):
    service_request = raise_request()
    requests_assign_waiting()
    first = Offer.objects.get(request=service_request)
    offer_decline(offer_id=first.pk, company=companies[0], actor=company_user, reason="人手不足")
    requests_assign_waiting()
    client.force_login(agent)

    page = client.get(reverse("centre-request-detail", args=[service_request.pk])).content.decode()

    offers = page.split(">Offers made</h2>")[1].split("</table>")[0]
    assert companies[0].legal_name in offers and "declined: 人手不足" in offers
    assert companies[1].legal_name in offers and "waiting for an answer" in offers
