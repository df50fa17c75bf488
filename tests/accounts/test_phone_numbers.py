"""One function turns what people type into the stored E.164 number (marketplace.phones)."""
import pytest

from marketplace.forms import PhoneNumberField
from marketplace.phones import InvalidPhone, normalise_mobile, normalise_phone


@pytest.mark.parametrize("typed", [
    "13900000001", " 13900000001 ", "139 0000 0001", "139-0000-0001", "(139) 0000-0001",
    "+8613900000001", "+86 139 0000 0001", "8613900000001", "008613900000001",
    "１３９００００００01",  # full-width digits from a Chinese input method
])
def test_mainland_mobiles_become_plus_86(typed):
    assert normalise_phone(typed) == "+8613900000001"
    assert normalise_mobile(typed) == "+8613900000001"


def test_other_countries_keep_their_code():
    assert normalise_mobile("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("typed", ["", "12345", "call me", "23900000001", "1390000000", "05996123456", "+0123456789",
                                   "+1234567890123456"])
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(InvalidPhone) as refused:
        normalise_phone(typed)
    assert refused.value.code == "invalid_phone"


def test_a_mainland_landline_is_a_phone_but_not_an_account_number():
    assert normalise_phone("+865996123456") == "+865996123456"  # the hotline may take it
    with pytest.raises(InvalidPhone):
        normalise_mobile("+865996123456")  # cannot receive sign-in codes


def test_the_form_field_gives_e164_or_a_clear_error():
    from django.core.exceptions import ValidationError

    field = PhoneNumberField(required=True)
    assert field.clean("139 0000 0001") == "+8613900000001"
    with pytest.raises(ValidationError) as refused:
        field.clean("12345")
    assert "11 digits such as 13900000001" in str(refused.value.messages)
