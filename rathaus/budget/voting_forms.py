"""Forms of the ballot, the receipt check, paper ballot entry and the Pabulib import."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department

from .pabulib import MAX_BYTES


def _euros(amount) -> str:
    return f"{int(amount):,}".replace(",", ".") + " €"


class BallotForm(forms.Form):
    """Approval ballot: one checkbox per project, labelled with its cost."""

    proposals = forms.MultipleChoiceField(
        label=_("Projects"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [
            (str(p.pk), f"{p.number}. {p.title} – {_euros(p.cost)}") for p in proposals
        ]


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("As shown after voting, for example 7KQ2-M9XD-4TRW-8HNB-2CJF."),
    )


class PaperPersonForm(forms.Form):
    """The voter as written on the sheet, to find in the resident register."""

    sheet_number = forms.CharField(label=_("Ballot sheet number"), max_length=30)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_names = forms.CharField(label=_("Given names"), max_length=100)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), help_text=_("For example 14.03.1990.")
    )
    street = forms.CharField(label=_("Street"), max_length=100)
    house_number = forms.CharField(label=_("House number"), max_length=10)
    postcode = forms.CharField(label=_("Postcode"), max_length=5)


class PaperEntryForm(PaperPersonForm, BallotForm):
    """One paper sheet: the person and the crosses."""

    field_order = [
        "sheet_number",
        "family_name",
        "given_names",
        "date_of_birth",
        "street",
        "house_number",
        "postcode",
        "proposals",
    ]


class PaperChoiceForm(forms.Form):
    entry = forms.TypedChoiceField(
        label=_("Which entry is correct?"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, e.label) for e in entries]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Pabulib file (.pb)"),
        help_text=format_lazy(
            _("An election in the Pabulib format, at most {mb} MB."), mb=MAX_BYTES // 2**20
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), empty_label=None
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
