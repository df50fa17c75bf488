"""Refusals of the admission process."""
from marketplace.errors import DomainError, IllegalTransition  # noqa: F401


class QuotaFull(DomainError):
    code = "category_quota_full"


class AgreementInvalid(DomainError):
    code = "agreement_invalid"


class ApplicationInvalid(DomainError):
    code = "application_invalid"
