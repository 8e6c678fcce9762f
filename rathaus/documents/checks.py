"""System checks of the seal configuration.

A deployment check (`manage.py check --deploy`, part of every release, see the README): with
DEBUG off a missing or unusable seal is an error, so that a city never goes live without its
seal and never seals with the public demo key. It is not an ordinary check because ordinary
checks run before every management command, and the developer tools (makemigrations, the test
suite) run with production settings and no seal.
"""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def seal_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .seal import seal_configuration, seal_material_load

    try:
        configuration = seal_configuration()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="documents.E001")]
    if configuration.demo:
        return [
            checks.Warning(
                "Letters are sealed with the demo seal under var/seal/ (RATHAUS_DEBUG is on).",
                hint="Set RATHAUS_SEAL_KEY_FILE, RATHAUS_SEAL_CERT_FILE and "
                "RATHAUS_SEAL_CHAIN_FILE in production (docs/documents.md).",
                id="documents.W001",
            )
        ]
    try:
        seal_material_load(configuration)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="documents.E002")]
    return []
