from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "rathaus.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The system check of the city's account, the retention purgers and the receiver that
        # issues a fee when a case is decided.
        from . import checks, receivers, services  # noqa: F401
