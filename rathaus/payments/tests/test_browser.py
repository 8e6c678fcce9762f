"""The treasury imports a statement and clears the clarification list with the keyboard alone,
on a phone-sized screen, with axe-core on every page."""

import pytest

from rathaus.core.testing import assert_page_fine, login_as, press_enter, submit_with_errors, tab_to
from rathaus.payments.models import Clarification, FeeStatus, PaymentOutcome, Resolution

from .conftest import scenario_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    press_enter(page)
    assert_page_fine(page)

    # A broken file first: the error is announced and the page stays accessible.
    tab_to(page, "#id_file")
    page.set_input_files("#id_file", str(broken))
    submit_with_errors(page, "main form[action$='/kontoauszug/'] button")
    assert page.locator(".site-error-summary").count() == 1

    tab_to(page, "#id_file")
    page.set_input_files("#id_file", str(statement))
    tab_to(page, "main form[action$='/kontoauszug/'] button")
    press_enter(page)
    assert "/amt/kasse/kontoauszug/" in page.url
    assert page.locator("main table tbody tr").count() == 8
    assert_page_fine(page)
    for fee in fees:
        fee.refresh_from_db()
    assert [fee.status for fee in fees][:3] == [FeeStatus.PAID] * 3

    tab_to(page, "main a[href$='/amt/kasse/']")
    press_enter(page)
    tab_to(page, "main nav a[href$='/klaerung/']")
    press_enter(page)
    assert_page_fine(page)

    # Assign the payment without reference to its fee, typing the reference as people do.
    item = Clarification.objects.get(reason=PaymentOutcome.NO_REFERENCE)
    tab_to(page, f"main a[href$='/klaerung/{item.pk}/']")
    press_enter(page)
    assert_page_fine(page)
    tab_to(page, "#id_assign-fee")
    page.keyboard.type(forgotten.payment_reference_display.lower())
    tab_to(page, "main form[action$='/zuordnen/'] button")
    press_enter(page)
    forgotten.refresh_from_db()
    assert forgotten.status == FeeStatus.PAID
    assert_page_fine(page)

    # Resolve an overpayment: without a note first, then with one.
    item = Clarification.objects.get(reason=PaymentOutcome.OVERPAID)
    tab_to(page, f"main a[href$='/klaerung/{item.pk}/']", limit=80)
    press_enter(page)
    submit_with_errors(page, "main form[action$='/erledigen/'] button")
    tab_to(page, "#id_resolve-note")
    page.keyboard.type("5 € zurücküberwiesen")
    tab_to(page, "main form[action$='/erledigen/'] button")
    press_enter(page)
    item.refresh_from_db()
    assert item.resolution == Resolution.RESOLVED
    assert_page_fine(page)

    # The fee with its payment details and GiroCode.
    page.goto(f"/amt/kasse/gebuehren/{forgotten.payment_reference}/")
    assert page.locator("main img[alt*='GiroCode']").count() == 1
    assert_page_fine(page)
    page.goto("/amt/kasse/gebuehren/?status=partly_paid")
    assert_page_fine(page)
    page.goto("/amt/kasse/klaerung/?erledigt=1")
    assert_page_fine(page)
    # The focus is visible wherever it lands.
    tab_to(page, "main a")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.csp_errors == []
