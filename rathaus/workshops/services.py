"""Sign-up for events: seats under a row lock, the waiting list, cancellation with automatic
promotion, reminders and retention. Every e-mail goes through the outbox queue."""

import csv
import datetime
import io
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.audit.services import audit_record
from rathaus.core.retention import register_purger
from rathaus.outbox.services import email_queue

from .ics import event_ics
from .models import Event, Registration, RegistrationStatus

logger = logging.getLogger(__name__)

TOKEN_SALT = "rathaus.workshops.cancel"  # noqa: S105  (a signing salt, not a secret)


class EventError(Exception):
    """A sign-up or change that cannot be made; the message is translated for the person."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


# --- Reading the state of an event (used under the event's lock) -----------------------------


def _confirmed(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def registration_window_check(*, event: Event, now: datetime.datetime | None = None) -> None:
    """Raise EventError when nobody can sign up for the event now."""
    now = now or timezone.now()
    if not event.published:
        raise EventError(_("This event does not take sign-ups."), code="unpublished")
    if now >= event.starts_at:
        raise EventError(_("This event has already started or is over."), code="past")
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = formats.date_format(
            timezone.localtime(event.registration_opens_at), "DATETIME_FORMAT"
        )
        raise EventError(_("Registration opens on %(date)s.") % {"date": opens}, code="not_open")
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise EventError(_("Registration for this event has closed."), code="closed")


# --- Sign-up, cancellation, promotion --------------------------------------------------------


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    accessibility_needs: str = "",
    language: str | None = None,
) -> Registration:
    """Sign a person up: a seat when one is free, else the waiting list, else EventError("full").

    The event's row is locked for the count and the insert, so parallel sign-ups on any
    number of machines never take more seats than there are, and the waiting list keeps the
    order in which the sign-ups got the lock.
    """
    name, email = " ".join(name.split()), email.strip()
    if not name or not email:
        raise EventError(_("Please give your name and e-mail address."), code="invalid")
    try:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            registration_window_check(event=locked)
            if locked.registrations.filter(email__iexact=email).exists():
                raise _already_registered()
            if _confirmed(locked) < locked.capacity:
                status = RegistrationStatus.CONFIRMED
            elif locked.waiting_list:
                status = RegistrationStatus.WAITING
            else:
                raise EventError(
                    _("Sorry, all seats are taken and there is no waiting list."), code="full"
                )
            now = timezone.now()
            registration = Registration.objects.create(
                event=locked,
                name=name,
                email=email,
                accessibility_needs=accessibility_needs.strip(),
                status=status,
                language=language or translation.get_language() or settings.LANGUAGE_CODE,
                confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
            )
            _notify(
                registration, "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting"
            )
            return registration
    except IntegrityError as exc:
        # Only the unique e-mail per event can fail here (the lock serialises everything else).
        raise _already_registered() from exc


def _already_registered() -> EventError:
    return EventError(
        _(
            "This e-mail address is already registered for this event. The confirmation "
            "e-mail holds the link to cancel."
        ),
        code="duplicate",
    )


def waiting_position(*, registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None for a confirmed seat."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = registration.event.registrations.filter(
        status=RegistrationStatus.WAITING, pk__lt=registration.pk
    ).count()
    return ahead + 1


def _promote(event: Event) -> list[Registration]:
    """Give free seats to the waiting list in order of arrival; call with the event locked."""
    free = event.capacity - _confirmed(event)
    promoted = []
    if free <= 0:
        return promoted
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("pk")[:free]
    now = timezone.now()
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        _notify(registration, "promoted")
        promoted.append(registration)
    return promoted


def registration_cancel(
    *, registration: Registration, actor: User | None = None
) -> list[Registration]:
    """Cancel a sign-up (by the person, or by staff as `actor`) and give the freed seat to the
    first person waiting, in the same transaction. Returns the promoted registrations."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.filter(pk=registration.pk, event=event).first()
        if current is None:
            raise EventError(_("This registration was already cancelled."), code="gone")
        if actor is None and timezone.now() >= event.starts_at:
            raise EventError(
                _("The event has already started; the registration can no longer be cancelled."),
                code="past",
            )
        _notify(current, "cancelled_by_staff" if actor else "cancelled")
        if actor is not None:
            audit_record(
                actor=actor,
                action="workshops.registration_cancelled",
                object_type="workshops.event",
                object_id=str(event.pk),
                data={"registration": current.pk, "status": current.status},
            )
        current.delete()
        return _promote(event)


def cancel_token(*, registration: Registration) -> str:
    """The signed token of the cancellation link: no login needed, nothing to guess."""
    return signing.dumps({"r": registration.pk, "e": registration.event_id}, salt=TOKEN_SALT)


def registration_for_token(*, token: str) -> Registration:
    """The registration a cancellation link stands for; EventError when forged or used."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        pk, event_id = int(data["r"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise EventError(
            _("This cancellation link is not valid. Please use the link from your e-mail."),
            code="bad_token",
        ) from exc
    registration = (
        Registration.objects.select_related("event").filter(pk=pk, event_id=event_id).first()
    )
    if registration is None:
        raise EventError(_("This registration was already cancelled."), code="gone")
    return registration


# --- Staff: events and the attendee list -----------------------------------------------------


@transaction.atomic
def event_save(*, event: Event, actor: User, created: bool) -> Event:
    """Save an event a member of its department created or changed (validated by its form).

    More seats give the waiting list its turn at once; fewer seats than confirmed sign-ups
    are refused, since nobody loses a confirmed seat without being told.
    """
    if not created:
        locked = Event.objects.select_for_update().get(pk=event.pk)
        confirmed = _confirmed(locked)
        if event.capacity < confirmed:
            raise EventError(
                _(
                    "%(count)d people already have a confirmed seat. Cancel registrations "
                    "first if the event must get smaller."
                )
                % {"count": confirmed},
                code="capacity",
            )
    event.save()
    promoted = [] if created else _promote(event)
    audit_record(
        actor=actor,
        action="workshops.event_created" if created else "workshops.event_changed",
        object_type="workshops.event",
        object_id=str(event.pk),
        data={
            "slug": event.slug,
            "capacity": event.capacity,
            "published": event.published,
            "promoted": len(promoted),
        },
    )
    return event


ATTENDEE_COLUMNS = ["status", "position", "name", "email", "accessibility_needs", "signed_up"]


def attendee_list_export(*, event: Event, actor: User) -> str:
    """The attendee list as CSV (semicolon-separated, as German spreadsheets expect); audited."""
    from .selectors import attendees

    rows = attendees(event=event)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(ATTENDEE_COLUMNS)
    for position, registration in enumerate(rows["waiting"], start=1):
        registration.position = position
    for registration in [*rows["confirmed"], *rows["waiting"]]:
        writer.writerow(
            [
                registration.status,
                getattr(registration, "position", ""),
                _csv_safe(registration.name),
                _csv_safe(registration.email),
                _csv_safe(registration.accessibility_needs),
                timezone.localtime(registration.created_at).isoformat(timespec="seconds"),
            ]
        )
    audit_record(
        actor=actor,
        action="workshops.attendees_exported",
        object_type="workshops.event",
        object_id=str(event.pk),
        data={"rows": len(rows["confirmed"]) + len(rows["waiting"])},
    )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- E-mail ----------------------------------------------------------------------------------

SUBJECTS = {
    "confirmed": lambda: _("Your seat: %(title)s"),
    "waiting": lambda: _("You are on the waiting list: %(title)s"),
    "promoted": lambda: _("A seat became free for you: %(title)s"),
    "cancelled": lambda: _("Registration cancelled: %(title)s"),
    "cancelled_by_staff": lambda: _("Your registration was cancelled: %(title)s"),
    "reminder": lambda: _("Reminder: %(title)s"),
}
# Kinds whose e-mail carries the calendar file: the person has a seat.
WITH_CALENDAR = {"confirmed", "promoted", "reminder"}


def _notify(registration: Registration, kind: str) -> None:
    """Queue the e-mail of `kind` to the person, in the language they signed up in."""
    event = registration.event
    with translation.override(registration.language):
        cancel_url = settings.RATHAUS_SITE_URL + reverse(
            "events:cancel", args=[cancel_token(registration=registration)]
        )
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "starts": timezone.localtime(event.starts_at),
            "ends": timezone.localtime(event.ends_at),
            "position": waiting_position(registration=registration),
            "with_link": kind in WITH_CALENDAR,
            "cancel_url": cancel_url if kind not in {"cancelled", "cancelled_by_staff"} else "",
            "event_url": settings.RATHAUS_SITE_URL + reverse("events:detail", args=[event.slug]),
            "city_name": settings.RATHAUS_CITY_NAME,
            "department": event.department,
        }
        subject = SUBJECTS[kind]() % {"title": event.display_title}
        body = render_to_string("workshops/email/message.txt", context)
        message = EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            to=[registration.email],
            reply_to=[event.department.email] if event.department.email else None,
        )
        if kind in WITH_CALENDAR:
            message.attach(f"{event.slug}.ics", event_ics(event=event), "text/calendar")
    email_queue(message=message)


# --- Daily jobs ------------------------------------------------------------------------------


def event_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail every confirmed participant once, RATHAUS_EVENTS_REMINDER_DAYS before the event.

    Idempotent: the reminder's time is set in the transaction that queues it, and only a
    registration without one gets one, however often (or in parallel) this runs.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.RATHAUS_EVENTS_REMINDER_DAYS)
    candidates = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=horizon,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=pk, reminder_sent_at__isnull=True, status=RegistrationStatus.CONFIRMED
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            _notify(Registration.objects.select_related("event__department").get(pk=pk), "reminder")
            sent += 1
    if sent:
        logger.info("event reminders queued: %s", sent)
    return sent


@register_purger(
    name="workshops.registrations",
    description="event sign-ups, RATHAUS_EVENTS_RETENTION_DAYS after the event",
)
def registrations_purge_expired() -> int:
    cutoff = timezone.now() - datetime.timedelta(days=settings.RATHAUS_EVENTS_RETENTION_DAYS)
    deleted, _ = Registration.objects.filter(event__ends_at__lt=cutoff).delete()
    return deleted


def event_ensure(*, slug: str, department_code: str, **fields) -> tuple[Event, bool]:
    """The event with this slug, created with `fields` if missing (for demo and seed data);
    an existing event is left as it is, so running a loader again changes nothing."""
    from rathaus.accounts.models import Department

    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        return event, False
    department = Department.objects.get(code=department_code)
    return Event.objects.create(slug=slug, department=department, **fields), True
