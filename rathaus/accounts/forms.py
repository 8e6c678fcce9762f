from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


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
    letters_by_post = forms.BooleanField(
        label=_("Also send me my documents by post"),
        required=False,
        help_text=_(
            "Decision notices, permits and certificates always arrive in your postbox here. "
            "With this, they are also printed and posted to your address."
        ),
    )


# --- Staff administration ----------------------------------------------------------------------


def _department_choices(departments) -> list[tuple[str, str]]:
    return [(d.code, str(d)) for d in departments]


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name or e-mail address")
    )
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", _("all departments")),
            *_department_choices(departments),
        ]


class MembershipForm(forms.Form):
    department = forms.ChoiceField(
        label=_("Department"), error_messages={"required": _("Choose a department.")}
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role.")},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", _("Choose a department")),
            *_department_choices(departments),
        ]


class StaffInviteForm(MembershipForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation with the link to set a password goes to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter the e-mail address.")},
    )
    first_name = forms.CharField(
        label=_("Given names"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter the given names.")},
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter the family name.")},
    )

    field_order = ["email", "first_name", "last_name", "department", "role"]


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].label = _("Role in %(department)s") % {"department": department.name}


class DepartmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=10,
        help_text=_(
            "The department's number, used in file references and service definitions "
            "(for example 104). Letters and digits only."
        ),
        error_messages={"required": _("Enter the code.")},
    )
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=50,
        help_text=_("Letters, digits and hyphens, for example verkehr."),
        error_messages={"required": _("Enter the short name.")},
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the name.")}
    )
    email = forms.EmailField(
        label=_("Contact e-mail address"),
        required=False,
        help_text=_("A shared mailbox of the department, not a person's address."),
    )

    def __init__(self, *args, code_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if code_locked:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _(
                "The code cannot change any more: the department's services and file "
                "references use it."
            )
