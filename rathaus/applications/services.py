import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.cases.models import Case
from rathaus.cases.services import case_delete, case_open, information_answer
from rathaus.catalog.fieldtypes import FIELD_TYPES
from rathaus.catalog.models import Service
from rathaus.core.retention import register_purger
from rathaus.registry.selectors import registry

from .models import Application, ApplicationStatus, Attachment
from .uploads import CleanUpload


class ApplicationError(Exception):
    """A submission that cannot go through; the message is shown to the citizen."""

    def __init__(self, message, *, step_id: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.step_id = step_id
        self.code = code


def _prefill(*, user: User, source: str, person) -> Any:
    """The value of a prefill source for this user (`person`: their register record or None)."""
    if source.startswith("account."):
        return {
            "account.email": user.email,
            "account.given_names": user.first_name,
            "account.family_name": user.last_name,
        }[source]
    if person is None:
        return None
    if source == "register.address":
        a = person.address
        return {
            "street": a.street,
            "house_number": a.house_number,
            "postcode": a.postcode,
            "town": a.town,
        }
    return {
        "register.given_names": person.given_names,
        "register.family_name": person.family_name,
        "register.date_of_birth": person.date_of_birth.isoformat(),
    }[source]


@transaction.atomic
def application_start(*, user: User, service: Service) -> Application:
    """Open a draft on the service's current version, prefilled from account and register."""
    version = service.current_version
    spec = version.spec
    person = registry().person_by_id(register_id=user.register_id) if user.register_id else None
    needs_register = any(
        field.get("readonly") and field.get("prefill", "").startswith("register.")
        for _, field in spec.fields()
    )
    if needs_register and person is None:
        raise ApplicationError(
            _(
                "We could not find you in the resident register, so this service cannot be "
                "used online. Please contact the registration office."
            ),
            code="not_in_register",
        )
    answers = {
        field["id"]: value
        for _, field in spec.fields()
        if field.get("prefill")
        and (value := _prefill(user=user, source=field["prefill"], person=person)) not in (None, "")
    }
    return Application.objects.create(
        applicant=user,
        service_version=version,
        answers=answers,
        expires_at=timezone.now() + datetime.timedelta(days=spec.data["draft_days"]),
    )


def _drop_hidden_answers(application: Application) -> None:
    """Answers to questions that the current answers no longer ask are forgotten."""
    spec = application.service_version.spec
    asked = {
        field["id"]
        for step in spec.visible_steps(application.answers)
        for field in spec.visible_fields(step, application.answers)
    }
    application.answers = {k: v for k, v in application.answers.items() if k in asked}
    application.completed_steps = [
        s["id"]
        for s in spec.visible_steps(application.answers)
        if s["id"] in application.completed_steps
    ]


def application_step_save(
    *,
    application: Application,
    step_id: str,
    answers: dict[str, Any],
    uploads: dict[str, CleanUpload],
) -> Application:
    """Save the answers of one step (and its checked uploads) and extend the draft's life."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=application.pk)
            if not application.is_draft:
                raise ApplicationError(
                    _("This application has already been submitted."), code="submitted"
                )
            spec = application.service_version.spec
            application.answers.update(answers)
            for field_id, upload in uploads.items():
                attachment = attachment_store(
                    application=application, field_id=field_id, upload=upload
                )
                stored.append(attachment)
                application.answers[field_id] = {
                    "attachment": str(attachment.public_id),
                    "name": attachment.display_name,
                }
            if step_id not in application.completed_steps:
                application.completed_steps.append(step_id)
            _drop_hidden_answers(application)
            application.expires_at = timezone.now() + datetime.timedelta(
                days=spec.data["draft_days"]
            )
            application.save(
                update_fields=["answers", "completed_steps", "expires_at", "updated_at"]
            )
            attachments_forget_unused(application=application)
    except BaseException:
        # Files are not part of the transaction: remove what this step stored, leave no orphan.
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return application


def attachment_store(*, application: Application, field_id: str, upload: CleanUpload) -> Attachment:
    """Store a checked upload for a field, replacing the one uploaded before."""
    old = Attachment.objects.filter(application=application, field_id=field_id).first()
    if old is not None:
        attachment_delete(attachment=old)
    attachment = Attachment(
        application=application,
        field_id=field_id,
        display_name=upload.display_name,
        mime=upload.mime,
        extension=upload.extension,
        size=len(upload.content),
        sha256=upload.sha256,
    )
    attachment.file.save("upload", ContentFile(upload.content), save=False)
    attachment.save()
    return attachment


def attachment_delete(*, attachment: Attachment) -> None:
    """Delete an attachment row now and its file once the transaction has committed."""
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def attachments_forget_unused(*, application: Application) -> int:
    """Delete files whose question is no longer asked (the answers changed)."""
    used = {
        value["attachment"]
        for value in application.answers.values()
        if isinstance(value, dict) and "attachment" in value
    }
    unused = [a for a in application.attachments.all() if str(a.public_id) not in used]
    for attachment in unused:
        attachment_delete(attachment=attachment)
    return len(unused)


def _answered(field: dict, value: Any) -> bool:
    """Whether a required question has an answer ("No" and 0 are answers; only a ticked
    declaration is)."""
    if field["type"] == "declaration":
        return value is True
    return value is not None and value not in ("", [], {})


def application_missing_step(*, application: Application) -> str | None:
    """The first visible step with a missing or invalid answer, None when complete."""
    spec = application.service_version.spec
    for step in spec.visible_steps(application.answers):
        if step["id"] not in application.completed_steps:
            return step["id"]
        for field in spec.visible_fields(step, application.answers):
            if field.get("required", True) and not _answered(
                field, application.answers.get(field["id"])
            ):
                return step["id"]
    return None


def application_submit(
    *, application: Application, idempotency_key: str, assurance: int = 1
) -> Case:
    """Submit once: a repeated or parallel submit returns the same case (idempotent)."""
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.application_id != application.pk:
            raise ApplicationError(
                _(
                    "This page is out of date. Please open your application again from "
                    "“My applications”."
                ),
                code="key_reused",
            )
        return existing
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            case = Case.objects.filter(application=locked).first()
            if case is not None:
                return case
            missing = application_missing_step(application=locked)
            if missing is not None:
                raise ApplicationError(
                    _("Some answers are missing. Please complete this step."),
                    step_id=missing,
                    code="incomplete",
                )
            if locked.is_expired:
                raise ApplicationError(_("This draft has expired."), code="expired")
            version = locked.service_version
            spec = version.spec
            case = case_open(
                application=locked,
                idempotency_key=idempotency_key,
                department=version.service.department,
                processing_days=spec.data["processing_days"],
                retention_days=spec.data["retention_days"],
                fee=spec.fee(locked.answers),
                assurance=assurance,
            )
            locked.status = ApplicationStatus.SUBMITTED
            locked.submitted_at = case.submitted_at
            locked.save(update_fields=["status", "submitted_at", "updated_at"])
            return case
    except IntegrityError:
        # A parallel request with the same key won the race; its case is the answer.
        case = Case.objects.filter(idempotency_key=idempotency_key).first()
        if case is None:
            case = Case.objects.filter(application=application).first()
        if case is None:
            raise
        return case


def display_answers(*, application: Application) -> list[dict]:
    """The answers as the citizen gave them, step by step, for the review page and the case."""
    spec = application.service_version.spec
    rows = []
    for step in spec.visible_steps(application.answers):
        items = []
        for field in spec.visible_fields(step, application.answers):
            value = application.answers.get(field["id"])
            items.append(
                {"field": field, "value": FIELD_TYPES[field["type"]].display(value, field)}
            )
        rows.append({"step": step, "items": items})
    return rows


def attachments_sweep_orphans(
    *, older_than: datetime.timedelta = datetime.timedelta(hours=6)
) -> int:
    """Delete stored files that no attachment refers to (left by a crash mid-upload)."""
    from rathaus.core.storage import storage_sweep_orphans

    known = set(Attachment.objects.values_list("file", flat=True))
    return storage_sweep_orphans(folder="attachments", known=known, older_than=older_than)


@register_purger(name="applications.orphans", description="files without an attachment")
def _orphans_purge() -> int:
    return attachments_sweep_orphans()


@register_purger(name="applications.drafts", description="expired drafts and their files")
def drafts_purge_expired() -> int:
    """Delete drafts past their expiry date together with their uploaded files."""
    count = 0
    for application in Application.objects.filter(
        status=ApplicationStatus.DRAFT, expires_at__lt=timezone.now()
    ).iterator():
        application_discard(application=application)
        count += 1
    return count


@transaction.atomic
def application_discard(*, application: Application) -> None:
    """Delete a draft and its files at the citizen's request."""
    for attachment in application.attachments.all():
        attachment_delete(attachment=attachment)
    application.delete()


@register_purger(name="applications.submitted", description="cases past their retention period")
def submitted_purge_expired() -> int:
    """Delete cases whose retention period is over, with their application and files."""
    count = 0
    for case in Case.objects.filter(delete_after__lt=timezone.localdate()).select_related(
        "application"
    ):
        with transaction.atomic():
            application = case.application
            case_delete(case=case)
            application_discard(application=application)
        count += 1
    return count


def application_answer(
    *, application: Application, case: Case, answer: str, uploads: dict[str, CleanUpload]
) -> None:
    """Store the applicant's documents and answer; the case goes back to the caseworker."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            for field_id, upload in uploads.items():
                stored.append(
                    attachment_store(application=application, field_id=field_id, upload=upload)
                )
            information_answer(case=case, applicant=application.applicant, answer=answer)
    except BaseException:
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
