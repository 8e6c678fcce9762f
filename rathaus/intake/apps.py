from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "rathaus.intake"
    label = "intake"
    verbose_name = _("Incoming mail")

    def ready(self):
        from rathaus.classifier.vocabularies import vocabulary_register

        from .routing import classifier_vocabulary

        # The classifier of incoming mail learns the terms of the routing table's types.
        vocabulary_register("intake", classifier_vocabulary)
