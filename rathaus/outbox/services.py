import base64
import csv
import io
import logging
import re
import warnings
from datetime import timedelta

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core.retention import register_purger

from .models import BatchStatus, EmailStatus, Letter, LetterStatus, OutgoingEmail, PrintBatch

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@transaction.atomic
def email_queue(*, message: EmailMessage) -> OutgoingEmail:
    """Store a rendered e-mail and enqueue its delivery in the same transaction."""
    from .tasks import email_send

    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"), ""
        )
    email = OutgoingEmail.objects.create(
        to=list(message.to),
        subject=message.subject,
        body_text=message.body,
        body_html=html,
        attachments=[_attachment_stored(a) for a in message.attachments],
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
    )
    email_send.enqueue(email_id=email.pk)
    return email


def _attachment_stored(attachment) -> dict:
    """A (filename, content, mimetype) attachment of an EmailMessage as a JSON-safe dict."""
    filename, content, mimetype = attachment
    if isinstance(content, str):
        content = content.encode("utf-8")
    return {
        "filename": filename,
        "mimetype": mimetype or "application/octet-stream",
        "content": base64.b64encode(content).decode("ascii"),
    }


def email_deliver(*, email_id: int) -> bool:
    """Send one queued e-mail; idempotent (a sent e-mail is never sent again)."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != EmailStatus.QUEUED:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=email.from_email,
            to=email.to,
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        for attachment in email.attachments:
            message.attach(
                attachment["filename"],
                base64.b64decode(attachment["content"]),
                attachment["mimetype"],
            )
        email.attempts += 1
        try:
            message.send()
        except OSError as exc:
            # The error class only: SMTP replies can quote the recipient's address.
            email.last_error = type(exc).__name__
            if email.attempts >= MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
            else:
                _retry_later(email)
            email.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("E-mail %s not delivered (attempt %s)", email.pk, email.attempts)
            return False
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at"])
    return True


def _retry_later(email: OutgoingEmail) -> None:
    """Try again later, waiting longer after each failure (1, 4, 9, 16 minutes)."""
    from .tasks import email_send

    if not email_send.get_backend().supports_defer:
        return  # a backend without deferred tasks (tests): the e-mail stays queued
    run_after = timezone.now() + timedelta(minutes=email.attempts**2)
    email_send.using(run_after=run_after).enqueue(email_id=email.pk)


@register_purger(name="outbox.email", description="sent and failed e-mails")
def email_purge_expired() -> int:
    cutoff = timezone.now() - timedelta(days=settings.RATHAUS_EMAIL_RETENTION_DAYS)
    deleted, _ = OutgoingEmail.objects.filter(
        created_at__lt=cutoff, status__in=[EmailStatus.SENT, EmailStatus.FAILED]
    ).delete()
    return deleted


# --- Central print (Druckstraße) -----------------------------------------------------------


class LetterError(Exception):
    """A letter that cannot go to print; the message is translated."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


POSTCODE_RE = re.compile(r"^\d{5}$")


def letter_queue(
    *, pdf: bytes, title: str, recipient_lines: list[str], case=None, reference: str = ""
) -> Letter:
    """Put a letter in the outbox of the central print shop.

    `recipient_lines` is the address as it is printed in the window: name first, the town with
    its postcode last (a German address; the postcode goes into the manifest for the post).
    """
    lines = [line.strip() for line in recipient_lines if line and line.strip()]
    if len(lines) < 3 or len(lines) > 6:
        raise LetterError(
            _("An address needs a name, a street and a town (six lines at most)."), code="address"
        )
    postcode = lines[-1].split(" ", 1)[0]
    if not POSTCODE_RE.match(postcode):
        raise LetterError(
            _("The last address line must start with a five-digit postcode."), code="postcode"
        )
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            pages = len(document.pages)
    except pikepdf.PdfError as exc:
        raise LetterError(_("The letter is not a readable PDF."), code="pdf") from exc
    if pages == 0:
        raise LetterError(_("The letter is not a readable PDF."), code="pdf")
    letter = Letter(
        case=case,
        reference=reference or (case.reference if case else ""),
        title=title[:200],
        recipient=lines,
        postcode=postcode,
        pages=pages,
    )
    letter.file.save("letter.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            letter.save()
    except BaseException:
        letter.file.storage.delete(letter.file.name)  # leave no orphaned file
        raise
    return letter


def print_batch_create(*, actor=None, limit: int = 500) -> PrintBatch | None:
    """Merge the waiting letters into one print-ready PDF with a cover sheet and a manifest.

    Letters are claimed with SKIP LOCKED, so two batches made at the same moment never share a
    letter; when anything fails the transaction rolls back and every letter stays waiting.
    Returns None when no letter is waiting.
    """
    from rathaus.documents.rendering import pdf_render

    stored: list[tuple] = []
    try:
        with transaction.atomic():
            letters = list(
                Letter.objects.select_for_update(skip_locked=True)
                .filter(status=LetterStatus.QUEUED)
                .order_by("created_at", "pk")[:limit]
            )
            if not letters:
                return None
            batch = PrintBatch.objects.create(
                created_by=actor,
                letter_count=len(letters),
                page_count=0,
                file="",
                manifest="",
            )
            cover = pdf_render(
                template="outbox/print_cover.html",
                context={
                    "batch": batch,
                    "letters": letters,
                    "pages": sum(x.pages for x in letters),
                },
            )
            # The sources stay open until the merged file is written: pikepdf copies lazily.
            sources = [pikepdf.open(io.BytesIO(cover))]
            rows = []
            merged = pikepdf.new()
            with warnings.catch_warnings():
                # Paper needs the pages only: the seal's (invisible) signature field is left
                # behind on purpose, since a merged file could not carry a valid seal anyway.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                merged.pages.extend(sources[0].pages)
                for position, letter in enumerate(letters, start=1):
                    with letter.file.open("rb") as handle:
                        sources.append(pikepdf.open(io.BytesIO(handle.read())))
                    first_page = len(merged.pages) + 1
                    rows.append(
                        [position, letter.reference, letter.pages, first_page, letter.postcode]
                    )
                    merged.pages.extend(sources[-1].pages)
            _widgets_drop(merged)
            output = io.BytesIO()
            merged.save(output)
            for source in sources:
                source.close()
            batch.page_count = len(merged.pages)
            batch.file.save(f"batch-{batch.pk}.pdf", ContentFile(output.getvalue()), save=False)
            stored.append((batch.file.storage, batch.file.name))
            batch.manifest.save(
                f"batch-{batch.pk}.csv", ContentFile(_manifest_csv(rows)), save=False
            )
            stored.append((batch.manifest.storage, batch.manifest.name))
            batch.save(update_fields=["page_count", "file", "manifest"])
            Letter.objects.filter(pk__in=[x.pk for x in letters]).update(
                status=LetterStatus.BATCHED, batch=batch
            )
            _batch_audit(batch=batch, actor=actor, action="print_batch.created")
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    return batch


def _widgets_drop(pdf: pikepdf.Pdf) -> None:
    """Remove form widgets (the seals' signature fields) from the pages: paper has no forms."""
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if a.get("/Subtype") != pikepdf.Name.Widget]
        if kept:
            page.obj.Annots = pikepdf.Array(kept)
        else:
            del page.obj["/Annots"]


def _manifest_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["position", "reference", "pages", "first_page", "postcode"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def print_batch_mark(*, batch: PrintBatch, status: str, actor) -> PrintBatch:
    """Print staff confirm a batch printed, then posted; the case timelines show the posting."""
    from rathaus.cases.services import case_event_record

    order = [BatchStatus.READY, BatchStatus.PRINTED, BatchStatus.POSTED]
    with transaction.atomic():
        batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        if status not in order or order.index(status) != order.index(batch.status) + 1:
            raise LetterError(
                _("This batch is already marked “%(status)s”.")
                % {"status": batch.get_status_display()},
                code="state",
            )
        now = timezone.now()
        batch.status = status
        if status == BatchStatus.PRINTED:
            batch.printed_at = now
            batch.save(update_fields=["status", "printed_at"])
            batch.letters.update(status=LetterStatus.PRINTED)
        else:
            batch.posted_at = now
            batch.save(update_fields=["status", "posted_at"])
            batch.letters.update(status=LetterStatus.POSTED, posted_at=now)
            for letter in batch.letters.exclude(case=None).select_related("case"):
                case_event_record(case=letter.case, kind="letter_posted")
        _batch_audit(batch=batch, actor=actor, action=f"print_batch.{status}")
    return batch


def _batch_audit(*, batch: PrintBatch, actor, action: str) -> None:
    from rathaus.audit.services import audit_record

    audit_record(
        actor=actor,
        action=action,
        object_type="outbox.printbatch",
        object_id=str(batch.pk),
        data={"letters": batch.letter_count, "pages": batch.page_count},
    )


@register_purger(
    name="outbox.print", description="print copies of letters and batches, after posting"
)
def print_purge_expired() -> int:
    """The print shop's copies go once posted for the print retention period; the documents
    themselves stay in the case file."""
    cutoff = timezone.now() - timedelta(days=settings.RATHAUS_PRINT_RETENTION_DAYS)
    deleted = 0
    for batch in PrintBatch.objects.filter(status=BatchStatus.POSTED, posted_at__lt=cutoff):
        files = [(f.storage, f.name) for f in (batch.file, batch.manifest)]
        files += [(x.file.storage, x.file.name) for x in batch.letters.all()]
        with transaction.atomic():
            deleted += batch.letters.all().delete()[0]
            batch.delete()
        for storage, name in files:
            storage.delete(name)
        deleted += 1
    return deleted


@register_purger(name="outbox.orphans", description="print files without a letter or batch")
def print_orphans_purge() -> int:
    """Letters deleted with their case (retention) leave their print copy behind."""
    from rathaus.core.storage import storage_sweep_orphans

    known = set(Letter.objects.values_list("file", flat=True))
    for batch_file, manifest in PrintBatch.objects.values_list("file", "manifest"):
        known.update((batch_file, manifest))
    return storage_sweep_orphans(folder="outbox", known=known)
