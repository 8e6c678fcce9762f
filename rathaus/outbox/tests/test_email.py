from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from rathaus.outbox.models import EmailStatus, OutgoingEmail
from rathaus.outbox.services import email_deliver, email_purge_expired, email_queue

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _message():
    message = EmailMultiAlternatives("Betreff", "Text", "rathaus@example.org", ["a@example.org"])
    message.attach_alternative("<p>Text</p>", "text/html")
    return message


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection
def test_a_queued_email_waits_in_the_database_queue_until_a_worker_sends_it(settings):
    settings.TASKS = DB_QUEUE
    email = email_queue(message=_message())
    assert mail.outbox == []
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0].content == "<p>Text</p>"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_delivering_twice_sends_once():
    email = email_queue(message=_message())  # immediate backend in tests: sent already
    assert email_deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_keeps_the_email_queued_without_personal_data_in_the_error(
    settings,
):
    settings.TASKS = DB_QUEUE
    email = email_queue(message=_message())
    with mock.patch(
        "django.core.mail.EmailMessage.send",
        side_effect=SMTPServerDisconnected("a@example.org refused"),
    ):
        assert email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1
    assert "example.org" not in email.last_error
    assert email_deliver(email_id=email.pk) is True


def test_sent_emails_are_purged_after_the_retention_period(settings):
    settings.RATHAUS_EMAIL_RETENTION_DAYS = 30
    old = email_queue(message=_message())
    recent = email_queue(message=_message())
    OutgoingEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert email_purge_expired() == 1
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_failed_delivery_is_tried_again_later_with_a_growing_pause(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_QUEUE
    email = email_queue(message=_message())
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected("down")
    ):
        assert email_deliver(email_id=email.pk) is False
    # The first try has no time set (stored as the maximum date); the retry waits a minute.
    retry = DBTaskResult.objects.get(
        run_after__gt=timezone.now() + timedelta(seconds=50),
        run_after__lt=timezone.now() + timedelta(minutes=2),
    )
    assert retry.args_kwargs["kwargs"] == {"email_id": email.pk}
