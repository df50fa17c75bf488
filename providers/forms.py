"""Web forms for companies and the centre. They validate fields only; the admission rules live in
providers.services, which the views call with the cleaned data."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from stdnum.cn import uscc

from marketplace.models import Region
from providers.models import Agreement, Company

Category = get_model("catalogue", "Category")

# Fields the applicant fills in; everything else (partner, status) is set by company_apply.
APPLICATION_FIELDS = [
    "legal_name",
    "credit_code",
    "licence_number",
    "contact_name",
    "contact_phone",
    "categories",
    "base_latitude",
    "base_longitude",
    "base_region",
    "service_regions",
    "service_radius_km",
    "opens_at",
    "closes_at",
    "capacity",
]
# Relations company_apply sets itself after creating the company.
_RELATION_FIELDS = ("categories", "service_regions")


class CompanyApplicationForm(forms.ModelForm):
    """The online application (自愿申报). Field errors (credit-code checksum, duplicate code, no category)
    show on their fields; the company is created by providers.services.company_apply."""

    class Meta:
        model = Company
        fields = APPLICATION_FIELDS
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "service_regions": forms.SelectMultiple(attrs={"size": 6}),
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "credit_code": _("18 characters, as printed on the business licence."),
            "opens_at": _("Opening and closing at the same time means open 24 hours."),
            "service_regions": _("Towns or communities you serve; leave empty to rely on the service radius."),
        }
        error_messages = {
            "credit_code": {"unique": _("A company with this unified social credit code has already applied.")},
            "categories": {"required": _("Choose at least one category served.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.order_by("path")
        self.fields["base_region"].queryset = Region.objects.order_by("level", "code")
        self.fields["service_regions"].queryset = Region.objects.order_by("level", "code")

    def clean_credit_code(self) -> str:
        # Store one spelling (upper case, no spaces) so the uniqueness check cannot be dodged.
        return uscc.compact(self.cleaned_data["credit_code"])

    def application_fields(self) -> dict:
        """The plain fields, as company_apply takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name not in _RELATION_FIELDS}


class AgreementForm(forms.ModelForm):
    """The franchise agreement (加盟协议) signed when a company is contracted or renewed."""

    class Meta:
        model = Agreement
        fields = [
            "term_start",
            "term_end",
            "service_hours",
            "service_norms",
            "dispute_handling",
            "legal_liability",
            "signed_on",
        ]
        widgets = {
            "term_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "term_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "service_norms": forms.Textarea(attrs={"rows": 3}),
            "dispute_handling": forms.Textarea(attrs={"rows": 2}),
            "legal_liability": forms.Textarea(attrs={"rows": 2}),
        }

    def agreement_fields(self) -> dict:
        return dict(self.cleaned_data)
