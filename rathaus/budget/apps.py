from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    # The citizens' budget: processes, proposals, their review, ballots and results, and the
    # counting rules (rules.py, pabulib.py: pure Python).
    name = "rathaus.budget"
    label = "budget"
    verbose_name = _("Citizens' budget")

    def ready(self) -> None:
        from . import (
            proposals,  # noqa: F401  (registers the retention purger)
            voting,  # noqa: F401  (registers the voter keys' purger)
        )
