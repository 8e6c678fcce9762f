import csv
import io

import pytest
from django.test import Client

from rathaus.accounts.tests.factories import DepartmentFactory, UserFactory
from rathaus.audit.models import AuditEntry
from rathaus.cases.tests.conftest import staff
from rathaus.workshops.models import Event, Registration, RegistrationStatus

from .conftest import sign_up

pytestmark = pytest.mark.django_db

EVENT_FORM = {
    "title": "Digitaltag",
    "title_en": "Digital Day",
    "slug": "digitaltag",
    "series": "",
    "description": "Alles Digitale.",
    "description_en": "",
    "starts_at": "2030-06-18T14:00",
    "ends_at": "2030-06-18T18:00",
    "place": "Rathaus Barmen",
    "online_url": "",
    "capacity": "2",
    "waiting_list": "on",
    "registration_opens_at": "",
    "registration_closes_at": "",
    "published": "on",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_create_an_event_for_their_department(member, department):
    client = _client(member)
    response = client.post("/amt/veranstaltungen/neu/", {**EVENT_FORM, "department": department.pk})
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/amt/veranstaltungen/{event.pk}/"
    assert event.starts_at.isoformat() == "2030-06-18T12:00:00+00:00"  # 14:00 in Wuppertal
    assert AuditEntry.objects.filter(action="workshops.event_created").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2030-06-18T13:00"}, "ends_at"),
        ({"place": "", "online_url": ""}, "place"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-3"}, "capacity"),
        ({"capacity": "viele"}, "capacity"),
        ({"starts_at": "morgen"}, "starts_at"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"registration_closes_at": "2030-06-19T10:00"}, "registration_closes_at"),
        ({"slug": "mit leerzeichen"}, "slug"),
    ],
)
def test_a_bad_event_is_explained_and_not_saved(member, department, changes, field):
    response = _client(member).post(
        "/amt/veranstaltungen/neu/", {**EVENT_FORM, "department": department.pk, **changes}
    )
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_an_event_cannot_be_given_to_another_department(member, department):
    other = DepartmentFactory(code="999")
    response = _client(member).post(
        "/amt/veranstaltungen/neu/", {**EVENT_FORM, "department": other.pk}
    )
    assert response.status_code == 422
    assert not Event.objects.exists()


def test_more_seats_promote_the_waiting_list_and_fewer_than_taken_are_refused(member, event):
    for n in range(4):
        sign_up(event, n)
    client = _client(member)
    url = f"/amt/veranstaltungen/{event.pk}/bearbeiten/"
    data = {**EVENT_FORM, "slug": event.slug, "department": event.department.pk}
    assert client.post(url, {**data, "capacity": "3"}).status_code == 302
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    response = client.post(url, {**data, "capacity": "1"})
    assert response.status_code == 422
    assert "capacity" in response.context["form"].errors
    event.refresh_from_db()
    assert event.capacity == 3


def test_the_attendee_list_shows_seats_and_waiting_list_and_is_audited(member, event):
    for n in range(3):
        sign_up(event, n, accessibility_needs="Rollstuhl" if n == 0 else "")
    page = _client(member).get(f"/en/amt/veranstaltungen/{event.pk}/").content.decode()
    assert "2 of 2 seats taken, 1 on the waiting list." in page
    assert "person0@example.org" in page and "Rollstuhl" in page
    assert AuditEntry.objects.filter(action="workshops.attendees_viewed").count() == 1


def test_the_csv_export_lists_everyone_safely_and_is_audited(member, event):
    sign_up(event, 1)
    from rathaus.workshops.services import registration_create

    registration_create(event=event, name="=HYPERLINK(1)", email="evil@example.org")
    sign_up(event, 3)
    response = _client(member).get(f"/amt/veranstaltungen/{event.pk}/teilnehmende.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:4] == ["status", "position", "name", "email"]
    assert [r[0] for r in rows[1:]] == ["confirmed", "confirmed", "waiting"]
    assert rows[3][1] == "1"
    assert rows[2][2] == "'=HYPERLINK(1)"
    entry = AuditEntry.objects.get(action="workshops.attendees_exported")
    assert entry.actor == member and entry.data == {"rows": 3}


def test_staff_cancel_a_registration_and_the_first_waiting_gets_the_seat(member, event):
    seat = sign_up(event, 1)
    sign_up(event, 2)
    waiting = sign_up(event, 3)
    client = _client(member)
    url = f"/amt/veranstaltungen/{event.pk}/anmeldungen/{seat.pk}/stornieren/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    # Twice (a double click): a message, no error.
    assert client.post(url, follow=True).status_code == 200


def test_other_departments_and_citizens_see_nothing(event):
    outsider = staff(DepartmentFactory(code="999"))
    client = _client(outsider)
    for path in ["", "bearbeiten/", "teilnehmende.csv"]:
        assert client.get(f"/amt/veranstaltungen/{event.pk}/{path}").status_code == 404
    assert (
        client.post(f"/amt/veranstaltungen/{event.pk}/anmeldungen/1/stornieren/").status_code == 404
    )
    citizen = _client(UserFactory())
    assert citizen.get("/amt/veranstaltungen/").status_code == 403
    assert citizen.get(f"/amt/veranstaltungen/{event.pk}/teilnehmende.csv").status_code == 403
    anonymous = Client().get(f"/amt/veranstaltungen/{event.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_staff_list_shows_the_departments_events(member, event):
    page = _client(member).get("/amt/veranstaltungen/").content.decode()
    assert event.title in page
