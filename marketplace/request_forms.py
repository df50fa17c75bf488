"""Forms of the request pages: a resident raising a request, the centre's hotline intake, and the
agents' verbs. They only collect and shape input; every rule (item offered, answers, time window,
phone, reasons) is checked by marketplace.services / matching.services, whose refusals the views put
back on the form (``add_domain_error``)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace import selectors_catalogue
from marketplace.errors import DomainError
from marketplace.models import LinkedUnit, Region
from marketplace.phones import InvalidPhone, normalise_phone
from providers.selectors import contracted_companies

# Which field a service refusal belongs on, by its error code; anything else shows above the form.
ERROR_FIELDS = {
    "description_missing": "description",
    "invalid_location": "latitude",
    "window_missing": "window_start",
    "window_invalid": "window_end",
    "window_past": "window_end",
    "invalid_phone": "contact_phone",
}

ANSWER_PREFIX = "answer_"
DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CoordinateField(forms.DecimalField):
    """Degrees kept to six decimal places (about 0.1 m). Phones report more digits than that, so extra
    ones are rounded rather than refused (coordinates are not money); the range is the service's check."""

    STEP = Decimal("0.000001")

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_digits=9, decimal_places=6, **kwargs)
        self.widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.quantize(self.STEP, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        return f"{region.parent.name} / {region.name}" if region.parent_id else region.name


def community_field(**kwargs) -> CommunityChoiceField:
    return CommunityChoiceField(
        queryset=Region.objects.filter(level=Region.Level.COMMUNITY).select_related("parent").order_by("code"),
        required=False,
        label=_("Community"),
        empty_label=_("— not sure —"),
        **kwargs,
    )


# --- booking questions -----------------------------------------------------------------------------


def question_field(question) -> forms.Field:
    """A form field for one booking question (an Oscar ProductAttribute of the item's product class)."""
    common = {"label": question.name, "required": question.required}
    if question.type == "integer":
        return forms.IntegerField(**common)
    if question.type == "float":
        return forms.DecimalField(**common)
    if question.type == "boolean":
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes", empty_value=None,
            widget=forms.RadioSelect, **common,
        )
    if question.type in ("option", "multi_option") and question.option_group_id:
        options = [(o.option, o.option) for o in question.option_group.options.all()]
        if question.type == "multi_option":
            return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        return forms.ChoiceField(choices=[("", "—")] + options, **common)
    if question.type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=500, **common)


def answer_value(value):
    """A cleaned answer as JSON keeps it (numbers and dates as text, yes/no as true/false)."""
    if isinstance(value, (bool, int, list)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --- raising a request -----------------------------------------------------------------------------


class RequestFieldsForm(forms.Form):
    """What a request is about, shared by the resident's page and the hotline screen."""

    WHEN_ASAP, WHEN_SCHEDULED = "asap", "scheduled"

    description = forms.CharField(label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    address = forms.CharField(label=_("Address"), max_length=255)
    latitude = CoordinateField(label=_("Latitude"))
    longitude = CoordinateField(label=_("Longitude"))
    region = community_field(help_text=_("If you give no location, the community's centre is used."))
    when = forms.ChoiceField(
        label=_("When"), initial=WHEN_ASAP, widget=forms.RadioSelect,
        choices=[(WHEN_ASAP, _("As soon as possible")), (WHEN_SCHEDULED, _("In a time window"))],
    )
    window_start = forms.DateTimeField(label=_("From"), required=False, widget=DATETIME_LOCAL)
    window_end = forms.DateTimeField(label=_("Until"), required=False, widget=DATETIME_LOCAL)
    public_interest = forms.BooleanField(
        label=_("Public-interest work (free, for volunteers)"), required=False,
        help_text=_("Tick when the work serves the neighbourhood rather than one household."),
    )
    # Made once when the form is shown: a form sent twice (double click, retry) raises one request.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question_codes = []
        for question in questions:
            name = ANSWER_PREFIX + question.code
            self.fields[name] = question_field(question)
            self.question_codes.append(question.code)

    @property
    def answer_fields(self):
        return [self[ANSWER_PREFIX + code] for code in self.question_codes]

    def clean(self):
        cleaned = super().clean()
        latitude, longitude, region = cleaned.get("latitude"), cleaned.get("longitude"), cleaned.get("region")
        if latitude is None and longitude is None and "latitude" not in self.errors and "longitude" not in self.errors:
            if region is None:
                self.add_error("latitude", _("Give the location (or choose the community)."))
            else:
                cleaned["latitude"], cleaned["longitude"] = region.latitude, region.longitude
        elif (latitude is None) != (longitude is None):
            self.add_error("latitude" if latitude is None else "longitude", _("Give both latitude and longitude."))
        return cleaned

    def answers(self) -> dict:
        answers = {}
        for code in self.question_codes:
            value = self.cleaned_data.get(ANSWER_PREFIX + code)
            if value not in (None, "", []):
                answers[code] = answer_value(value)
        return answers

    def request_fields(self) -> dict:
        """The cleaned fields named as ``marketplace.services.request_create`` takes them."""
        data = self.cleaned_data
        scheduled = data["when"] == self.WHEN_SCHEDULED
        return {
            "description": data["description"],
            "answers": self.answers(),
            "address": data["address"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "region": data["region"],
            "as_soon_as_possible": not scheduled,
            "window_start": data["window_start"] if scheduled else None,
            "window_end": data["window_end"] if scheduled else None,
            "public_interest": data["public_interest"],
            "idempotency_key": data["idempotency_key"] or None,
        }

    def add_domain_error(self, error: DomainError) -> None:
        field = ERROR_FIELDS.get(error.code)
        self.add_error(field if field in self.fields else None, str(error.message))


def phone_checked(value: str) -> str:
    """The typed number, refused on the field when it is not a phone number (the service's own check)."""
    try:
        normalise_phone(value)
    except InvalidPhone as exc:
        raise ValidationError(str(exc.message), code=exc.code) from None
    return value.strip()


class ResidentRequestForm(RequestFieldsForm):
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=20, help_text=_("The company calls you on this number once it accepts."),
    )

    field_order = ("description", "address", "latitude", "longitude", "region", "when", "window_start", "window_end",
                   "contact_phone", "public_interest", "idempotency_key")

    def clean_contact_phone(self):
        return phone_checked(self.cleaned_data["contact_phone"])


class ItemChoiceField(forms.ChoiceField):
    """The public items, grouped under their categories (an item in two categories shows twice)."""

    def __init__(self, **kwargs):
        super().__init__(choices=self.grouped_items, **kwargs)

    @staticmethod
    def grouped_items():
        sections = selectors_catalogue.catalogue_sections(
            items=list(selectors_catalogue.catalogue_items()),
            categories=list(selectors_catalogue.catalogue_categories()),
        )
        choices = [("", "—")]
        for section in sections:
            group = section.category.name if section.category else str(_("Other services"))
            choices.append((group, [(str(item.pk), item.title) for item in section.items]))
        return choices

    def clean(self, value):
        value = super().clean(value)
        item = selectors_catalogue.catalogue_item_get(pk=int(value))
        if item is None:
            raise ValidationError(_("This service is not offered."), code="unknown_service")
        return item


class HotlineForm(RequestFieldsForm):
    """One fast screen for a call: who calls, about what, where, when."""

    phone = forms.CharField(
        label=_("Caller's phone"), max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Caller's name"), max_length=150, required=False,
                           help_text=_("Kept for a caller we do not know yet."))
    item = ItemChoiceField(label=_("Service"))

    field_order = ("phone", "name", "item", "description", "address", "latitude", "longitude", "region", "when",
                   "window_start", "window_end", "public_interest", "idempotency_key")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("What the caller needs")
        self.fields["latitude"].help_text = _("Optional: without it, the community's centre is used.")

    def clean_phone(self):
        return phone_checked(self.cleaned_data["phone"])

    def add_domain_error(self, error: DomainError) -> None:
        if error.code == "invalid_phone":
            self.add_error("phone", str(error.message))
            return
        super().add_domain_error(error)


# --- residents' cancel and the centre's verbs --------------------------------------------------------


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why do you cancel?"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HandleAtOnceForm(forms.Form):
    resolution = forms.CharField(label=_("Answer given to the resident"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)


class LinkedUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({_('duty')}: {unit.duty_contact_name} {unit.duty_contact_phone})"


class TransferForm(forms.Form):
    unit = LinkedUnitChoiceField(queryset=LinkedUnit.objects.order_by("kind", "code"), label=_("Linked unit"))
    reason = forms.CharField(label=_("Why this unit"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, company):
        return company.legal_name


class DispatchForm(forms.Form):
    company = CompanyChoiceField(queryset=contracted_companies().order_by("legal_name", "pk"), label=_("Company"))
    reason = forms.CharField(label=_("Why this company"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RestartMatchingForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class UnitReportForm(forms.Form):
    result = forms.CharField(label=_("What the unit did"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CentreRequestFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, label=_("Status"))
    q = forms.CharField(required=False, max_length=40, label=_("Phone or request number"))

    def __init__(self, *args, **kwargs):
        from marketplace.models import RequestStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(RequestStatus.choices)
