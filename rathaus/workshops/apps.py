from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "rathaus.workshops"
    label = "workshops"
    verbose_name = _("Workshops and events")

    def ready(self) -> None:
        # The retention purger of registrations.
        from . import services  # noqa: F401
