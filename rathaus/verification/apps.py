from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "rathaus.verification"
    label = "verification"
    verbose_name = _("Verifiable documents")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the signing-key system check)
            services,  # noqa: F401  (registers the retention purger)
        )
