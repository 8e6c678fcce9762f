from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "rathaus.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the retention purger)
