from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    WAITING_LIST = "waiting_list", _("on the waiting list")


class Case(models.Model):
    """The administrative procedure (Vorgang) that a submitted application opens."""

    reference = models.CharField(_("file reference"), max_length=40, unique=True)
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="case",
        verbose_name=_("application"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="cases", verbose_name=_("department")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("applicant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices)
    submitted_at = models.DateTimeField(_("submitted"))
    due_date = models.DateField(_("processing deadline"))
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, null=True, blank=True)
    delete_after = models.DateField(_("delete after"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One entry of a case's timeline."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Application received")
        WAITING_LIST = "waiting_list", _("Placed on the waiting list")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.kind}"


class ReferenceCounter(models.Model):
    """The last file reference number given out per department and year (gap-free)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, verbose_name=_("department")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.department.code}/{self.year}: {self.last}"
