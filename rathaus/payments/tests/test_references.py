import string

import pytest
from stdnum import iso11649

from rathaus.payments.references import (
    payment_reference_candidates,
    payment_reference_clean,
    payment_reference_make,
)


def test_the_check_digits_follow_iso_11649():
    # The example of the standard: RF18 5390 0754 7034.
    assert payment_reference_clean("RF18 5390 0754 7034") == "RF18539007547034"
    assert payment_reference_clean("RF17 5390 0754 7034") == ""
    reference = payment_reference_make(year=2026, number=42)
    assert reference == "RF0520260000042"
    assert iso11649.is_valid(reference)


def test_references_have_one_width_so_none_begins_another():
    references = {payment_reference_make(year=2026, number=n) for n in (1, 42, 9_999_999)}
    assert {len(r) for r in references} == {15}
    with pytest.raises(ValueError):
        payment_reference_make(year=2026, number=10_000_000)
    with pytest.raises(ValueError):
        payment_reference_make(year=2026, number=0)


def test_every_single_typing_error_and_swap_is_caught():
    reference = payment_reference_make(year=2026, number=4711)
    body = reference[2:]
    for position, original in enumerate(body):
        for replacement in string.digits:
            if replacement != original:
                typo = "RF" + body[:position] + replacement + body[position + 1 :]
                assert not iso11649.is_valid(typo), typo
    for position in range(len(body) - 1):
        if body[position] != body[position + 1]:
            swapped = list(body)
            swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
            assert not iso11649.is_valid("RF" + "".join(swapped)), swapped


@pytest.mark.parametrize(
    "text",
    [
        "RF0520260000042",
        "rf05 2026 0000 042",
        "Gebuehr RF05 2026 0000 042 Bewohnerparkausweis Lena",
        "Gebuehr RF 05 20260000042, danke",
        "Az WUP-104-2026-00042 rf052026 0000042",
    ],
)
def test_a_reference_is_found_in_free_text_with_spaces_and_lower_case(text):
    assert payment_reference_candidates(text)[0] == "RF0520260000042"


def test_the_reading_that_ends_with_a_word_comes_first():
    # Readings that swallow the next word can have valid check digits by chance: a reference
    # that ends where the word ends is the likelier one.
    for number in range(300):
        text = f"RF18 5390 0754 7034 Sammelzahlung {number}"
        assert payment_reference_candidates(text)[0] == "RF18539007547034"


def test_text_without_a_valid_reference_has_no_candidates():
    assert payment_reference_candidates("Meldebescheinigung Lena Weber") == []
    assert payment_reference_candidates("RF06 2026 0000 042") == []  # a wrong check digit
    assert payment_reference_candidates("") == []
