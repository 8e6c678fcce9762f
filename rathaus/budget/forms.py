from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department

from .images import image_clean
from .models import BudgetProcess, ProposalStatus
from .processes import LOCKED_FIELDS, process_locked_changes, process_units
from .proposals import MAX_IMAGES, ImageUpload
from .review import REASON_MAX_LENGTH

IMAGE_SLOTS = range(1, MAX_IMAGES + 1)


def _coordinate_field(label, help_text, limit: int) -> forms.DecimalField:
    """Degrees as the map point widget writes them (six decimals, a dot whatever the language)."""
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-limit),
        max_value=Decimal(limit),
        required=False,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("What should be done, where, and who benefits? At most 5,000 characters."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    unit = forms.TypedChoiceField(
        label=_("For the whole city or a district?"),
        coerce=int,
        help_text=_("The district's budget pays for proposals for one district."),
    )
    address = forms.CharField(
        label=_("Place"),
        help_text=_("An address or a description of the place, for example “Schulhof Nordpark”."),
        max_length=200,
        required=False,
    )
    latitude = _coordinate_field(
        _("Latitude"), _("Choose the place on the map, or type it, for example 51.2562."), 90
    )
    longitude = _coordinate_field(_("Longitude"), _("For example 7.1508."), 180)
    estimated_cost = forms.IntegerField(
        label=_("Estimated cost in euros"),
        help_text=_("Your estimate; the city checks it in the feasibility review."),
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, process: BudgetProcess, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in process_units(process=process)}
        self.fields["unit"].choices = [(pk, unit.name) for pk, unit in self.units.items()]
        for n in IMAGE_SLOTS:
            self.fields[f"image_{n}"] = forms.FileField(
                label=_("Picture %(n)s") % {"n": n},
                help_text=_("JPEG or PNG. Location and camera data are removed."),
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("What picture %(n)s shows") % {"n": n},
                help_text=_("A short description for people who cannot see the picture."),
                max_length=300,
                required=False,
            )

    def image_fields(self):
        return [(self[f"image_{n}"], self[f"alt_{n}"]) for n in IMAGE_SLOTS]

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        images = []
        for n in IMAGE_SLOTS:
            upload, alt = data.get(f"image_{n}"), (data.get(f"alt_{n}") or "").strip()
            if not upload:
                continue
            if not alt:
                self.add_error(f"alt_{n}", _("Describe what the picture shows."))
            try:
                images.append(ImageUpload(image=image_clean(data=upload.read()), alt_text=alt))
            except ValidationError as exc:
                self.add_error(f"image_{n}", exc)
        data["images"] = images
        unit = self.units.get(data.get("unit"))
        cost = data.get("estimated_cost")
        if unit is not None and cost is not None and cost > unit.budget:
            self.add_error(
                "estimated_cost",
                _("The estimated cost is more than the budget of %(unit)s (%(budget)s euros).")
                % {"unit": unit.name, "budget": unit.budget},
            )
        data["unit"] = unit
        return data


class ProposalFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Area"), coerce=int, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, process: BudgetProcess, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("all"))] + [
            (unit.pk, unit.name) for unit in process_units(process=process)
        ]
        self.fields["status"].choices = [("", _("all")), *ProposalStatus.choices]


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Reviewing department"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("the responsible department itself"),
    )


class DecideForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("feasible")), ("no", _("not feasible"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    city_cost = forms.IntegerField(
        label=_("Cost estimated by the city, in euros"),
        help_text=_("Needed for a feasible proposal: this is the cost on the ballot."),
        min_value=1,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Public reason"),
        help_text=_("Needed for a proposal that is not feasible; shown on the proposal's page."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        help_text=_("Only staff see the reason; the public sees that moderation hid it."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BudgetProcessAdminForm(forms.ModelForm):
    """Shows the lock as a form error; `process_update` enforces it again when saving."""

    class Meta:
        model = BudgetProcess
        fields = [
            "title",
            "slug",
            "description",
            "department",
            "proposals_open",
            "proposals_close",
            "review_close",
            "voting_opens",
            "voting_closes",
            "results_published_at",
            "minimum_age",
            "assurance",
            "min_projects",
            "max_projects",
            "cost_cap",
            "rule",
            "rule_parameters",
        ]

    def clean(self):
        data = super().clean()
        changed = {name: data[name] for name in LOCKED_FIELDS if name in data}
        locked = process_locked_changes(process=self.instance, data=changed)
        for name in locked:
            self.add_error(name, _("Voting has opened: this can no longer change."))
        return data
