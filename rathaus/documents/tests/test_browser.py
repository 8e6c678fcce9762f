"""Postbox, letters and central print in Chromium at 360 px: keyboard only, axe on every page."""

import pytest

from rathaus.accounts.models import Department, Role
from rathaus.accounts.tests.factories import UserFactory
from rathaus.cases.tests.conftest import staff, submit_parking
from rathaus.core.testing import assert_page_fine, login_as, press_enter, submit_with_errors, tab_to
from rathaus.documents.models import DocumentKind
from rathaus.outbox.models import BatchStatus, Letter, PrintBatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_postbox_letter_and_central_print(page, live_server, city, settings):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    case = submit_parking(lena)

    # The citizen finds the sealed documents in the postbox.
    login_as(page, live_server, lena)
    page.goto("/postfach/")
    assert_page_fine(page)
    permit = case.documents.get(kind=DocumentKind.PERMIT)
    tab_to(page, f"main a[href$='/postfach/{permit.public_id}/']")
    page.goto("/antraege/")
    assert permit.title in page.locator("main").inner_text()
    assert_page_fine(page)

    # A caseworker writes a letter by keyboard; an empty letter is refused accessibly.
    worker = staff(case.department, role=Role.LEAD)
    login_as(page, live_server, worker)
    page.goto(f"/amt/vorgang/{case.reference}/")
    assert_page_fine(page)
    tab_to(page, "main a[href$='/brief/']", limit=120)
    press_enter(page)
    assert_page_fine(page)
    submit_with_errors(page)
    tab_to(page, "#id_subject")
    page.keyboard.type("Ihr Bewohnerparkausweis")
    tab_to(page, "#id_body")
    page.keyboard.type("Bitte beachten Sie die neue Zonenregelung.")
    tab_to(page, "#id_by_post")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    letter = case.documents.get(kind=DocumentKind.LETTER)
    assert letter.title == "Ihr Bewohnerparkausweis"
    assert Letter.objects.filter(case=case, title=letter.title).exists()
    assert "Ihr Bewohnerparkausweis" in page.locator("main").inner_text()
    assert_page_fine(page)

    # The print shop makes a batch and marks it printed, by keyboard.
    printer = staff(
        Department.objects.get(code=settings.RATHAUS_PRINT_DEPARTMENT), role=Role.CASEWORKER
    )
    login_as(page, live_server, printer)
    page.goto("/amt/druck/")
    assert_page_fine(page)
    tab_to(page, "main form[action$='/neu/'] button")
    press_enter(page)
    batch = PrintBatch.objects.get()
    assert_page_fine(page)
    tab_to(page, f"main form[action$='/{batch.pk}/printed/'] button")
    press_enter(page)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PRINTED
    assert_page_fine(page)
