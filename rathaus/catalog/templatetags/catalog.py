from django import template

from rathaus.catalog.definition import text

register = template.Library()


@register.filter(name="text")
def text_filter(value: dict | None) -> str:
    """A definition's {de, en} text in the active language."""
    return text(value)
