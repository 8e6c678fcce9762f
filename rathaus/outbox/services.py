import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from rathaus.core.retention import register_purger

from .models import EmailStatus, OutgoingEmail

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
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
    )
    email_send.enqueue(email_id=email.pk)
    return email


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
