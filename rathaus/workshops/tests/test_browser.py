"""Every events page passes axe-core on a 360 px screen; sign-up and cancellation work with the
keyboard alone."""

import re

import pytest

from rathaus.core.testing import assert_page_fine, login_as, press_enter, submit_with_errors, tab_to
from rathaus.workshops.models import Registration, RegistrationStatus
from rathaus.workshops.services import cancel_token

from .conftest import sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_and_cancel_with_the_keyboard_alone(page, event):
    sign_up(event, 1)
    page.goto("/")
    tab_to(page, "header a[href='/veranstaltungen/']")
    press_enter(page)
    assert_page_fine(page)
    tab_to(page, f"main a[href='/veranstaltungen/{event.slug}/']")
    press_enter(page)
    assert_page_fine(page)

    # A wrong address first: the error summary is announced and the page stays accessible.
    tab_to(page, "#id_name")
    page.keyboard.type("Merve Aydın")
    page.keyboard.press("Tab")
    page.keyboard.type("merve(at)example.org")
    submit_with_errors(page)
    assert page.locator(".site-error-summary").count() == 1

    tab_to(page, "#id_email")
    page.keyboard.press("Control+a")
    page.keyboard.type("merve@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Ich brauche einen Platz für den Rollstuhl.")
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    assert page.locator(".kern-alert--success").count() == 1
    assert_page_fine(page)
    registration = Registration.objects.get(email="merve@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.accessibility_needs == "Ich brauche einen Platz für den Rollstuhl."

    # The link from the e-mail: a question, then the button.
    page.goto(f"/veranstaltungen/abmelden/{cancel_token(registration=registration)}/")
    assert_page_fine(page)
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    assert page.locator(".kern-alert--success").count() == 1
    assert_page_fine(page)
    assert not Registration.objects.filter(email="merve@example.org").exists()


def test_public_pages_in_every_state_have_no_accessibility_violations(page, make_event):
    full = make_event(capacity=1, waiting_list=False)
    sign_up(full, 1)
    waiting = make_event(capacity=1)
    sign_up(waiting, 2)
    online = make_event(place="", online_url="https://meet.example.org/x", series="smart.wuppertal")
    registration = sign_up(online, 3)
    for path in [
        "/veranstaltungen/",
        "/en/veranstaltungen/",
        f"/veranstaltungen/{full.slug}/",
        f"/veranstaltungen/{waiting.slug}/",
        f"/en/veranstaltungen/{online.slug}/",
        f"/veranstaltungen/abmelden/{cancel_token(registration=registration)}/",
        "/veranstaltungen/abmelden/kaputt/",
    ]:
        page.goto(path)
        assert_page_fine(page)
    # A refusal (full, no waiting list) shown next to the form.
    page.goto(f"/veranstaltungen/{full.slug}/")
    page.fill("#id_name", "Jonas Lehmann")
    page.fill("#id_email", "jonas@example.org")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".kern-alert--danger").count() == 1
    assert_page_fine(page)


def test_staff_pages_have_no_accessibility_violations(page, live_server, member, event):
    sign_up(event, 1, accessibility_needs="Gebärdensprache")
    sign_up(event, 2)
    sign_up(event, 3)
    login_as(page, live_server, member)
    for path in [
        "/amt/veranstaltungen/",
        "/amt/veranstaltungen/neu/",
        f"/amt/veranstaltungen/{event.pk}/",
        f"/amt/veranstaltungen/{event.pk}/bearbeiten/",
    ]:
        page.goto(path)
        assert_page_fine(page)
    # The form with errors.
    page.goto(f"/amt/veranstaltungen/{event.pk}/bearbeiten/")
    page.fill("#id_capacity", "1")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.title().startswith("Fehler:")
    assert_page_fine(page)
    # Cancel the first seat from the attendee list with the keyboard.
    page.goto(f"/amt/veranstaltungen/{event.pk}/")
    tab_to(page, "main form[action$='/stornieren/'] button", limit=80)
    press_enter(page)
    assert re.search(r"/amt/veranstaltungen/\d+/$", page.url)
    assert page.locator(".kern-alert--success").count() == 1
    assert_page_fine(page)
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 2
