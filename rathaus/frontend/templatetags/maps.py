"""The map settings for `frontend/includes/map_point.html`."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_settings() -> dict:
    return {
        "tiles_url": settings.RATHAUS_MAP_TILES_URL,
        "attribution": settings.RATHAUS_MAP_TILES_ATTRIBUTION,
        "center": settings.RATHAUS_MAP_CENTER,
    }
