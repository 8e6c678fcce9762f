"""The form of one step of an application, built from the service definition."""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rathaus.catalog.definition import ServiceDefinition, address_in_list, text
from rathaus.catalog.fieldtypes import FIELD_TYPES


def part_name(field_id: str, part: str) -> str:
    return field_id if not part else f"{field_id}__{part}"


@dataclass
class FieldGroup:
    """One question of the step: its form fields (several for an address) or a read-only value."""

    spec: dict
    names: list[str]
    readonly_value: str = ""

    @property
    def composite(self) -> bool:
        return FIELD_TYPES[self.spec["type"]].composite

    @property
    def label(self) -> str:
        return text(self.spec["label"])

    @property
    def hint(self) -> str:
        return text(self.spec.get("hint"))


class StepForm(forms.Form):
    """Asks the visible, editable fields of one step; read-only (prefilled) ones are shown only."""

    def __init__(
        self,
        *args,
        definition: ServiceDefinition,
        step: dict,
        answers: dict[str, Any],
        attachments: dict[str, str],
        **kwargs,
    ):
        self.definition = definition
        self.step = step
        self.answers = answers
        self.attachments = attachments  # field id → display name of the stored file
        self.groups: list[FieldGroup] = []
        initial = {}
        super().__init__(*args, **kwargs)
        for spec in definition.visible_fields(step, answers):
            field_type = FIELD_TYPES[spec["type"]]
            if spec.get("readonly"):
                value = answers.get(spec["id"])
                self.groups.append(FieldGroup(spec, [], field_type.display(value, spec)))
                continue
            required = spec.get("required", True)
            if spec["type"] == "file" and spec["id"] in attachments:
                required = False  # a file uploaded before stays unless replaced
            names = []
            for part, form_field in field_type.form_fields(spec, required=required).items():
                name = part_name(spec["id"], part)
                self.fields[name] = form_field
                names.append(name)
            for part, value in field_type.initial(answers.get(spec["id"]), spec).items():
                initial[part_name(spec["id"], part)] = value
            self.groups.append(FieldGroup(spec, names))
        self.initial = {**initial, **self.initial}

    def group_fields(self, group: FieldGroup) -> list[forms.BoundField]:
        return [self[name] for name in group.names]

    def clean(self) -> dict:
        cleaned = super().clean()
        for group in self.groups:
            spec = group.spec
            if spec.get("readonly") or spec["type"] == "file":
                continue
            if any(name in self.errors for name in group.names):
                continue
            value = self.value_of(spec)
            for rule in spec.get("validate", []):
                message = self._violation(rule, value)
                if message:
                    self.add_error(group.names[0], message)
        return cleaned

    def value_of(self, spec: dict) -> Any:
        field_type = FIELD_TYPES[spec["type"]]
        parts = {
            name.partition("__")[2]: self.cleaned_data.get(name)
            for name in self.fields
            if name == spec["id"] or name.startswith(spec["id"] + "__")
        }
        return field_type.value(parts, spec)

    def _violation(self, rule: dict, value: Any) -> str | None:
        if value in (None, "", [], {}):
            return None
        custom = text(rule.get("message"))
        today = timezone.localdate()
        name = rule["rule"]
        if name == "address_in_list":
            if not address_in_list(value, self.definition.dataset(rule["data"])):
                return custom or str(_("This address is not covered by this service."))
        elif name in {"not_in_past", "not_in_future", "within_days"}:
            day = datetime.date.fromisoformat(value)
            if name == "not_in_past" and day < today:
                return custom or str(_("The date must be today or in the future."))
            if name == "not_in_future" and day > today:
                return custom or str(_("The date must be today or in the past."))
            if name == "within_days" and abs((day - today).days) > rule.get("days", 0):
                return custom or ngettext(
                    "The date must be within %(days)d day of today.",
                    "The date must be within %(days)d days of today.",
                    rule["days"],
                ) % {"days": rule["days"]}
        return None

    def answers_of_step(self) -> dict[str, Any]:
        """The JSON answers of this step's editable, non-file fields."""
        return {
            group.spec["id"]: self.value_of(group.spec)
            for group in self.groups
            if not group.spec.get("readonly") and group.spec["type"] != "file"
        }

    def uploads(self) -> dict[str, Any]:
        """Newly uploaded files by field id."""
        return {
            group.spec["id"]: self.cleaned_data[group.spec["id"]]
            for group in self.groups
            if group.spec["type"] == "file" and self.cleaned_data.get(group.spec["id"])
        }


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    file_1 = forms.FileField(
        label=_("Document"), required=False, help_text=_("PDF, JPEG or PNG, up to 10 MB")
    )
    file_2 = forms.FileField(label=_("Another document"), required=False)
    file_3 = forms.FileField(label=_("Another document"), required=False)
