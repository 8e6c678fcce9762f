"""Seats under real concurrency on PostgreSQL: 40 sign-ups at once for 10 seats, each on its
own connection."""

import pytest

from rathaus.applications.tests.test_concurrency import _parallel as parallel
from rathaus.workshops.models import Registration, RegistrationStatus
from rathaus.workshops.services import EventError, registration_cancel, registration_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _parallel(count: int, work) -> list:
    """`work(i)` on `count` connections at once; a refusal is returned, not raised."""

    def attempt(index: int):
        try:
            return work(index)
        except EventError as exc:
            return exc

    return parallel(count, attempt)


def _sign_up(event, index: int):
    return registration_create(
        event=event, name=f"Person {index}", email=f"person{index}@example.org"
    )


def test_forty_parallel_sign_ups_for_ten_seats_give_ten_seats_and_thirty_waiting(make_event):
    event = make_event(capacity=10, waiting_list=True)
    results = _parallel(40, lambda i: _sign_up(event, i))
    assert not [r for r in results if isinstance(r, EventError)]
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 10
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 30
    # Arrival order: the key and the time are given out under the event's lock, so the ten
    # seats went to the first ten arrivals and the waiting list keeps the order of the rest.
    rows = list(Registration.objects.order_by("pk"))
    assert [r.status for r in rows] == ["confirmed"] * 10 + ["waiting"] * 30
    assert [r.created_at for r in rows] == sorted(r.created_at for r in rows)


def test_forty_parallel_sign_ups_without_waiting_list_refuse_thirty(make_event):
    event = make_event(capacity=10, waiting_list=False)
    results = _parallel(40, lambda i: _sign_up(event, i))
    refused = [r for r in results if isinstance(r, EventError)]
    assert len(refused) == 30 and {r.code for r in refused} == {"full"}
    assert Registration.objects.count() == 10


def test_twenty_parallel_sign_ups_with_one_address_give_one_registration(make_event):
    event = make_event(capacity=10)
    results = _parallel(20, lambda _i: _sign_up(event, 0))
    assert len([r for r in results if isinstance(r, EventError)]) == 19
    assert Registration.objects.count() == 1


def test_parallel_cancellations_promote_each_waiting_person_once(make_event):
    event = make_event(capacity=10, waiting_list=True)
    for index in range(20):
        _sign_up(event, index)
    seats = list(Registration.objects.filter(status=RegistrationStatus.CONFIRMED))
    _parallel(10, lambda i: registration_cancel(registration=seats[i]))
    remaining = list(Registration.objects.order_by("pk"))
    assert [r.status for r in remaining] == ["confirmed"] * 10
    assert [r.email for r in remaining] == [f"person{i}@example.org" for i in range(10, 20)]
