"""A small registry of swappable integrations: each is a class named by a dotted path in settings.

Every integration (register lookup, eID, OCR, payment, delivery...) has a local default that really
works; a city swaps it by pointing the setting at another class with the same interface.
"""

from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@cache
def _backend_instance(dotted_path: str) -> Any:
    try:
        backend_class = import_string(dotted_path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Cannot import backend {dotted_path!r}: {exc}") from exc
    return backend_class()


def backend_for(setting_name: str, *, interface: type) -> Any:
    """Return the configured backend for `setting_name`, checked against `interface`."""
    dotted_path = getattr(settings, setting_name)
    backend = _backend_instance(dotted_path)
    if not isinstance(backend, interface):
        raise ImproperlyConfigured(
            f"{setting_name}={dotted_path!r} does not implement {interface.__name__}"
        )
    return backend


def backend_cache_clear() -> None:
    """Forget loaded backends (after a settings change in tests)."""
    _backend_instance.cache_clear()
