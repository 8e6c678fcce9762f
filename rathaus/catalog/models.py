from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department, LevelOfAssurance

from .definition import ServiceDefinition, text


class Service(models.Model):
    """A service citizens can apply for; its content lives in versioned definitions."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="services", verbose_name=_("department")
    )
    current_version = models.ForeignKey(
        "ServiceVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class ServiceVersion(models.Model):
    """One version of a definition, frozen: applications pin the version they started with."""

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="versions", verbose_name=_("service")
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    assurance = models.PositiveSmallIntegerField(
        _("level of assurance"), choices=LevelOfAssurance.choices
    )
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="one_number_per_version"),
            models.UniqueConstraint(
                fields=["service", "content_hash"], name="one_version_per_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.slug} v{self.number}"

    @property
    def spec(self) -> ServiceDefinition:
        return ServiceDefinition(self.definition)

    @property
    def title(self) -> str:
        return text(self.definition["title"])
