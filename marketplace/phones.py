"""Phone numbers are stored in E.164. Mainland mobiles are typed as 11 digits; they gain +86."""
from django.utils.translation import gettext as _

from marketplace.errors import DomainError


class InvalidPhone(DomainError):
    code = "invalid_phone"


def normalise_phone(phone: str) -> str:
    digits = str(phone).replace(" ", "").replace("-", "")
    if len(digits) == 11 and digits.isdigit() and digits.startswith("1"):
        digits = "+86" + digits
    if not (digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) <= 16):
        raise InvalidPhone(_("%(phone)s is not a phone number.") % {"phone": phone})
    return digits
