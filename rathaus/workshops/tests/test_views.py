import datetime

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.tests.factories import UserFactory
from rathaus.outbox.models import OutgoingEmail
from rathaus.workshops.models import Registration, RegistrationStatus
from rathaus.workshops.services import cancel_token

from .conftest import sign_up

pytestmark = pytest.mark.django_db

FORM = {"name": "Lena Weber", "email": "lena@example.org", "accessibility_needs": ""}


def _url(event) -> str:
    return f"/veranstaltungen/{event.slug}/"


def test_the_list_shows_upcoming_published_events_with_seats_left(client, make_event):
    shown = make_event(title="Offene Daten")
    sign_up(shown, 1)
    make_event(title="Entwurf", published=False)
    now = timezone.now()
    make_event(
        title="Vorbei",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
    )
    full = make_event(title="Ausgebucht", capacity=1)
    sign_up(full, 2)
    sign_up(full, 3)
    page = client.get("/en/veranstaltungen/").content.decode()
    assert "Open data workshop" in page
    assert "1 of 2 seat free" in page
    assert "All seats are taken; waiting list open (1 person waiting)" in page
    assert "Entwurf" not in page and "Vorbei" not in page


def test_an_unpublished_or_unknown_event_is_not_found(client, make_event):
    event = make_event(published=False)
    assert client.get(_url(event)).status_code == 404
    assert client.post(_url(event), FORM).status_code == 404
    assert client.get("/veranstaltungen/gibt-es-nicht/").status_code == 404


def test_signing_up_takes_a_seat_and_queues_the_confirmation(client, event):
    response = client.post("/en" + _url(event), FORM, follow=True)
    assert response.status_code == 200
    assert "Your seat is confirmed" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.language == "en"
    assert OutgoingEmail.objects.get().to == ["lena@example.org"]


def test_a_logged_in_person_finds_the_form_filled_in(client, event):
    user = UserFactory(first_name="Aylin", last_name="Demir", email="aylin@example.org")
    client.force_login(user)
    page = client.get(_url(event)).content.decode()
    assert 'value="Aylin Demir"' in page and 'value="aylin@example.org"' in page


def test_a_second_sign_up_says_already_registered_and_adds_nothing(client, event):
    client.post(_url(event), FORM)
    response = client.post("/en" + _url(event), {**FORM, "email": "LENA@example.org"})
    assert response.status_code == 409
    assert "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_past_the_seats_the_person_is_told_about_the_waiting_list(client, event):
    sign_up(event, 1)
    sign_up(event, 2)
    response = client.post("/en" + _url(event), FORM, follow=True)
    assert "you are on the waiting list, in place 1" in response.content.decode()


def test_a_full_event_without_waiting_list_says_so(client, make_event):
    event = make_event(capacity=1, waiting_list=False)
    sign_up(event, 1)
    page = client.get("/en" + _url(event)).content.decode()
    assert "All seats are taken and there is no waiting list." in page
    response = client.post("/en" + _url(event), FORM)
    assert response.status_code == 409
    assert "all seats are taken and there is no waiting list" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "", "email": "lena@example.org"},
        {"name": "   ", "email": "lena@example.org"},
        {"name": "Lena", "email": "lena(at)example.org"},
        {"name": "x" * 201, "email": "lena@example.org"},
        {"name": "Lena", "email": "lena@example.org", "accessibility_needs": "x" * 1001},
        {"name": ["a", "b"], "email": "\x00@example.org"},
    ],
)
def test_bad_input_gets_a_translated_error_and_stores_nothing(client, event, data):
    response = client.post(_url(event), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "<title>Fehler:" in page
    assert "site-error-summary" in page
    assert not Registration.objects.exists()


def test_a_closed_registration_shows_why_and_refuses_a_post(client, make_event):
    event = make_event(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get("/en" + _url(event)).content.decode()
    assert "Registration for this event has closed." in page
    assert "<form" not in page.split('id="sign-up"')[1]
    assert client.post("/en" + _url(event), FORM).status_code == 409
    assert not Registration.objects.exists()


def test_sign_ups_are_rate_limited_per_address(client, event, settings):
    settings.RATHAUS_EVENTS_SIGNUP_RATE_LIMIT = "3/m/ip"
    for n in range(3):
        client.post(_url(event), {**FORM, "email": f"p{n}@example.org"})
    response = client.post(_url(event), {**FORM, "email": "p9@example.org"})
    assert response.status_code == 429
    assert Registration.objects.count() == 3


def test_the_public_calendar_file_downloads(client, event):
    response = client.get(f"{_url(event)}kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_the_cancellation_link_asks_first_then_cancels_and_promotes(client, event):
    seat = sign_up(event, 1)
    sign_up(event, 2)
    waiting = sign_up(event, 3)
    url = f"/en/veranstaltungen/abmelden/{cancel_token(registration=seat)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Do you want to cancel" in page.content.decode()
    assert Registration.objects.filter(pk=seat.pk).exists()  # a GET never cancels
    done = client.post(url)
    assert done.status_code == 200
    assert "Your registration is cancelled" in done.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    again = client.post(url)
    assert again.status_code == 410
    assert "already cancelled" in again.content.decode()


@pytest.mark.parametrize("token", ["kaputt", "a:b:c", "x" * 300])
def test_a_bad_cancellation_link_is_explained(client, event, token):
    response = client.get(f"/en/veranstaltungen/abmelden/{token}/")
    assert response.status_code == 404
    assert "This cancellation link is not valid" in response.content.decode()
    assert client.post(f"/veranstaltungen/abmelden/{token}/").status_code == 404


def test_the_navigation_and_start_page_link_to_the_events(client, db):
    page = Client().get("/").content.decode()
    assert page.count('href="/veranstaltungen/"') == 2
