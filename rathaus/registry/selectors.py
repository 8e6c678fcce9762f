from rathaus.core.backends import backend_for

from .backends.base import ResidentRegister


def registry() -> ResidentRegister:
    """The resident register this city uses (setting RATHAUS_REGISTRY_BACKEND)."""
    return backend_for("RATHAUS_REGISTRY_BACKEND", interface=ResidentRegister)
