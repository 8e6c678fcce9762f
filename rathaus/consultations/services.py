"""Consultations: answering the questionnaire, publishing the response summary, retention."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.audit.services import audit_record
from rathaus.core.retention import register_purger

from .models import (
    SCALE_VALUES,
    TEXT_MAX_LENGTH,
    Answer,
    Consultation,
    Question,
    QuestionKind,
    Response,
)
from .selectors import consultation_results_compute, is_department_member, user_is_eligible


class ConsultationError(Exception):
    """A refused action; `message` is translated, `errors` maps question ids to messages."""

    def __init__(self, message, *, code: str = "invalid", errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = errors or {}


def _as_list(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        return [str(item).strip() for item in raw if str(item).strip()]
    raw = str(raw).strip()
    return [raw] if raw else []


def _answers_clean(*, question: Question, raw) -> list[Answer]:
    """The answers to one question, unsaved; raises ValueError with the translated problem."""
    values = _as_list(raw)
    if question.kind == QuestionKind.TEXT:
        text = (str(raw) if raw is not None else "").replace("\r\n", "\n").strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ValueError(
                _("Your answer can be at most %(max)d characters long.") % {"max": TEXT_MAX_LENGTH}
            )
        values = [text] if text else []
    if not values:
        if question.required:
            raise ValueError(_("Answer this question."))
        return []
    if question.kind == QuestionKind.TEXT:
        return [Answer(question=question, text=values[0])]
    if question.kind == QuestionKind.SCALE:
        if len(values) != 1 or values[0] not in {str(v) for v in SCALE_VALUES}:
            raise ValueError(_("Choose a value from 1 to 5."))
        return [Answer(question=question, value=int(values[0]))]
    options = {str(option.pk): option for option in question.options.all()}
    if any(value not in options for value in values) or len(set(values)) != len(values):
        raise ValueError(_("Choose one of the given answers."))
    if question.kind == QuestionKind.SINGLE and len(values) != 1:
        raise ValueError(_("Choose only one answer."))
    return [Answer(question=question, option=options[value]) for value in values]


@transaction.atomic
def response_submit(*, consultation: Consultation, user: User, answers: dict) -> Response:
    """Store a person's answers; sending again while the consultation is open replaces them.

    `answers` maps question ids to the raw input: an option id (single choice), a list of option
    ids (multiple choice), "1" to "5" (scale) or a text. Everything is checked before anything
    is written: a refused submission stores nothing.
    """
    if not user.is_authenticated:
        raise ConsultationError(_("Log in to answer the questionnaire."), code="login")
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.project.published:
        raise ConsultationError(_("This consultation is not published."), code="closed")
    status = consultation.status()
    if status != "open":
        message = (
            _("The consultation has not started yet.")
            if status == "upcoming"
            else _("The consultation has closed; answers can no longer be sent or changed.")
        )
        raise ConsultationError(message, code="period")
    if not user_is_eligible(consultation=consultation, user=user):
        raise ConsultationError(
            _(
                "Only residents of the city may answer this questionnaire. Link your account "
                "to the resident register (for example with your eID) to take part."
            ),
            code="eligibility",
        )
    cleaned: list[Answer] = []
    errors: dict[int, str] = {}
    for question in consultation.questions.prefetch_related("options"):
        try:
            cleaned += _answers_clean(question=question, raw=answers.get(question.pk))
        except ValueError as exc:
            errors[question.pk] = exc.args[0]
    if errors:
        raise ConsultationError(
            _("Some answers need your attention."), code="answers", errors=errors
        )
    if not cleaned:
        raise ConsultationError(_("Answer at least one question."), code="empty")
    now = timezone.now()
    response = Response.objects.filter(consultation=consultation, user=user).first()
    if response is None:
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=consultation, user=user, created_at=now, updated_at=now
                )
        except IntegrityError:
            # Sent twice at once: the other request created it; this one replaces its answers.
            response = Response.objects.get(consultation=consultation, user=user)
    else:
        response.updated_at = now
        response.save(update_fields=["updated_at"])
    response.answers.all().delete()
    for answer in cleaned:
        answer.response = response
    Answer.objects.bulk_create(cleaned)
    return response


def _department_only(*, consultation: Consultation, staff: User) -> None:
    if not is_department_member(user=staff, project=consultation.project):
        raise ConsultationError(
            _("Only staff of the responsible department may do this."), code="forbidden"
        )


@transaction.atomic
def summary_save(
    *, consultation: Consultation, staff: User, summary: str, publish: bool
) -> Consultation:
    """Save the response summary; publishing it is possible once the consultation has closed."""
    _department_only(consultation=consultation, staff=staff)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    summary = (summary or "").replace("\r\n", "\n").strip()
    if publish and not summary:
        raise ConsultationError(_("Write the summary before publishing it."), code="summary")
    if publish and not consultation.is_closed():
        raise ConsultationError(
            _("The summary can be published once the consultation has closed."), code="period"
        )
    consultation.summary = summary
    fields = ["summary"]
    if publish and consultation.summary_published_at is None:
        consultation.summary_published_at = timezone.now()
        fields.append("summary_published_at")
    consultation.save(update_fields=fields)
    audit_record(
        actor=staff,
        action="consultation.summary_published" if publish else "consultation.summary_saved",
        object_type="consultations.consultation",
        object_id=str(consultation.pk),
        data={"length": len(summary)},
    )
    return consultation


@register_purger(
    name="consultations.responses",
    description="questionnaire answers of consultations closed long ago (results are kept)",
)
def responses_purge_expired() -> int:
    cutoff = timezone.now() - datetime.timedelta(
        days=settings.RATHAUS_CONSULTATION_RESPONSE_RETENTION_DAYS
    )
    deleted = 0
    for consultation in Consultation.objects.filter(
        closes_at__lt=cutoff, responses__isnull=False
    ).distinct():
        with transaction.atomic():
            consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
            # Freeze the aggregates first: the results page and open data keep working.
            consultation.results_frozen = consultation_results_compute(consultation=consultation)
            consultation.save(update_fields=["results_frozen"])
            deleted += consultation.responses.all().delete()[1].get("consultations.Response", 0)
    return deleted
