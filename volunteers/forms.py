"""Forms of the volunteer, team and centre pages. They only carry input: the rules (hours in hundredths,
who may approve, a decline needs a reason, reports due by the 10th) live in volunteers.services, whose
refusals the views put on these forms' fields."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Region
from volunteers.models import Team, Volunteer


def _text(size: int = 30, **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"size": size, **attrs})


class HoursField(forms.CharField):
    """Text, not DecimalField: volunteers.services.parse_hours refuses a third decimal place instead of
    rounding it, and says so."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Hours"))
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("widget", _text(6, inputmode="decimal"))
        super().__init__(**kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False, widget=_text(30))


class CheckForm(forms.Form):
    """Check in or out: the place is where the phone says the member is."""

    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, widget=_text(10))
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, widget=_text(10))
    place = forms.CharField(label=_("Place"), max_length=200, required=False, widget=_text(20))


class HoursLogForm(forms.Form):
    hours = HoursField()
    service_date = forms.DateField(label=_("Date"), widget=DateInput)
    description = forms.CharField(label=_("What was done"), max_length=300, required=False, widget=_text(30))


class LeadHoursForm(HoursLogForm):
    """A lead records hours afterwards for a member on one of the team's jobs."""

    volunteer = forms.ModelChoiceField(label=_("Member"), queryset=Volunteer.objects.none())
    assignment = forms.ChoiceField(label=_("Job"))

    def __init__(self, *args, members, jobs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = members
        self.fields["assignment"].choices = [(job.pk, f"#{job.request_id} {job.request.product.title}") for job in jobs]
        self.order_fields(["volunteer", "assignment", "hours", "service_date", "description"])


class MembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=Volunteer.objects.none(),
                                             widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class CompleteForm(forms.Form):
    resolution = forms.CharField(label=_("What the team did"), max_length=1000, required=False, widget=_text(40))


class CorrectForm(forms.Form):
    corrected_hours = HoursField(label=_("Should be (hours)"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False, widget=_text(30))


class CertificateForm(forms.Form):
    CENTRE = "centre"

    issuer = forms.ChoiceField(label=_("Issued by"))
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [(self.CENTRE, _("the service centre (all my records)"))] + [
            (str(team.pk), team.name) for team in teams
        ]
        self.teams = {str(team.pk): team for team in teams}

    def issuing_team(self) -> Team | None:
        return self.teams.get(self.cleaned_data["issuer"])


class VisitForm(forms.Form):
    region = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.order_by("level", "code"))
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput)
    hours = HoursField()
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False, widget=_text(40))


class VisitReportForm(forms.Form):
    report = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 50}))


class DispatchForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.filter(active=True))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False, widget=_text(30))


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False, widget=_text(40))
    region = forms.ModelChoiceField(label=_("Where"), queryset=Region.objects.order_by("level", "code"), required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))


class AttendanceForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.select_related("user"))
    hours = HoursField(required=False, help_text=_("Empty: the activity's length."))


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=32, widget=_text(24))
