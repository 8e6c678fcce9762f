"""Postbox, letters and central print in Chromium at 360 px: keyboard only, axe on every page."""

import pytest

from rathaus.accounts.models import Department, Role
from rathaus.accounts.tests.factories import UserFactory
from rathaus.cases.tests.conftest import staff, submit_parking
from rathaus.core.testing import axe_violations, horizontal_overflow, login_as, tab_to
from rathaus.documents.models import DocumentKind
from rathaus.outbox.models import BatchStatus, Letter, PrintBatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fine(page) -> None:
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0


def test_postbox_letter_and_central_print(page, live_server, city, settings):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    case = submit_parking(lena)

    # The citizen finds the sealed documents in the postbox.
    login_as(page, live_server, lena)
    page.goto("/postfach/")
    _fine(page)
    permit = case.documents.get(kind=DocumentKind.PERMIT)
    tab_to(page, f"main a[href$='/postfach/{permit.public_id}/']")
    page.goto("/antraege/")
    assert permit.title in page.locator("main").inner_text()
    _fine(page)

    # A caseworker writes a letter by keyboard; an empty letter is refused accessibly.
    worker = staff(case.department, role=Role.LEAD)
    login_as(page, live_server, worker)
    page.goto(f"/amt/vorgang/{case.reference}/")
    _fine(page)
    tab_to(page, "main a[href$='/brief/']", limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _fine(page)
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Fehler:")
    _fine(page)
    tab_to(page, "#id_subject")
    page.keyboard.type("Ihr Bewohnerparkausweis")
    tab_to(page, "#id_body")
    page.keyboard.type("Bitte beachten Sie die neue Zonenregelung.")
    tab_to(page, "#id_by_post")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    letter = case.documents.get(kind=DocumentKind.LETTER)
    assert letter.title == "Ihr Bewohnerparkausweis"
    assert Letter.objects.filter(case=case, title=letter.title).exists()
    assert "Ihr Bewohnerparkausweis" in page.locator("main").inner_text()
    _fine(page)

    # The print shop makes a batch and marks it printed, by keyboard.
    printer = staff(
        Department.objects.get(code=settings.RATHAUS_PRINT_DEPARTMENT), role=Role.CASEWORKER
    )
    login_as(page, live_server, printer)
    page.goto("/amt/druck/")
    _fine(page)
    tab_to(page, "main form[action$='/neu/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    batch = PrintBatch.objects.get()
    _fine(page)
    tab_to(page, f"main form[action$='/{batch.pk}/printed/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PRINTED
    _fine(page)
    assert page.csp_errors == []
