from django import forms
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    first_name = forms.CharField(
        label=_("Given names"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        required=False,
        help_text=_("We use your name to address you in letters and messages."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
