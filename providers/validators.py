"""Validation of the unified social credit code (统一社会信用代码, GB 32100-2015), checksum included."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError


def validate_credit_code(value: str) -> None:
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("%(value)s is not a valid unified social credit code (%(why)s)."),
            code="invalid_credit_code",
            params={"value": value, "why": exc.message},
        ) from exc


def credit_code_complete(first_17: str) -> str:
    """Append the GB 32100 check character to 17 characters (used by the demo data and tests)."""
    return first_17 + uscc.calc_check_digit(first_17)
