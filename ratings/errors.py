"""Refusals of the ratings app. Each has a stable code; the message names the rule and the numbers."""
from marketplace.errors import DomainError


class RatingInvalid(DomainError):
    code = "rating_invalid"


class RatingLocked(DomainError):
    """The edit window is over."""

    code = "rating_locked"


class CallBackInvalid(DomainError):
    code = "callback_invalid"


class ComplaintInvalid(DomainError):
    code = "complaint_invalid"


class ComplaintIllegalTransition(DomainError):
    code = "illegal_transition"


class ReinstatementInvalid(DomainError):
    code = "reinstatement_invalid"


class RenewalInvalid(DomainError):
    code = "renewal_invalid"


class ReportInvalid(DomainError):
    code = "report_invalid"
