from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import Event


class RegistrationForm(forms.Form):
    """Only what the event needs: a name, an address to write to, optional support needs."""

    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the confirmation, the calendar entry and the cancellation link here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accessibility_needs = forms.CharField(
        label=_("Do you need any support to take part?"),
        help_text=_(
            "For example a sign language interpreter, easy-read language or space for a wheelchair."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class EventForm(forms.ModelForm):
    """An event as staff of its department create or change it."""

    online_url = forms.URLField(
        label=Event._meta.get_field("online_url").verbose_name,
        help_text=Event._meta.get_field("online_url").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "title_en",
            "slug",
            "series",
            "description",
            "description_en",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "waiting_list",
            "registration_opens_at",
            "registration_closes_at",
            "department",
            "published",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput,
            "ends_at": LocalDateTimeInput,
            "registration_opens_at": LocalDateTimeInput,
            "registration_closes_at": LocalDateTimeInput,
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "place": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].empty_label = None
        for name in ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]:
            self.fields[name].input_formats = DATETIME_FORMATS
        self.fields["capacity"].validators += [MinValueValidator(1), MaxValueValidator(100000)]
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": 100000})

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if "place" in data and "online_url" in data and not (data["place"] or data["online_url"]):
            self.add_error("place", _("Give the place, an online link, or both."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if closes and ends and closes > ends:
            self.add_error(
                "registration_closes_at", _("Registration must close before the event ends.")
            )
        return data
