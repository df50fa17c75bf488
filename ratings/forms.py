"""Forms of the quality loop's pages. They carry input only: the rules (scores 1–5, a reason where one
is needed, the edit and reopen windows) live in ratings.services, whose refusals the views put on
these forms' fields."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ratings.models import CallBackOutcome, ComplaintCategory, RenewalReview

STARS = [(n, "★" * n) for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    overall = forms.TypedChoiceField(label=_("Overall"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    punctuality = forms.TypedChoiceField(label=_("Punctuality"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    attitude = forms.TypedChoiceField(label=_("Attitude"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    quality = forms.TypedChoiceField(label=_("Quality of work"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("What went wrong"), choices=ComplaintCategory.choices)
    description = forms.CharField(label=_("What happened"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4, "required": True}))
    evidence_text = forms.CharField(label=_("Evidence"), max_length=4000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("Receipts, times, names, what was said."))
    evidence_file = forms.FileField(label=_("Evidence file (photo, receipt)"), required=False)


class CentreComplaintForm(ComplaintForm):
    """An agent enters a complaint taken on the phone: the request is named by its number."""

    request_id = forms.IntegerField(label=_("Request number"), min_value=1)
    field_order = ["request_id", "category", "description", "evidence_text", "evidence_file"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "required": True}))


class ComplaintDecisionForm(ReasonForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("upheld", _("uphold")), ("rejected", _("reject"))],
                                 widget=forms.RadioSelect)
    field_order = ["decision", "reason"]


class ComplaintResponseForm(forms.Form):
    response = forms.CharField(label=_("Your response"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3, "required": True}))


class CallBackAttemptForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Reached the resident?"), choices=[("yes", _("yes")), ("no", _("no answer"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(label=_("Answer"), choices=[("", "—")] + CallBackOutcome.choices, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RenewalDecisionForm(ReasonForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=RenewalReview.Recommendation.choices, widget=forms.RadioSelect)
    field_order = ["decision", "reason"]


class ReportMonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
