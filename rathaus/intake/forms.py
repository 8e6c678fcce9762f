from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        return [single(data or None, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Scanned letters"),
        help_text=_(
            "PDF, TIFF (also with several pages), JPEG or PNG; several files at once. A batch "
            "may hold separator sheets between its letters."
        ),
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.tif,.tiff,.jpg,.jpeg,.png,application/pdf,image/*"}
        ),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_files(self):
        files = self.cleaned_data["files"]
        too_large = [f.name for f in files if f.size > self.max_bytes]
        if too_large:
            raise forms.ValidationError(
                _("Too large (more than %(limit)s MB), nothing was stored: %(names)s"),
                params={"limit": self.max_bytes // 2**20, "names": ", ".join(too_large)},
            )
        return files


class ClassifyForm(forms.Form):
    """Staff choose the type of a letter, and optionally another department than its owner."""

    document_type = forms.ChoiceField(label=_("Document type"))
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        help_text=_("Leave empty to send it to the department that handles this type."),
    )

    def __init__(self, *args, types: list[tuple[str, str]], departments: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = [("", _("Please choose")), *types]
        self.fields["department"].choices = [
            ("", _("The type's department")),
            *((d.code, str(d)) for d in departments),
        ]
