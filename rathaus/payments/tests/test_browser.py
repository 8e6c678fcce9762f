"""The treasury imports a statement and clears the clarification list with the keyboard alone,
on a phone-sized screen, with axe-core on every page."""

import pytest

from rathaus.core.testing import axe_violations, horizontal_overflow, login_as, tab_to
from rathaus.payments.models import Clarification, FeeStatus, PaymentOutcome, Resolution

from .conftest import scenario_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fine(page) -> None:
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0


def _press_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_import_and_clarify_with_the_keyboard(page, live_server, make_fee, cashier, tmp_path):
    fees = [make_fee(amount_cents=1000 * n) for n in range(1, 6)]
    # The payment that names no reference (10 euros, "Meldebescheinigung") belongs to this one.
    forgotten = make_fee(amount_cents=1000)
    statement = tmp_path / "kontoauszug.xml"
    statement.write_bytes(scenario_for(fees).data)
    broken = tmp_path / "kaputt.xml"
    broken.write_bytes(b"<Document>")

    login_as(page, live_server, cashier)
    page.goto("/")
    tab_to(page, "header a[href$='/amt/kasse/']")
    _press_enter(page)
    _fine(page)

    # A broken file first: the error is announced and the page stays accessible.
    tab_to(page, "#id_file")
    page.set_input_files("#id_file", str(broken))
    tab_to(page, "main form[action$='/kontoauszug/'] button")
    _press_enter(page)
    assert page.title().startswith("Fehler:")
    assert page.locator(".site-error-summary").count() == 1
    _fine(page)

    tab_to(page, "#id_file")
    page.set_input_files("#id_file", str(statement))
    tab_to(page, "main form[action$='/kontoauszug/'] button")
    _press_enter(page)
    assert "/amt/kasse/kontoauszug/" in page.url
    assert page.locator("main table tbody tr").count() == 8
    _fine(page)
    for fee in fees:
        fee.refresh_from_db()
    assert [fee.status for fee in fees][:3] == [FeeStatus.PAID] * 3

    tab_to(page, "main a[href$='/amt/kasse/']")
    _press_enter(page)
    tab_to(page, "main nav a[href$='/klaerung/']")
    _press_enter(page)
    _fine(page)

    # Assign the payment without reference to its fee, typing the reference as people do.
    item = Clarification.objects.get(reason=PaymentOutcome.NO_REFERENCE)
    tab_to(page, f"main a[href$='/klaerung/{item.pk}/']")
    _press_enter(page)
    _fine(page)
    tab_to(page, "#id_assign-fee")
    page.keyboard.type(forgotten.payment_reference_display.lower())
    tab_to(page, "main form[action$='/zuordnen/'] button")
    _press_enter(page)
    forgotten.refresh_from_db()
    assert forgotten.status == FeeStatus.PAID
    _fine(page)

    # Resolve an overpayment: without a note first, then with one.
    item = Clarification.objects.get(reason=PaymentOutcome.OVERPAID)
    tab_to(page, f"main a[href$='/klaerung/{item.pk}/']", limit=80)
    _press_enter(page)
    tab_to(page, "main form[action$='/erledigen/'] button")
    _press_enter(page)
    assert page.title().startswith("Fehler:")
    _fine(page)
    tab_to(page, "#id_resolve-note")
    page.keyboard.type("5 € zurücküberwiesen")
    tab_to(page, "main form[action$='/erledigen/'] button")
    _press_enter(page)
    item.refresh_from_db()
    assert item.resolution == Resolution.RESOLVED
    _fine(page)

    # The fee with its payment details and GiroCode.
    page.goto(f"/amt/kasse/gebuehren/{forgotten.payment_reference}/")
    assert page.locator("main img[alt*='GiroCode']").count() == 1
    _fine(page)
    page.goto("/amt/kasse/gebuehren/?status=partly_paid")
    _fine(page)
    page.goto("/amt/kasse/klaerung/?erledigt=1")
    _fine(page)
    # The focus is visible wherever it lands.
    tab_to(page, "main a")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.csp_errors == []
