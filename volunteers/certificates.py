"""The certificate as a PDF (志愿服务记录证明), drawn by WeasyPrint from an HTML template with the
system's CJK font (Noto Sans CJK SC, Debian package fonts-noto-cjk).

The PDF is rendered from the certificate's snapshot each time, so the same certificate always prints
the same figures. It is an official Chinese document, so it is always rendered in Chinese.
"""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from volunteers.models import Certificate, HoursEntry, Identity

# The document's name under the Ministry of Civil Affairs' rules on volunteer service records.
DOCUMENT_TITLE = "志愿服务记录证明"
KIND_NAMES = {
    HoursEntry.Kind.TEAM_JOB: "公益服务",
    HoursEntry.Kind.DISTRICT_VISIT: "代表联系走访",
    HoursEntry.Kind.CENTRE_ACTIVITY: "中心组织活动",
}
IDENTITY_NAMES = {
    Identity.PARTY_MEMBER: "党员",
    Identity.PARTY_DEPUTY: "党代表",
    Identity.PEOPLES_CONGRESS_DEPUTY: "人大代表",
    Identity.CPPCC_MEMBER: "政协委员",
    Identity.YOUTH_VOLUNTEER: "青年志愿者",
    Identity.OTHER: "志愿者",
}


def certificate_context(*, certificate: Certificate, verify_url: str = "") -> dict:
    return {
        "certificate": certificate,
        "title": DOCUMENT_TITLE,
        "identities": "、".join(IDENTITY_NAMES.get(code, code) for code in certificate.holder_identities) or "志愿者",
        "activities": [{**row, "kind_name": KIND_NAMES.get(row["kind"], row["kind"])} for row in certificate.activities],
        "verify_url": verify_url,
    }


def certificate_pdf(*, certificate: Certificate, verify_url: str = "") -> bytes:
    """The certificate's PDF bytes."""
    from weasyprint import HTML  # imported here: only certificate downloads need it

    with translation.override("zh-hans"):
        html = render_to_string("volunteers/certificate_pdf.html", certificate_context(certificate=certificate, verify_url=verify_url))
    return HTML(string=html).write_pdf()
