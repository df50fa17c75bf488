"""``{% job_payment_badge job "payment-request" %}``: a job's payment state with a link to its payment page,
for the request, company-job and centre pages (which belong to other apps)."""
from django import template
from django.urls import NoReverseMatch, reverse

from marketplace.payments import selectors

register = template.Library()


@register.inclusion_tag("payments/_badge.html")
def job_payment_badge(job, url_name: str = "payment-request"):
    summary = selectors.job_payment_summary(request=job) if job.final_price is not None else None
    try:
        url = reverse(url_name, args=[job.pk])
    except NoReverseMatch:  # the payments URLs are not included
        url = ""
    return {"job": job, "summary": summary, "url": url}
