from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """A daily job claimed for one day; the unique constraint makes the claim exclusive."""

    name = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="one_run_per_job_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
