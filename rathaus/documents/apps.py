from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "rathaus.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (the seal check; reactions to case events)
