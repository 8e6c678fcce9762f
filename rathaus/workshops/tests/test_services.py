import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.outbox.models import OutgoingEmail
from rathaus.workshops.models import Registration, RegistrationStatus
from rathaus.workshops.services import (
    EventError,
    cancel_token,
    event_reminders_send,
    registration_cancel,
    registration_create,
    registration_for_token,
    registrations_purge_expired,
    waiting_position,
)

from .conftest import sign_up

pytestmark = pytest.mark.django_db


def test_sign_ups_take_the_seats_then_go_on_the_waiting_list_in_order(event):
    first, second, third, fourth = (sign_up(event, n) for n in range(4))
    assert [r.status for r in (first, second)] == [RegistrationStatus.CONFIRMED] * 2
    assert [r.status for r in (third, fourth)] == [RegistrationStatus.WAITING] * 2
    assert waiting_position(registration=third) == 1
    assert waiting_position(registration=fourth) == 2
    assert first.confirmed_at is not None and third.confirmed_at is None


def test_a_full_event_without_waiting_list_says_so_and_stores_nothing(make_event):
    event = make_event(waiting_list=False, capacity=1)
    sign_up(event, 1)
    with pytest.raises(EventError) as exc:
        sign_up(event, 2)
    assert exc.value.code == "full"
    assert Registration.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1


def test_the_same_email_signs_up_once_whatever_its_case(english, event):
    registration_create(event=event, name="Lena Weber", email="lena@example.org")
    with pytest.raises(EventError) as exc:
        registration_create(event=event, name="Lena Weber", email="LENA@example.org ")
    assert exc.value.code == "duplicate"
    assert "already registered" in str(exc.value.message)
    assert Registration.objects.count() == 1


def test_the_database_refuses_a_second_registration_with_the_same_email(event):
    from django.db import IntegrityError, transaction

    sign_up(event, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, name="X", email="PERSON1@example.org", status="confirmed"
        )


def test_the_same_email_may_sign_up_for_another_event(event, make_event):
    sign_up(event, 1)
    sign_up(make_event(), 1)
    assert Registration.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"published": False}, "unpublished"),
        ({"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)}, "closed"),
        ({"registration_opens_at": timezone.now() + datetime.timedelta(days=1)}, "not_open"),
    ],
)
def test_no_sign_up_outside_the_registration_window(event, changes, code):
    for name, value in changes.items():
        setattr(event, name, value)
    event.save()
    with pytest.raises(EventError) as exc:
        sign_up(event, 1)
    assert exc.value.code == code
    assert not Registration.objects.exists()


def test_no_sign_up_for_an_event_that_has_started(make_event):
    now = timezone.now()
    event = make_event(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1)
    )
    with pytest.raises(EventError) as exc:
        sign_up(event, 1)
    assert exc.value.code == "past"


def test_a_blank_name_is_refused(event):
    with pytest.raises(EventError):
        registration_create(event=event, name="   ", email="a@example.org")


def test_cancelling_a_seat_promotes_the_first_waiting_in_the_same_transaction(
    event, django_capture_on_commit_callbacks
):
    first = sign_up(event, 1)
    sign_up(event, 2)
    waiting_1, waiting_2 = sign_up(event, 3), sign_up(event, 4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(registration=first)
    assert [r.pk for r in promoted] == [waiting_1.pk]
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == RegistrationStatus.CONFIRMED
    assert waiting_2.status == RegistrationStatus.WAITING
    assert waiting_position(registration=waiting_2) == 1
    assert not Registration.objects.filter(pk=first.pk).exists()
    # The person who cancelled gets a confirmation; the promoted person the news and the .ics.
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"person1@example.org", "person3@example.org"}
    promotion = by_recipient["person3@example.org"]
    assert "seat" in promotion.subject.lower() or "Platz" in promotion.subject
    assert promotion.attachments[0][0].endswith(".ics")
    assert not by_recipient["person1@example.org"].attachments


def test_cancelling_a_place_on_the_waiting_list_promotes_nobody(event):
    sign_up(event, 1)
    sign_up(event, 2)
    waiting = sign_up(event, 3)
    assert registration_cancel(registration=waiting) == []
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 2


def test_a_cancelled_registration_cannot_be_cancelled_again(event):
    registration = sign_up(event, 1)
    registration_cancel(registration=registration)
    with pytest.raises(EventError) as exc:
        registration_cancel(registration=registration)
    assert exc.value.code == "gone"


def test_staff_cancellation_is_audited_and_tells_the_person(event, member):
    registration = sign_up(event, 1)
    registration_cancel(registration=registration, actor=member)
    entry = AuditEntry.objects.get(action="workshops.registration_cancelled")
    assert entry.actor == member
    assert "person1@example.org" not in str(entry.data)
    assert OutgoingEmail.objects.filter(to=["person1@example.org"]).count() == 2


def test_the_cancellation_token_leads_to_its_registration(event):
    registration = sign_up(event, 1)
    assert registration_for_token(token=cancel_token(registration=registration)) == registration


@pytest.mark.parametrize("token", ["", "nonsense", "eyJyIjoxLCJlIjoxfQ:1tAmpered:xyz"])
def test_a_forged_token_is_refused(event, token):
    sign_up(event, 1)
    with pytest.raises(EventError) as exc:
        registration_for_token(token=token)
    assert exc.value.code == "bad_token"


def test_a_token_signed_for_something_else_is_refused(event):
    from django.core import signing

    registration = sign_up(event, 1)
    other = signing.dumps({"r": registration.pk, "e": event.pk}, salt="something.else")
    with pytest.raises(EventError) as exc:
        registration_for_token(token=other)
    assert exc.value.code == "bad_token"


def test_the_token_of_a_cancelled_registration_says_so(event):
    registration = sign_up(event, 1)
    token = cancel_token(registration=registration)
    registration_cancel(registration=registration)
    with pytest.raises(EventError) as exc:
        registration_for_token(token=token)
    assert exc.value.code == "gone"


def test_the_person_cannot_cancel_once_the_event_started(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    now = timezone.now()
    type(event).objects.filter(pk=event.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1)
    )
    with pytest.raises(EventError) as exc:
        registration_cancel(registration=registration)
    assert exc.value.code == "past"


def test_confirmation_and_waiting_list_emails_are_queued_in_the_sign_up_language(event):
    sign_up(event, 1, language="en")
    sign_up(event, 2, language="de")
    sign_up(event, 3, language="en")
    emails = list(OutgoingEmail.objects.order_by("pk"))
    assert [e.to for e in emails] == [[f"person{n}@example.org"] for n in (1, 2, 3)]
    assert emails[0].subject == "Your seat: Open data workshop"
    assert emails[0].attachments[0]["filename"] == "workshop-1.ics"
    assert emails[0].attachments[0]["mimetype"] == "text/calendar"
    assert "/en/veranstaltungen/abmelden/" in emails[0].body_text
    assert emails[1].subject.endswith("Workshop Offene Daten")
    assert f"{settings.RATHAUS_SITE_URL}/veranstaltungen/abmelden/" in emails[1].body_text
    assert emails[2].attachments == []
    assert emails[2].subject == "You are on the waiting list: Open data workshop"
    assert "in place 1" in emails[2].body_text


def test_reminders_go_once_to_confirmed_participants_shortly_before(make_event, settings):
    settings.RATHAUS_EVENTS_REMINDER_DAYS = 2
    soon = make_event(
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=1, hours=2),
    )
    later = make_event()  # in 10 days
    sign_up(soon, 1)
    sign_up(soon, 2)
    sign_up(soon, 3)  # waiting: no reminder
    sign_up(later, 4)
    OutgoingEmail.objects.all().delete()
    assert event_reminders_send() == 2
    assert event_reminders_send() == 0
    assert sorted(e.to[0] for e in OutgoingEmail.objects.all()) == [
        "person1@example.org",
        "person2@example.org",
    ]
    assert all(e.attachments for e in OutgoingEmail.objects.all())
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 2


def test_the_daily_reminder_job_is_registered():
    from rathaus.core.schedule import daily_jobs

    assert "workshops.reminders" in {job.name for job in daily_jobs()}


def test_sign_ups_are_deleted_after_the_retention_period(make_event, settings):
    settings.RATHAUS_EVENTS_RETENTION_DAYS = 90
    now = timezone.now()
    old = make_event()
    recent = make_event()
    sign_up(old, 1)
    sign_up(recent, 2)
    type(old).objects.filter(pk=old.pk).update(
        starts_at=now - datetime.timedelta(days=92), ends_at=now - datetime.timedelta(days=91)
    )
    type(old).objects.filter(pk=recent.pk).update(
        starts_at=now - datetime.timedelta(days=30), ends_at=now - datetime.timedelta(days=29)
    )
    assert registrations_purge_expired() == 1
    assert list(Registration.objects.values_list("email", flat=True)) == ["person2@example.org"]


def test_the_purger_is_registered():
    from rathaus.core.retention import purgers

    assert "workshops.registrations" in {p.name for p in purgers()}
