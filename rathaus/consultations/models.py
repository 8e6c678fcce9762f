"""City projects (description, documents, place, timeline) and consultations on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department

PDF_MAX_BYTES = 20 * 2**20


def pdf_validate(upload) -> None:
    """Only real PDF files (by their first bytes, not their name), up to 20 MB."""
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB."), params={"size": PDF_MAX_BYTES // 2**20}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError(_("The file is not a PDF document."))


class Project(models.Model):
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("responsible department"),
    )
    address = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("city project")
        verbose_name_plural = _("city projects")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="project_point_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:project", args=[self.slug])

    # --- Comment thread (rathaus/comments) ---
    def comments_open(self) -> bool:
        consultation = getattr(self, "consultation", None)
        return bool(self.published and consultation and consultation.is_open())

    def comments_moderator(self, user) -> bool:
        return user.is_authenticated and (
            user.is_superuser or user.memberships.filter(department_id=self.department_id).exists()
        )


class TimelineEntry(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("project")
    )
    date = models.DateField(_("date"))
    text = models.CharField(_("what happens"), max_length=300)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text}"


class ProjectDocument(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("PDF file"),
        upload_to="consultations/documents/%Y/",
        validators=[FileExtensionValidator(["pdf"]), pdf_validate],
    )
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Kept so the page shows the size without asking the storage (S3) for every file.
        if self.file and not self.size:
            self.size = self.file.size
        super().save(*args, **kwargs)


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Consultation(models.Model):
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="consultation", verbose_name=_("project")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    residents_only = models.BooleanField(
        _("residents only"),
        default=False,
        help_text=_(
            "Only people found in the resident register may answer the questionnaire; "
            "everyone with an account may comment."
        ),
    )
    summary = models.TextField(_("response summary"), blank=True)
    summary_published_at = models.DateTimeField(_("summary published at"), null=True, blank=True)
    results_frozen = models.JSONField(
        _("frozen results"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The aggregated results, kept when the individual answers are deleted."),
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)

    def status(self, now=None) -> ConsultationStatus:
        now = now or timezone.now()
        if now < self.opens_at:
            return ConsultationStatus.UPCOMING
        if now < self.closes_at:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    def is_open(self, now=None) -> bool:
        return self.status(now) == ConsultationStatus.OPEN

    def is_closed(self, now=None) -> bool:
        return self.status(now) == ConsultationStatus.CLOSED


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale from 1 to 5")
    TEXT = "text", _("free text")


SCALE_VALUES = range(1, 6)
TEXT_MAX_LENGTH = 2000


class Question(models.Model):
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("consultation"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    scale_low = models.CharField(
        _("meaning of 1"), max_length=60, blank=True, help_text=_("For example: not at all")
    )
    scale_high = models.CharField(
        _("meaning of 5"), max_length=60, blank=True, help_text=_("For example: very much")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["consultation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="question_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("answer option"), max_length=200)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="option_position_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One person's answers to a consultation's questionnaire: one per person."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("consultation"),
    )
    # Kept (without the person) when the account is deleted: the answers still count.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_responses",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("first sent at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_response_per_user"),
        ]

    def __str__(self) -> str:
        # Never the person: responses are shown and exported without names.
        return f"{self.consultation} #{self.pk}"


class Answer(models.Model):
    """One answer: the chosen option (one row per ticked option), a scale value, or a text."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    option = models.ForeignKey(
        Option,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("option"),
    )
    value = models.PositiveSmallIntegerField(_("scale value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "option"], name="answer_option_once"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="answer_scale_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.value or self.text[:40]}"
