from django import template

from rathaus.payments.selectors import is_treasury_member

register = template.Library()


@register.filter
def treasury_member(user) -> bool:
    """Whether the user works in the city treasury (for the link in the navigation)."""
    return is_treasury_member(user=user)
