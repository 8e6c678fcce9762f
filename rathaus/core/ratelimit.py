"""Rate limits for our own views, with the same machinery as the login forms (django-allauth):
counters in the shared cache, the client address as allauth's adapter sees it, and the same
429 page (`config.urls.handler429`)."""

from allauth.core.internal import ratelimit as _allauth
from django.http import HttpRequest, HttpResponse


def rate_limit_consume(request: HttpRequest, *, action: str, rate: str) -> bool:
    """Count one request against `rate` (allauth syntax, e.g. "60/m/ip"); False when over it."""
    usage = _allauth.consume(
        request, app="rathaus", action=action, config={action: rate}, limit_get=True
    )
    return usage is not None


def rate_limit_response(request: HttpRequest) -> HttpResponse:
    """The site's 429 page."""
    return _allauth.respond_429(request)
