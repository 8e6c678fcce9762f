"""Each field type: what it accepts, what it refuses (with which message), what it stores."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from rathaus.catalog.fieldtypes import FIELD_TYPES

LABEL = {"de": "Frage", "en": "Question"}
CHOICES = [
    {"value": "a", "label": {"de": "A", "en": "A"}},
    {"value": "b", "label": {"de": "B", "en": "B"}},
]


def _form(field: dict):
    field_type = FIELD_TYPES[field["type"]]
    fields = field_type.form_fields(field, required=field.get("required", True))
    return type(
        "F", (forms.Form,), {(field["id"] + ("__" + k if k else "")): v for k, v in fields.items()}
    )


def _clean(field: dict, data: dict):
    """(value stored, errors) for posted data, in English."""
    with translation.override("en"):
        form = _form(field)(data)
        if not form.is_valid():
            return None, {k: [str(e) for e in v] for k, v in form.errors.items()}
        parts = {(name.partition("__")[2]): value for name, value in form.cleaned_data.items()}
        return FIELD_TYPES[field["type"]].value(parts, field), {}


@pytest.mark.parametrize(
    ("field", "data", "stored"),
    [
        ({"type": "text"}, {"q": " Hallo "}, "Hallo"),
        ({"type": "long_text"}, {"q": "Zeile 1\nZeile 2"}, "Zeile 1\nZeile 2"),
        ({"type": "number", "min": 0}, {"q": "3"}, 3),
        ({"type": "money"}, {"q": "1.234,50"}, "1234.50"),
        ({"type": "date"}, {"q": "27.03.2026"}, "2026-03-27"),
        ({"type": "email"}, {"q": "a@example.org"}, "a@example.org"),
        ({"type": "phone"}, {"q": "0202 563-0"}, "0202 563-0"),
        ({"type": "yes_no"}, {"q": "no"}, False),
        ({"type": "choice", "choices": CHOICES}, {"q": "b"}, "b"),
        ({"type": "multiple_choice", "choices": CHOICES}, {"q": ["a", "b"]}, ["a", "b"]),
        ({"type": "iban"}, {"q": "de02 1203 0000 0000 2020 51"}, "DE02120300000000202051"),
        ({"type": "licence_plate"}, {"q": "w ab 123"}, "W-AB 123"),
        ({"type": "declaration"}, {"q": "on"}, True),
        (
            {"type": "address"},
            {
                "q__street": "Hofaue",
                "q__house_number": "12 a",
                "q__postcode": "42103",
                "q__town": "Wuppertal",
            },
            {"street": "Hofaue", "house_number": "12 a", "postcode": "42103", "town": "Wuppertal"},
        ),
    ],
    ids=lambda v: v.get("type") if isinstance(v, dict) and "type" in v else None,
)
def test_a_good_answer_is_stored(field, data, stored):
    field = {"id": "q", "label": LABEL, **field}
    value, errors = _clean(field, data)
    assert errors == {}
    assert value == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.234,50", "1234.50"), ("1234,5", "1234.50"), ("1 234 €", "1234.00"), ("99.90", "99.90")],
)
def test_money_is_read_as_people_write_it(typed, stored):
    field = {"id": "q", "type": "money", "label": LABEL}
    assert _clean(field, {"q": typed}) == (stored, {})


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ({"type": "text", "max_length": 5}, {"q": "zu lang"}, "at most 5 characters"),
        ({"type": "text"}, {"q": ""}, "This field is required."),
        ({"type": "number", "min": 0}, {"q": "-1"}, "greater than or equal to 0"),
        ({"type": "number"}, {"q": "drei"}, "Enter a whole number."),
        ({"type": "money"}, {"q": "-5"}, "greater than or equal to 0"),
        ({"type": "date"}, {"q": "31.02.2026"}, "Enter a valid date."),
        ({"type": "email"}, {"q": "kein-at"}, "Enter a valid email address."),
        ({"type": "phone"}, {"q": "abc"}, "Enter a phone number"),
        ({"type": "yes_no"}, {}, "This field is required."),
        ({"type": "choice", "choices": CHOICES}, {"q": "c"}, "Select a valid choice."),
        ({"type": "iban"}, {"q": "DE02 1203 0000 0000 2020 52"}, "Enter a valid IBAN"),
        ({"type": "licence_plate"}, {"q": "WAB123"}, "Enter a licence plate"),
        ({"type": "declaration"}, {}, "This field is required."),
    ],
)
def test_a_bad_answer_gets_a_clear_message(field, data, message):
    field = {"id": "q", "label": LABEL, **field}
    value, errors = _clean(field, data)
    assert value is None
    assert any(message in e for e in errors["q"]), errors


@pytest.mark.parametrize("postcode", ["4210", "00999", "421033", "4210a"])
def test_an_address_needs_a_german_postcode(postcode):
    field = {"id": "q", "type": "address", "label": LABEL}
    data = {"q__street": "Hofaue", "q__house_number": "1", "q__postcode": postcode, "q__town": "W"}
    _value, errors = _clean(field, data)
    assert "q__postcode" in errors


def test_answers_are_displayed_for_people():
    assert FIELD_TYPES["money"].display("1234.50", {}) in {"1.234,50 €", "1,234.50 €"}
    assert FIELD_TYPES["date"].display("2026-03-27", {}) == "27.03.2026"
    assert (
        FIELD_TYPES["iban"].display("DE02120300000000202051", {}) == "DE02 1203 0000 0000 2020 51"
    )
    assert FIELD_TYPES["choice"].display("b", {"choices": CHOICES}) == "B"
    with translation.override("en"):
        assert FIELD_TYPES["yes_no"].display(False, {}) == "No"
    assert FIELD_TYPES["multiple_choice"].display(["a", "b"], {"choices": CHOICES}) == "A, B"


def test_initial_values_come_back_into_the_form():
    assert FIELD_TYPES["date"].initial("2026-03-27", {}) == {"": datetime.date(2026, 3, 27)}
    assert FIELD_TYPES["money"].initial("30.00", {}) == {"": Decimal("30.00")}
    assert FIELD_TYPES["yes_no"].initial(False, {}) == {"": "no"}
