"""Field types of service definitions: each turns a field spec into Django form fields.

A new type is added here once, for every service. A type gives the form fields of one answer
(a composite type such as the postal address gives several), turns their cleaned values into the
JSON answer stored on the application, and displays an answer on the review page.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from rathaus.registry.matching import plate_normalise

from .definition import text

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]


class FieldType:
    name = ""
    composite = False

    def problems(self, field: dict) -> list[tuple[str, str]]:
        return []

    def form_fields(self, field: dict, *, required: bool) -> dict[str, forms.Field]:
        """The form fields of one answer, keyed by part ('' for a single field)."""
        return {"": self.form_field(field, required=required)}

    def form_field(self, field: dict, *, required: bool) -> forms.Field:
        raise NotImplementedError

    def value(self, parts: dict[str, Any], field: dict) -> Any:
        """The JSON answer from the cleaned parts."""
        return parts[""]

    def initial(self, value: Any, field: dict) -> dict[str, Any]:
        return {"": value}

    def display(self, value: Any, field: dict) -> str:
        return "" if value in (None, "") else str(value)


def _common(field: dict, *, required: bool) -> dict:
    return {
        "label": text(field["label"]),
        "help_text": text(field.get("hint")),
        "required": required,
    }


class Text(FieldType):
    name = "text"

    def form_field(self, field, *, required):
        return forms.CharField(
            max_length=field.get("max_length", 200), **_common(field, required=required)
        )


class LongText(FieldType):
    name = "long_text"

    def form_field(self, field, *, required):
        return forms.CharField(
            max_length=field.get("max_length", 2000),
            widget=forms.Textarea(attrs={"rows": 5}),
            **_common(field, required=required),
        )


class Number(FieldType):
    name = "number"

    def form_field(self, field, *, required):
        return forms.IntegerField(
            min_value=field.get("min"),
            max_value=field.get("max"),
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            **_common(field, required=required),
        )


class MoneyField(forms.DecimalField):
    """An amount in euros as people write it: "1.234,50", "1234,5", "1 234 €" or "1234.50"."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif text.count(".") > 1:
                text = text.replace(".", "")
            value = text
        return super().to_python(value)


class Money(FieldType):
    name = "money"

    def form_field(self, field, *, required):
        return MoneyField(
            max_digits=12,
            decimal_places=2,
            min_value=Decimal(str(field.get("min", 0))),
            max_value=Decimal(str(field["max"])) if "max" in field else None,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **_common(field, required=required),
        )

    def value(self, parts, field):
        amount = parts[""]
        return None if amount is None else f"{amount:.2f}"

    def initial(self, value, field):
        return {"": None if value is None else Decimal(value)}

    def display(self, value, field):
        if value in (None, ""):
            return ""
        return formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True) + " €"


class Date(FieldType):
    name = "date"

    def form_field(self, field, *, required):
        common = _common(field, required=required)
        common["help_text"] = common["help_text"] or _("For example 27.03.2026")
        return forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"}),
            **common,
        )

    def value(self, parts, field):
        return parts[""].isoformat() if parts[""] else None

    def initial(self, value, field):
        return {"": datetime.date.fromisoformat(value) if value else None}

    def display(self, value, field):
        return datetime.date.fromisoformat(value).strftime("%d.%m.%Y") if value else ""


class Email(FieldType):
    name = "email"

    def form_field(self, field, *, required):
        return forms.EmailField(
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            **_common(field, required=required),
        )


PHONE = RegexValidator(
    r"^\+?[0-9][0-9 /()-]{5,24}$", _("Enter a phone number, for example 0202 563 0.")
)


class Phone(FieldType):
    name = "phone"

    def form_field(self, field, *, required):
        return forms.CharField(
            max_length=30,
            validators=[PHONE],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            **_common(field, required=required),
        )


class YesNo(FieldType):
    name = "yes_no"

    def form_field(self, field, *, required):
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda v: v == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **_common(field, required=required),
        )

    def initial(self, value, field):
        return {"": None if value is None else ("yes" if value else "no")}

    def display(self, value, field):
        return "" if value is None else str(_("Yes") if value else _("No"))


class Choice(FieldType):
    name = "choice"

    def problems(self, field):
        return [] if field.get("choices") else [("choices", "a choice field needs choices")]

    def form_field(self, field, *, required):
        choices = [(c["value"], text(c["label"])) for c in field["choices"]]
        return forms.ChoiceField(
            choices=choices, widget=forms.RadioSelect, **_common(field, required=required)
        )

    def display(self, value, field):
        return next((text(c["label"]) for c in field["choices"] if c["value"] == value), "")


class MultipleChoice(Choice):
    name = "multiple_choice"

    def form_field(self, field, *, required):
        choices = [(c["value"], text(c["label"])) for c in field["choices"]]
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            **_common(field, required=required),
        )

    def value(self, parts, field):
        return list(parts[""] or [])

    def display(self, value, field):
        labels = {c["value"]: text(c["label"]) for c in field["choices"]}
        return ", ".join(labels[v] for v in value or [] if v in labels)


POSTCODE = RegexValidator(
    r"^(0[1-9]\d{3}|[1-9]\d{4})$", _("Enter a German postcode of five digits.")
)


class Address(FieldType):
    """A German postal address: street, house number, postcode (checked) and town."""

    name = "address"
    composite = True

    def form_fields(self, field, *, required):
        return {
            "street": forms.CharField(
                label=_("Street"),
                max_length=100,
                required=required,
                widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
            ),
            "house_number": forms.CharField(
                label=_("House number"),
                max_length=10,
                required=required,
                validators=[
                    RegexValidator(
                        r"^[0-9]{1,4}\s?[a-zA-Z]?(\s?-\s?[0-9]{1,4}[a-zA-Z]?)?$",
                        _("Enter a house number, for example 12 or 12a."),
                    )
                ],
                widget=forms.TextInput(attrs={"class": "kern-form-input__input--width-4"}),
            ),
            "postcode": forms.CharField(
                label=_("Postcode"),
                max_length=5,
                required=required,
                validators=[POSTCODE],
                widget=forms.TextInput(
                    attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
                ),
            ),
            "town": forms.CharField(
                label=_("Town"),
                max_length=100,
                required=required,
                widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
            ),
        }

    def value(self, parts, field):
        if not any(parts.values()):
            return None
        return {
            key: " ".join(str(parts[key]).split())
            for key in self.form_fields(field, required=False)
        }

    def initial(self, value, field):
        return dict(value or {})

    def display(self, value, field):
        if not value:
            return ""
        return f"{value['street']} {value['house_number']}, {value['postcode']} {value['town']}"


class Iban(FieldType):
    name = "iban"

    def form_field(self, field, *, required):
        return forms.CharField(
            max_length=42, validators=[_validate_iban], **_common(field, required=required)
        )

    def value(self, parts, field):
        return stdnum_iban.compact(parts[""]) if parts[""] else ""

    def display(self, value, field):
        return stdnum_iban.format(value) if value else ""


def _validate_iban(value: str) -> None:
    try:
        stdnum_iban.validate(value)
    except StdnumError as exc:
        raise forms.ValidationError(
            _("Enter a valid IBAN, for example DE02 1203 0000 0000 2020 51."), code="iban"
        ) from exc


class LicencePlate(FieldType):
    name = "licence_plate"

    def form_field(self, field, *, required):
        return forms.CharField(
            max_length=15,
            validators=[_validate_plate],
            widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
            **_common(field, required=required),
        )

    def value(self, parts, field):
        return plate_normalise(parts[""]) if parts[""] else ""


def _validate_plate(value: str) -> None:
    try:
        plate_normalise(value)
    except ValueError as exc:
        raise forms.ValidationError(
            _(
                "Enter a licence plate with a space or hyphen after the place code, "
                "for example W-AB 123."
            ),
            code="plate",
        ) from exc


class Declaration(FieldType):
    """A checkbox the applicant must tick to confirm a statement (the label)."""

    name = "declaration"

    def form_field(self, field, *, required):
        return forms.BooleanField(**_common(field, required=True))

    def display(self, value, field):
        return str(_("Confirmed")) if value else ""


class File(FieldType):
    """An uploaded document; the upload itself is checked and stored by the applications app."""

    name = "file"

    def problems(self, field):
        return [] if field.get("accept") else [("accept", "a file field needs accept")]

    def form_field(self, field, *, required):
        mime = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
        return forms.FileField(
            widget=forms.FileInput(
                attrs={"accept": ",".join(mime[kind] for kind in field["accept"])}
            ),
            **_common(field, required=required),
        )

    def display(self, value, field):
        return value.get("name", "") if value else ""


FIELD_TYPES: dict[str, FieldType] = {
    field_type.name: field_type
    for field_type in [
        Text(),
        LongText(),
        Number(),
        Money(),
        Date(),
        Email(),
        Phone(),
        YesNo(),
        Choice(),
        MultipleChoice(),
        Address(),
        Iban(),
        LicencePlate(),
        Declaration(),
        File(),
    ]
}

# Where a field's value can come from without the applicant typing it (once-only principle).
PREFILL_SOURCES = {
    "account.email",
    "account.given_names",
    "account.family_name",
    "register.given_names",
    "register.family_name",
    "register.date_of_birth",
    "register.address",
}
