"""Django forms rendered in KERN UX markup: label, hint, input, error; an error summary on top."""

from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    form_template_name = "frontend/forms/form.html"
    field_template_name = "frontend/forms/field.html"
