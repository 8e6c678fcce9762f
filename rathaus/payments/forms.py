from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .camt import MAX_BYTES
from .models import FeeStatus


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (camt.053)"),
        help_text=_(
            "The XML file from the online banking, camt.053 version 001.02, 001.04 or 001.08, "
            "up to 20 MB. Importing a file again changes nothing."
        ),
        widget=forms.FileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB."), params={"size": MAX_BYTES // 2**20}
            )
        return upload


class AssignForm(forms.Form):
    fee = forms.CharField(
        label=_("Fee"),
        help_text=_("Its payment reference (RF…) or the file reference of its case."),
        max_length=60,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_fee(self):
        fee = selectors.fee_find(query=self.cleaned_data["fee"])
        if fee is None:
            raise forms.ValidationError(_("No fee has this reference."))
        return fee


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        help_text=_("What was done, for example: refunded to the payer on 3 March."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=60,
        help_text=_("Payment reference or file reference"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *FeeStatus.choices]
    )
