"""Citizens complete real services in Chromium on a 360 px phone screen, by keyboard alone.

axe-core checks every page on the way: each step, the pages with errors, the review and the
confirmation.
"""

import pytest

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.tests.factories import UserFactory
from rathaus.cases.models import Case
from rathaus.core.testing import (
    assert_page_fine,
    is_focused,
    login_as,
    press_enter,
    submit_with_errors,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _type(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _choose(page, selector: str) -> None:
    """Select a radio button or tick a checkbox with the keyboard."""
    tab_to(page, selector)
    if not page.evaluate("(s) => document.querySelector(s).checked", selector):
        page.keyboard.press("Space")
    assert page.evaluate("(s) => document.querySelector(s).checked", selector)


def _radio(page, name: str, value: str) -> None:
    """Move within a radio group with the arrow keys until `value` is selected."""
    tab_to(page, f"input[name='{name}']")
    for _ in range(10):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate(
        f"() => document.querySelector(\"input[name='{name}'][value='{value}']\").checked"
    )


def _continue(page) -> None:
    tab_to(page, "main form button[type=submit]")
    press_enter(page)


def test_resident_parking_permit_from_start_to_file_reference(page, live_server, city):
    user = UserFactory(email="lena.schaefer@example.org", register_id="100001")
    login_as(page, live_server, user, assurance=LevelOfAssurance.SUBSTANTIAL)

    page.goto("/leistungen/")
    assert_page_fine(page)
    _type(page, "#service-search", "Parkausweis")
    press_enter(page)
    tab_to(page, "main a[href='/leistungen/bewohnerparkausweis/']")
    press_enter(page)
    assert_page_fine(page)
    _continue(page)  # "Start now"

    assert page.url.endswith("/schritt/residence/")
    assert_page_fine(page)
    _radio(page, "residence_type", "main")
    _continue(page)

    # The address comes from the register; Lena only checks it.
    assert page.locator("#id_address__street").input_value() == "Luisenstraße"
    assert_page_fine(page)
    _continue(page)

    # A plate without a separator is refused with an error summary and a field error.
    _type(page, "#id_plate_1", "WLS1403")
    submit_with_errors(page)
    assert is_focused(page, "[data-error-summary]")
    _type(page, "#id_plate_1", "W-LS 1403")
    _continue(page)

    _radio(page, "registered_to_applicant", "yes")
    assert_page_fine(page)
    _continue(page)

    _radio(page, "request_type", "new")
    _continue(page)

    assert_page_fine(page)
    submit_with_errors(page)  # without the declaration
    _choose(page, "#id_truthful")
    _continue(page)

    assert page.url.endswith("/pruefen/")
    assert "W-LS 1403" in page.locator("main").inner_text()
    assert_page_fine(page)
    _continue(page)  # send

    case = Case.objects.get()
    assert page.url.endswith("/bestaetigung/")
    assert case.reference in page.locator("main").inner_text()
    assert_page_fine(page)
    assert str(case.fee) == "30.00"

    page.goto("/antraege/")
    assert case.reference in page.locator("main").inner_text()
    assert_page_fine(page)


def test_business_registration_from_start_to_file_reference(page, live_server, city):
    user = UserFactory(
        email="thomas.krueger@example.org",
        first_name="Thomas",
        last_name="Krüger",
        register_id="100005",
    )
    login_as(page, live_server, user, assurance=LevelOfAssurance.SUBSTANTIAL)
    page.goto("/leistungen/gewerbeanmeldung/")
    assert_page_fine(page)
    _continue(page)

    steps = {
        "operator": lambda: (
            _type(page, "#id_place_of_birth", "Wuppertal"),
            _type(page, "#id_nationality", "deutsch"),
        ),
        "home": lambda: None,
        "legal_form": lambda: _radio(page, "legal_form", "sole_trader"),
        "company": lambda: None,
        "premises": lambda: (
            _type(page, "#id_premises_address__street", "Hofaue"),
            _type(page, "#id_premises_address__house_number", "20"),
            _type(page, "#id_premises_address__postcode", "42103"),
            _type(page, "#id_premises_address__town", "Wuppertal"),
        ),
        "activity": lambda: (
            _type(page, "#id_activity", "Reparatur und Verkauf von Fahrrädern"),
            _type(page, "#id_wz_code", "95.29"),
            _radio(page, "secondary_occupation", "no"),
        ),
        "start": lambda: _type(page, "#id_start_date", _in_days(14)),
        "staff": lambda: (
            _type(page, "#id_staff_full_time", "0"),
            _type(page, "#id_staff_part_time", "1"),
        ),
        "establishment": lambda: (
            _radio(page, "establishment_type", "head_office"),
            _radio(page, "reason", "new_founding"),
        ),
        "permits": lambda: _radio(page, "permit_required", "no"),
        "declaration": lambda: _choose(page, "#id_truthful"),
    }
    for _ in range(len(steps)):
        step_id = page.url.rstrip("/").rsplit("/", 1)[1]
        assert step_id in steps, page.url
        assert_page_fine(page)
        steps[step_id]()
        _continue(page)
    assert page.url.endswith("/pruefen/"), page.url
    assert_page_fine(page)
    _continue(page)
    case = Case.objects.get()
    assert case.reference in page.locator("main").inner_text()
    assert str(case.fee) == "26.00"
    assert_page_fine(page)


def _in_days(days: int) -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")
