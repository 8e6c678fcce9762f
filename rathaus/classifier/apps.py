from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassifierConfig(AppConfig):
    name = "rathaus.classifier"
    label = "classifier"
    verbose_name = _("Text classifiers")

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the retention purgers)
