from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Outcome


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("File reference, name or a word from the answers"),
    )
    service = forms.ChoiceField(label=_("Service"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("due_date", _("deadline, earliest first")),
            ("-submitted_at", _("newest first")),
            ("submitted_at", _("oldest first")),
            ("reference", _("file reference")),
        ],
    )

    def __init__(self, *args, services, statuses, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("all services")), *services]
        self.fields["status"].choices = [("", _("all open cases")), *statuses]
        self.fields["assignee"].choices = [
            ("", _("everyone")),
            ("me", _("me")),
            ("none", _("nobody yet")),
            *[(str(u.pk), u.get_full_name() or u.email) for u in colleagues],
        ]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("nobody")),
            *[(str(u.pk), u.get_full_name() or u.email) for u in colleagues],
        ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only staff see notes, never the applicant."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the applicant"),
        help_text=_("Say what is missing and why. Write plainly."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    documents = forms.CharField(
        label=_("Documents to upload"),
        help_text=_("One per line, for example: Declaration of permanent use"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The reasons as they will appear in the decision notice."),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
