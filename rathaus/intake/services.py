"""Incoming mail: receive files, attach letters to cases, route and correct them, reprocess dead
letters, recover stuck steps, scanners and their tokens, retention."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import Department, User
from rathaus.applications.uploads import display_name_clean
from rathaus.audit.services import audit_record
from rathaus.core.retention import register_purger

from .models import Channel, IntakeItem, Receipt, ReconciliationReport, Scanner, Status, Step
from .pipeline.runner import step_enqueue
from .routing import RouteDecision, route_decide, routing_table

logger = logging.getLogger(__name__)

CLASSIFIER = "intake"
MIB = 1024 * 1024
# An item that waits unclaimed this long has lost its task (pruned, failed in the framework).
STALE_AFTER = datetime.timedelta(hours=1)


class IntakeRefused(Exception):
    """A file refused at the door (too large); the message is translated."""

    def __init__(self, message, *, code: str = "too_large"):
        super().__init__(message)
        self.message = message
        self.code = code


class IntakeActionError(Exception):
    """A staff action that is not possible on the item as it is; the message is translated."""

    def __init__(self, message, *, code: str = "not_allowed"):
        super().__init__(message)
        self.message = message
        self.code = code


def max_bytes() -> int:
    return settings.RATHAUS_INTAKE_MAX_MB * MIB


def too_large_message() -> str:
    return _("The file is larger than %(limit)s MB and was not accepted.") % {
        "limit": settings.RATHAUS_INTAKE_MAX_MB
    }


def _too_large() -> IntakeRefused:
    return IntakeRefused(too_large_message())


def _digest(file) -> tuple[str, int]:
    """SHA-256 and size of a file object, read in chunks; refuses a file over the limit."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    while chunk := file.read(MIB):
        size += len(chunk)
        if size > max_bytes():
            raise _too_large()
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _display_name(name: str) -> str:
    suffix = PurePath(name or "").suffix.lstrip(".").lower()
    extension = suffix if re.fullmatch(r"[a-z0-9]{1,5}", suffix) else "bin"
    return display_name_clean(name or "", extension)


def _transfer_note(*, channel, scanner, operator, now, sha256, size, file_name) -> dict:
    """The RESISCAN-style transfer note; preflight adds the pages and anomalies."""
    return {
        "channel": channel,
        "scanner": scanner.name if scanner else None,
        "operator": (operator.get_full_name() or operator.email) if operator else None,
        "received_at": now.isoformat(),
        "sha256": sha256,
        "size": size,
        "file_name": file_name,
    }


def intake_receive(
    *,
    file,
    file_name: str,
    channel: str,
    scanner: Scanner | None = None,
    operator: User | None = None,
    key: str = "",
    start: bool = True,
) -> Receipt:
    """Store a received file once, by its SHA-256, and queue its preflight.

    Every arrival gets a receipt. A file stored before gets a receipt marked as duplicate; the
    same `key` again (a retried request, a restarted drop-folder watcher) returns the receipt
    it got the first time. `start=False` queues nothing (`manage.py intake_run`).
    """
    key = key or f"{channel}:{uuid.uuid4().hex}"
    known = Receipt.objects.filter(key=key).select_related("item").first()
    if known is not None:
        return known
    sha256, size = _digest(file)
    name = _display_name(file_name)
    now = timezone.now()
    details = {
        "key": key,
        "channel": channel,
        "scanner": scanner,
        "operator": operator,
        "file_name": name,
        "size": size,
        "received_at": now,
    }
    existing = IntakeItem.objects.filter(sha256=sha256).first()
    if existing is not None:
        return _duplicate(existing, details)
    extension = PurePath(name).suffix or ".bin"
    stored = default_storage.save(
        f"intake/originals/{timezone.localdate(now):%Y/%m}/{sha256}{extension}", File(file)
    )
    try:
        with transaction.atomic():
            item = IntakeItem.objects.create(
                sha256=sha256,
                original=stored,
                size=size,
                file_name=name,
                channel=channel,
                scanner=scanner,
                operator=operator,
                received_at=now,
                transfer_note=_transfer_note(
                    channel=channel,
                    scanner=scanner,
                    operator=operator,
                    now=now,
                    sha256=sha256,
                    size=size,
                    file_name=name,
                ),
                step=Step.PREFLIGHT,
                delete_after=timezone.localdate(now)
                + datetime.timedelta(days=settings.RATHAUS_INTAKE_RETENTION_DAYS),
            )
            receipt = Receipt.objects.create(item=item, **details)
            audit_record(
                actor=operator,
                action="intake.received",
                object_type="intake.intakeitem",
                object_id=str(item.pk),
                data={"channel": channel, "size": size, "scanner": scanner.pk if scanner else None},
            )
            if start:
                step_enqueue(item_id=item.pk, step=Step.PREFLIGHT)
    except IntegrityError:
        # The same file (or the same delivery) arrived through another process at this moment.
        default_storage.delete(stored)
        known = Receipt.objects.filter(key=key).select_related("item").first()
        if known is not None:
            return known
        return _duplicate(IntakeItem.objects.get(sha256=sha256), details)
    except BaseException:
        default_storage.delete(stored)  # leave no orphaned file
        raise
    return receipt


def _duplicate(item: IntakeItem, details: dict) -> Receipt:
    with transaction.atomic():
        receipt = Receipt.objects.create(item=item, duplicate=True, **details)
        audit_record(
            actor=details["operator"],
            action="intake.duplicate_received",
            object_type="intake.intakeitem",
            object_id=str(item.pk),
            data={"channel": details["channel"]},
        )
    logger.info("Intake: a file arrived again (item %s)", item.pk)
    return receipt


# --- Matching and routing (called by the pipeline's steps inside their commit) -----------------


def item_case_attach(*, item: IntakeItem, case) -> None:
    """Attach a letter to the case it quotes: timeline entry, caseworker told, kept as long as
    the case. The caller saves the item."""
    from rathaus.cases.services import case_event_record

    item.matched_case = case
    item.matched_reference = case.reference
    item.delete_after = max(item.delete_after, case.delete_after)
    case_event_record(case=case, kind="letter_received")
    _case_notify(item=item, case=case)
    audit_record(
        actor=None,
        action="intake.matched",
        object_type="intake.intakeitem",
        object_id=str(item.pk),
        data={"case": case.pk},
    )


def _case_notify(*, item: IntakeItem, case) -> None:
    """E-mail the case's caseworker (else the department's address): the reference, no more."""
    from django.core.mail import EmailMessage
    from django.urls import reverse

    from rathaus.outbox.services import email_queue

    if case.assignee is not None and case.assignee.is_active:
        recipients = [case.assignee.email]
    elif case.department.email:
        recipients = [case.department.email]
    else:
        return  # the letter waits in the department's mail inbox all the same
    url = settings.RATHAUS_SITE_URL + reverse("intake:item", args=[item.public_id])
    message = EmailMessage(
        subject=_("Letter received for case %(reference)s") % {"reference": case.reference},
        body=_(
            "A letter quoting the file reference %(reference)s has arrived and was attached to "
            "the case. Read it here: %(url)s"
        )
        % {"reference": case.reference, "url": url},
        to=recipients,
    )
    email_queue(message=message)


def _route_apply(
    *, item: IntakeItem, department: Department, triage: bool, explanation: dict, actor
) -> None:
    before = item.department.code if item.department_id else None
    item.department = department
    item.routing = explanation
    item.status = Status.TRIAGE if triage else Status.ROUTED
    audit_record(
        actor=actor,
        action="intake.routed",
        object_type="intake.intakeitem",
        object_id=str(item.pk),
        data={
            "department": department.code,
            "before": before,
            "triage": triage,
            "reason": explanation.get("reason"),
        },
    )


def item_route(*, item: IntakeItem, decision: RouteDecision, actor: User | None) -> None:
    """Send a letter to a department's mail inbox (or the triage queue); the caller saves it."""
    department = Department.objects.get(code=decision.department)
    _route_apply(
        item=item,
        department=department,
        triage=decision.triage,
        explanation=decision.explanation,
        actor=actor,
    )


# --- Staff actions -------------------------------------------------------------------------------


def _locked(item: IntakeItem) -> IntakeItem:
    return IntakeItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def item_classify_by_staff(
    *, item: IntakeItem, document_type: str, actor: User, department_code: str = ""
) -> IntakeItem:
    """Staff decide a letter's type: in the triage queue, or sending it to another department.

    The letter goes to the type's department (or to `department_code`); a type that differs
    from the classifier's, or one the classifier was unsure of, becomes a training example.
    """
    from rathaus.classifier.services import ClassifierError, training_example_add

    item = _locked(item)
    if item.status not in (Status.ROUTED, Status.TRIAGE):
        raise IntakeActionError(
            _("This letter cannot be sent on while it is “%(status)s”.")
            % {"status": item.get_status_display()}
        )
    table = routing_table()
    if table.type_of(document_type) is None:
        raise IntakeActionError(_("Please choose a document type."), code="type")
    if department_code:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise IntakeActionError(_("This department does not exist."), code="department")
    else:
        decision = route_decide(
            table=table,
            document_type=document_type,
            confidence=None,
            abstained=False,
            model_version="staff",
            case=item.matched_case,
        )
        department = Department.objects.get(code=decision.department)
    correction = (
        item.abstained or item.status == Status.TRIAGE or document_type != item.document_type
    )
    explanation = {
        "reason": "staff",
        "type": document_type,
        "by": actor.get_full_name() or actor.email,
        "classifier_type": item.document_type or None,
        "confidence": item.confidence,
        "reference": item.matched_reference or None,
    }
    _route_apply(
        item=item, department=department, triage=False, explanation=explanation, actor=actor
    )
    item.document_type = document_type
    item.abstained = False
    item.save()
    if correction and item.ocr_text.strip():
        try:
            training_example_add(
                name=CLASSIFIER, text=item.ocr_text, label=document_type, source="correction"
            )
        except ClassifierError as exc:
            raise IntakeActionError(exc.message, code="training") from exc
    return item


@transaction.atomic
def item_done(*, item: IntakeItem, actor: User) -> IntakeItem:
    item = _locked(item)
    if item.status != Status.ROUTED:
        raise IntakeActionError(_("Only a letter in a mail inbox can be marked as done."))
    item.status = Status.DONE
    item.done_at = timezone.now()
    item.done_by = actor
    item.save()
    audit_record(
        actor=actor, action="intake.done", object_type="intake.intakeitem", object_id=str(item.pk)
    )
    return item


@transaction.atomic
def item_reprocess(*, item: IntakeItem, actor: User | None) -> IntakeItem:
    """Send a dead letter through the pipeline again, from the step where it stopped."""
    item = _locked(item)
    if item.status != Status.DEAD_LETTER:
        raise IntakeActionError(_("Only a letter in the dead-letter list can be processed again."))
    before = item.dead_letter_reason
    item.status = Status.PROCESSING
    item.step = item.dead_letter_step or Step.PREFLIGHT
    item.attempts = 0
    item.claim_token = ""
    item.claimed_until = None
    item.dead_letter_reason = item.dead_letter_step = ""
    item.dead_letter_params = {}
    item.save()
    audit_record(
        actor=actor,
        action="intake.reprocessed",
        object_type="intake.intakeitem",
        object_id=str(item.pk),
        data={"reason": before, "step": item.step},
    )
    step_enqueue(item_id=item.pk, step=item.step)
    return item


def dead_letters_reprocess(*, actor: User | None, reason: str = "") -> int:
    """Reprocess every dead letter (of one reason), after the cause was fixed."""
    items = IntakeItem.objects.filter(status=Status.DEAD_LETTER)
    if reason:
        items = items.filter(dead_letter_reason=reason)
    count = 0
    for item in items.order_by("pk"):
        try:
            item_reprocess(item=item, actor=actor)
        except IntakeActionError:
            continue  # reprocessed by someone else meanwhile
        count += 1
    return count


# --- Reliability ---------------------------------------------------------------------------------


def intake_recover(*, now: datetime.datetime | None = None) -> int:
    """Queue again the steps whose worker died (lease run out) or whose task went missing.

    The expired claim is cleared, so a worker that comes back late discards its result.
    """
    now = now or timezone.now()
    expired = IntakeItem.objects.filter(status=Status.PROCESSING, claimed_until__lt=now)
    lost = IntakeItem.objects.filter(
        status=Status.PROCESSING, claimed_until__isnull=True, updated_at__lt=now - STALE_AFTER
    )
    recovered = 0
    for pk in list(expired.values_list("pk", flat=True)) + list(lost.values_list("pk", flat=True)):
        with transaction.atomic():
            item = IntakeItem.objects.select_for_update().filter(pk=pk).first()
            if item is None or item.status != Status.PROCESSING:
                continue
            if item.claimed_until is not None and item.claimed_until >= now:
                continue  # a worker claimed it meanwhile
            item.claim_token = ""
            item.claimed_until = None
            item.save(update_fields=["claim_token", "claimed_until", "updated_at"])
            step_enqueue(item_id=item.pk, step=item.step)
        logger.warning("Intake item %s: step %s queued again", pk, item.step)
        recovered += 1
    return recovered


# --- Scanners ------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    # Tokens are 256 random bits: a plain hash suffices, no slow password hash is needed.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def scanner_create(*, name: str) -> tuple[Scanner, str]:
    """A scanner and its API token; the token is shown once and stored only as a hash."""
    name = name.strip()
    if not name or Scanner.objects.filter(name=name).exists():
        raise IntakeActionError(_("A scanner needs a name of its own."), code="name")
    token = secrets.token_urlsafe(32)
    scanner = Scanner.objects.create(name=name, token_hash=_token_hash(token), token_hint=token[:6])
    audit_record(
        actor=None,
        action="intake.scanner_created",
        object_type="intake.scanner",
        object_id=str(scanner.pk),
        data={"name": name},
    )
    return scanner, token


def scanner_authenticate(*, token: str) -> Scanner | None:
    """The active scanner with this token, or None."""
    if not token:
        return None
    scanner = Scanner.objects.filter(token_hash=_token_hash(token), active=True).first()
    if scanner is not None:
        now = timezone.now()
        if scanner.last_used_at is None or now - scanner.last_used_at > datetime.timedelta(
            minutes=1
        ):
            Scanner.objects.filter(pk=scanner.pk).update(last_used_at=now)
    return scanner


@transaction.atomic
def scanner_deactivate(*, name: str) -> Scanner:
    scanner = Scanner.objects.select_for_update().filter(name=name).first()
    if scanner is None:
        raise IntakeActionError(_("There is no scanner of this name."), code="name")
    scanner.active = False
    scanner.deactivated_at = timezone.now()
    scanner.save(update_fields=["active", "deactivated_at"])
    audit_record(
        actor=None,
        action="intake.scanner_deactivated",
        object_type="intake.scanner",
        object_id=str(scanner.pk),
    )
    return scanner


# --- Retention -----------------------------------------------------------------------------------


def _item_files(item: IntakeItem) -> list[str]:
    return [name for name in (item.original.name, item.searchable.name) if name]


@register_purger(
    name="intake.items",
    description="incoming letters, scans and text (RATHAUS_INTAKE_RETENTION_DAYS or the case)",
)
def items_purge_expired() -> int:
    deleted = 0
    for item in IntakeItem.objects.filter(delete_after__lt=timezone.localdate()).order_by("pk"):
        files = _item_files(item)
        with transaction.atomic():
            item.delete()  # with its receipts
        for name in files:
            default_storage.delete(name)
        deleted += 1
    return deleted


@register_purger(name="intake.reports", description="daily intake reconciliations (400 days)")
def reports_purge_expired() -> int:
    cutoff = timezone.localdate() - datetime.timedelta(days=400)
    deleted, _by_model = ReconciliationReport.objects.filter(day__lt=cutoff).delete()
    return deleted


@register_purger(name="intake.scanners", description="switched-off scanners (365 days)")
def scanners_purge_expired() -> int:
    cutoff = timezone.now() - datetime.timedelta(days=365)
    deleted, _by_model = Scanner.objects.filter(active=False, deactivated_at__lt=cutoff).delete()
    return deleted


@register_purger(name="intake.orphans", description="intake files no letter refers to any more")
def intake_orphans_purge() -> int:
    from rathaus.core.storage import storage_sweep_orphans

    known = {
        name
        for pair in IntakeItem.objects.values_list("original", "searchable")
        for name in pair
        if name
    }
    return storage_sweep_orphans(folder="intake", known=known)


def transfer_note_pdf(*, item: IntakeItem) -> bytes:
    """The item's transfer note (RESISCAN: source, operator, time, pages, SHA-256, anomalies) as
    a PDF/A sealed with the city's electronic seal.

    Raises ImproperlyConfigured without a seal and DocumentError when the rendering is not
    PDF/A (the caller shows a message)."""
    from rathaus.documents.services import document_render_sealed

    from .selectors import anomaly_text

    note = item.transfer_note or {}
    context = {
        "item": item,
        "note": note,
        "channel_label": Channel(item.channel).label,
        "anomalies": [anomaly_text(anomaly) for anomaly in item.anomalies],
        "recipient_lines": [item.department.name if item.department_id else _("Post room")],
        "date": timezone.localdate(),
    }
    return document_render_sealed(template="intake/transfer_note.html", context=context)
