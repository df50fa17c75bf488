"""Phone numbers are stored in E.164. Mainland mobiles are typed as 11 digits; they gain +86.

``normalise_phone`` is the one place that turns what a person typed into the stored form. Everything that
takes a phone number goes through it: the user manager, the hotline and request services, the request
forms, and allauth (sign-up, sign-in, sign-in by code, phone change; web and headless) through
``marketplace.adapters.AccountAdapter`` and ``PhoneNumberField`` below.
"""
import unicodedata

from django.utils.translation import gettext as _

from marketplace.errors import DomainError


class InvalidPhone(DomainError):
    code = "invalid_phone"


MAINLAND = "+86"


def _is_mainland_mobile(digits: str) -> bool:
    return len(digits) == 11 and digits.isdigit() and digits.startswith("1")


def normalise_phone(phone: str) -> str:
    """13900000001, 139 0000 0001, 139-0000-0001, 8613900000001, 008613900000001 (full-width digits too)
    → +8613900000001. Other numbers must come with their + country code."""
    digits = unicodedata.normalize("NFKC", str(phone)).strip()
    for separator in (" ", "-", "(", ")", "."):
        digits = digits.replace(separator, "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if _is_mainland_mobile(digits):
        digits = MAINLAND + digits
    elif digits.startswith("86") and _is_mainland_mobile(digits[2:]):
        digits = "+" + digits
    if not (digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) <= 16 and digits[1] != "0"):
        raise InvalidPhone(_("%(phone)s is not a phone number.") % {"phone": phone})
    return digits


def normalise_mobile(phone: str) -> str:
    """An account's number, which receives sign-in codes by text: as ``normalise_phone``, and a +86 number
    must be a mobile (1 and ten more digits), not a landline."""
    normalised = normalise_phone(phone)
    if normalised.startswith(MAINLAND) and not _is_mainland_mobile(normalised[len(MAINLAND):]):
        raise InvalidPhone(_("%(phone)s is not a mobile phone number.") % {"phone": phone})
    return normalised
