"""The quality loop played once on the demo city, through the same services the pages use: a resident's
job is matched, done and rated, an agent calls back, a complaint goes through review (upheld: one of
the three that would remove the company), and the month's report is generated, so the centre's
pages and the public league table have something to show. Idempotent: a second run does nothing.

Called by ``manage.py demo_quality_loop`` (after ``load_demo_city``).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.models import ServiceItemProfile, ServiceRequest
from marketplace.services import job_arrive, job_complete, job_set_off, request_create
from matching.models import Offer
from matching.services import offer_accept, requests_assign_waiting
from providers.models import CompanyStatus
from ratings import selectors, services
from ratings.models import CallBack, Rating

StockRecord = get_model("partner", "StockRecord")
DEMO_KEY = "demo-quality-loop"


@dataclass
class QualityLoopDemo:
    request: ServiceRequest
    rating: Rating
    complaint_id: int
    report_rows: int
    created: bool


def _answers(product) -> dict:
    """Plausible answers to the item's required booking questions."""
    answers = {}
    for attribute in product.get_product_class().attributes.filter(required=True).select_related("option_group"):
        if attribute.type == "option" and attribute.option_group_id:
            answers[attribute.code] = attribute.option_group.options.values_list("option", flat=True).first()
        elif attribute.type == "integer":
            answers[attribute.code] = "1"
        elif attribute.type == "boolean":
            answers[attribute.code] = True
        else:
            answers[attribute.code] = "演示"
    return answers


@transaction.atomic
def quality_loop_demo_run(*, resident, agent) -> QualityLoopDemo:
    existing = ServiceRequest.objects.filter(created_by=resident, idempotency_key=DEMO_KEY).first()
    if existing is not None and hasattr(existing, "rating"):
        complaint = existing.complaints.order_by("pk").first()
        return QualityLoopDemo(existing, existing.rating, complaint.pk if complaint else 0, 0, created=False)

    stock = (
        StockRecord.objects.filter(partner__company__status=CompanyStatus.CONTRACTED,
                                   product__service_profile__served_by=ServiceItemProfile.ServedBy.COMPANY,
                                   product__is_public=True)
        .select_related("partner__company", "product").order_by("partner__company__pk", "product__pk").first()
    )
    if stock is None:
        raise LookupError("no contracted company with a contracted price: load the demo city first")
    company = stock.partner.company
    request, _created = request_create(
        resident=resident, created_by=resident, product=stock.product, description="演示：上门服务一次",
        address="演示地址", latitude=company.base_latitude, longitude=company.base_longitude,
        contact_phone=resident.phone or "13900000001", channel=ServiceRequest.Channel.WEB,
        answers=_answers(stock.product), idempotency_key=DEMO_KEY,
    )
    requests_assign_waiting()
    offer = Offer.objects.select_related("company").get(request=request, status=Offer.Status.PENDING)
    worker, staff = offer.company, offer.company.partner.users.first()
    offer_accept(offer_id=offer.pk, company=worker, actor=staff)
    request.refresh_from_db()
    job_set_off(request=request, company=worker, actor=staff)
    job_arrive(request=request, company=worker, actor=staff)
    price = StockRecord.objects.get(partner=worker.partner, product=request.product).price
    job_complete(request=request, company=worker, actor=staff, final_price=f"{price:.2f}")
    request.refresh_from_db()

    rating = services.rating_give(request=request, resident=resident, overall=4, punctuality=5, attitude=4, quality=4,
                                  comment="师傅很准时，活干得不错")
    services.callbacks_enqueue()
    services.callback_attempt_record(callback=CallBack.objects.get(request=request), agent=agent, reached=True,
                                     outcome="basically_satisfied", notes="居民表示基本满意")
    complaint = services.complaint_file(request=request, filed_by=resident, category="attitude",
                                        description="师傅离开时没有清理现场", evidence_text="现场照片")
    services.complaint_respond(complaint=complaint, company=worker, actor=staff, response="已批评教育，并上门清理")
    services.complaint_review_start(complaint=complaint, agent=agent)
    services.complaint_decide(complaint=complaint, agent=agent, upheld=True, reason="核实属实，企业已整改")
    rows = services.monthly_report_generate(month=selectors.month_bounds(month=timezone.localdate())[0])
    request.refresh_from_db()
    return QualityLoopDemo(request, rating, complaint.pk, len(rows), created=True)
