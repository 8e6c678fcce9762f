from django import forms, template
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def kern_kind(field) -> str:
    """Which KERN pattern renders this bound field: input, select, check or choices."""
    widget = field.field.widget
    if isinstance(widget, CHOICE_WIDGETS):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.simple_tag
def kern_widget(field):
    """Render the widget with KERN classes and the hint and error ids in aria-describedby."""
    kind = kern_kind(field)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    # Placeholders vanish while typing and are no substitute for a label or hint.
    attrs: dict = {"placeholder": False}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    css = {
        "input": "kern-form-input__input",
        "select": "kern-form-input__select",
        "check": "kern-form-check__checkbox",
        "choices": "",
    }[kind]
    if field.errors and css:
        css += f" {css}--error"
    if css:
        attrs["class"] = css
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict]:
    """Links to this page in the other languages, for the language switch."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    from django.conf import settings

    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
        }
        for code, _name in settings.LANGUAGES
        if code != current
    ]


@register.simple_tag
def kern_choice(choice, field):
    """One radio button or checkbox of a choice field, with KERN classes."""
    data = choice.data
    kind = "radio" if data["type"] == "radio" else "checkbox"
    css = f"kern-form-check__{kind}" + (f" kern-form-check__{kind}--error" if field.errors else "")
    return format_html(
        '<input type="{}" name="{}" value="{}" id="{}" class="{}"{}{}>',
        data["type"],
        data["name"],
        data["value"],
        data["attrs"].get("id", ""),
        css,
        mark_safe(" checked") if data["selected"] else "",
        mark_safe(" required") if data["attrs"].get("required") and kind == "radio" else "",
    )


@register.filter
def getfield(form, name: str):
    """The bound field `name` of a form (for forms whose fields are built at run time)."""
    return form[name]


@register.filter
def getitem(mapping, key):
    return mapping.get(key, "")
