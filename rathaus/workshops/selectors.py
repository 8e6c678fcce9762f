from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.cases.selectors import staff_departments

from .models import Event, Registration, RegistrationStatus


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    ).annotate(seats_free=Greatest(F("capacity") - F("confirmed_count"), 0))


def events_upcoming() -> QuerySet[Event]:
    """Published events that have not ended, soonest first, with their seat counts."""
    return _with_counts(Event.objects.filter(published=True, ends_at__gt=timezone.now())).order_by(
        "starts_at", "pk"
    )


def event_public(*, slug: str) -> Event | None:
    return _with_counts(Event.objects.filter(published=True, slug=slug)).first()


def events_for_staff(*, user: User) -> QuerySet[Event]:
    """Every event of the user's departments, the latest first."""
    return (
        _with_counts(Event.objects.filter(department__in=staff_departments(user=user)))
        .select_related("department")
        .order_by("-starts_at", "-pk")
    )


def event_for_staff(*, user: User, pk: int) -> Event | None:
    """An event of one of the user's departments; None for every other one (answered 404)."""
    return events_for_staff(user=user).filter(pk=pk).first()


def attendees(*, event: Event) -> dict[str, list[Registration]]:
    """Confirmed participants and the waiting list (in its order)."""
    # The primary key is given out under the event's lock: its order is the order of arrival.
    rows = list(event.registrations.order_by("pk"))
    return {
        "confirmed": [r for r in rows if r.status == RegistrationStatus.CONFIRMED],
        "waiting": [r for r in rows if r.status == RegistrationStatus.WAITING],
    }
