from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "rathaus.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the retention purger)
