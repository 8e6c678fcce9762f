"""An administrator manages staff on a phone with the keyboard alone; axe-core on every page."""

from urllib.parse import urlparse

import pytest
from django.core import mail

from rathaus.accounts.models import Department, User
from rathaus.core.testing import (
    assert_page_fine,
    is_focused,
    login_as,
    press_enter,
    submit_with_errors,
    tab_to,
)

from .conftest import staff_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = "/amt/verwaltung/"


def test_an_administrator_opens_an_account_and_gives_roles_by_keyboard_on_a_phone(
    page, live_server, administrator, traffic, citizens_office
):
    login_as(page, live_server, administrator)
    page.goto("/")
    tab_to(page, f"header a[href='{BASE}']")
    press_enter(page)
    assert page.url.endswith(BASE)
    assert_page_fine(page)

    tab_to(page, f"main a[href='{BASE}personen/neu/']")
    press_enter(page)
    assert_page_fine(page)
    # Sent empty: the errors are announced first and every page stays accessible.
    submit_with_errors(page)
    assert is_focused(page, "[data-error-summary]")

    tab_to(page, "#id_email")
    page.keyboard.type("petra.neumann@stadt.example")
    tab_to(page, "#id_first_name")
    page.keyboard.type("Petra")
    tab_to(page, "#id_last_name")
    page.keyboard.type("Neumann")
    tab_to(page, "#id_department")
    page.keyboard.type("104")
    assert page.locator("#id_department").input_value() == "104"
    tab_to(page, "#id_role_0")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    person = User.objects.get(email="petra.neumann@stadt.example")
    assert page.url.endswith(f"{BASE}personen/{person.pk}/")
    assert len(mail.outbox) == 1
    assert_page_fine(page)

    # A second department, as its lead.
    tab_to(page, "#id_membership-department", limit=60)
    page.keyboard.type("102")
    tab_to(page, "#id_membership-role_0")
    page.keyboard.press("ArrowDown")  # moves to and selects "department lead"
    assert page.locator("#id_membership-role_1").is_checked()
    tab_to(page, "main form[action$='/aemter/'] button")
    press_enter(page)
    assert_page_fine(page)

    # The first department's role changes to lead as well.
    tab_to(page, "#id_role-104-role")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_role-104-role").input_value() == "lead"
    tab_to(page, "main form[action$='/aemter/104/rolle/'] button")
    press_enter(page)
    assert_page_fine(page)
    assert set(person.memberships.values_list("department__code", "role")) == {
        ("102", "lead"),
        ("104", "lead"),
    }

    # Back in the list, the new person is found by name.
    page.goto(f"{BASE}?q=neumann")
    assert page.locator(f"main a[href='{BASE}personen/{person.pk}/']").count() == 1
    assert_page_fine(page)


def test_an_administrator_creates_a_department_by_keyboard_on_a_phone(
    page, live_server, administrator, traffic
):
    login_as(page, live_server, administrator)
    page.goto(BASE)
    tab_to(page, f"main nav a[href='{BASE}aemter/']")
    press_enter(page)
    assert_page_fine(page)
    tab_to(page, f"main a[href='{BASE}aemter/neu/']")
    press_enter(page)
    assert_page_fine(page)

    tab_to(page, "#id_code")
    page.keyboard.type("104")  # taken
    tab_to(page, "#id_slug")
    page.keyboard.type("gruen")
    tab_to(page, "#id_name")
    page.keyboard.type("Grünflächen und Forsten")
    press_enter(page)
    assert page.title().startswith("Fehler:")
    assert_page_fine(page)
    tab_to(page, "[data-error-summary] a[href='#id_code']")
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#id_code"

    tab_to(page, "#id_code")
    page.keyboard.press("Control+A")
    page.keyboard.type("105")
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    # (The browser keeps the #id_code fragment across the redirect.)
    assert urlparse(page.url).path == f"{BASE}aemter/"
    department = Department.objects.get(code="105")
    assert department.name == "Grünflächen und Forsten"
    assert_page_fine(page)

    tab_to(page, f"main a[href='{BASE}aemter/{department.pk}/']")
    press_enter(page)
    assert_page_fine(page)


def test_every_other_administrator_page_passes_axe(page, live_server, administrator, traffic):
    worker = staff_make(traffic, user__first_name="Stefan", user__last_name="Wagner")
    login_as(page, live_server, administrator)
    for path in (
        f"{BASE}?q=niemand",
        f"{BASE}?department=104",
        f"{BASE}personen/{worker.pk}/",
        f"{BASE}personen/{administrator.pk}/",
        f"{BASE}aemter/{traffic.pk}/",
        f"/en{BASE}",
        f"/en{BASE}personen/{worker.pk}/",
    ):
        page.goto(path)
        assert_page_fine(page)
    # The outcome of an action is shown as an accessible message.
    page.goto(f"{BASE}personen/{worker.pk}/")
    with page.expect_navigation():
        page.click("main form[action$='/deaktivieren/'] button")
    assert page.locator(".kern-alert").count() == 1
    assert_page_fine(page)
