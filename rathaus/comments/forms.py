from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX_LENGTH, REASON_MAX_LENGTH


class CommentForm(forms.Form):
    """Only renders the field: the service checks the text (so the typed text survives)."""

    body = forms.CharField(
        label=_("Your comment"),
        help_text=_(
            "Up to %(max)d characters. It is published with your given name and the initial "
            "of your family name."
        )
        % {"max": BODY_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX_LENGTH}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        help_text=_("Shown publicly in place of the comment, for example: insult."),
        max_length=REASON_MAX_LENGTH,
    )
