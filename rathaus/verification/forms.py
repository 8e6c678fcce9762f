from django import forms
from django.utils.translation import gettext_lazy as _

from .tokens import TokenSyntaxError, token_normalize


class TokenForm(forms.Form):
    code = forms.CharField(
        label=_("Code of the document"),
        help_text=_(
            "The letters and digits under the QR code, or the whole web address from a QR "
            "code reader. Spaces and hyphens do not matter."
        ),
        error_messages={"required": _("Enter the code printed under the QR code.")},
        # No max_length: a browser would cut a pasted code silently; clean_code says so.
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        try:
            return token_normalize(self.cleaned_data["code"])
        except TokenSyntaxError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
