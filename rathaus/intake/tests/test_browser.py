"""The post room uploads scans, chooses the type of a letter in the triage queue and so routes
it; the department reads it. Keyboard only, 360 px wide, axe-core on every page."""

import pytest
from django.test import Client

from rathaus.core.testing import axe_violations, horizontal_overflow, tab_to
from rathaus.intake.models import IntakeItem, Status

from .conftest import staff
from .samples import born_digital_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _fine(page) -> None:
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0


def _press_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_upload_triage_and_route_with_the_keyboard(page, live_server, departments, tmp_path):
    clerk = staff(departments["400"])
    tax_office = staff(departments["201"])
    letter = tmp_path / "hund.pdf"
    letter.write_bytes(
        born_digital_pdf("Erika Mustermann\n42103 Wuppertal\nIch melde meinen Hund Bello an.")
    )
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(b"%PDF-1.4 kaputt")

    _as(page, live_server, clerk)
    page.goto("/")
    tab_to(page, "header a[href$='/amt/post/']")
    _press_enter(page)
    _fine(page)
    tab_to(page, "main nav a[href$='/poststelle/']")
    _press_enter(page)
    _fine(page)

    # Nothing chosen: the error is announced and the page stays accessible.
    tab_to(page, "main form[action$='/hochladen/'] button")
    _press_enter(page)
    assert page.title().startswith("Fehler:")
    assert page.locator(".site-error-summary").count() == 1
    _fine(page)

    tab_to(page, "#id_files")
    page.set_input_files("#id_files", [str(letter), str(broken)])
    tab_to(page, "main form[action$='/hochladen/'] button")
    _press_enter(page)
    assert IntakeItem.objects.count() == 2
    _fine(page)

    tab_to(page, "main nav a[href$='/fehler/']")
    _press_enter(page)
    assert page.locator("main table tbody tr").count() == 1
    _fine(page)

    tab_to(page, "main nav a[href$='/klaerung/']")
    _press_enter(page)
    _fine(page)
    item = IntakeItem.objects.get(status=Status.TRIAGE)
    tab_to(page, f"main a[href$='/brief/{item.public_id}/']")
    _press_enter(page)
    assert "Ich melde meinen Hund Bello an." in page.locator("main").inner_text()
    _fine(page)

    # Choose the type with the keyboard: type-ahead in the focused list.
    tab_to(page, "#id_document_type", limit=60)
    page.keyboard.type("Hundesteuer")
    assert page.eval_on_selector("#id_document_type", "e => e.value") == "dog_tax"
    tab_to(page, "main form[action$='/zuordnen/'] button")
    _press_enter(page)
    item.refresh_from_db()
    assert (item.status, item.department.code) == (Status.ROUTED, "201")
    _fine(page)

    # The tax office finds it in its mail inbox.
    _as(page, live_server, tax_office)
    page.goto("/amt/post/")
    _fine(page)
    tab_to(page, f"main a[href$='/brief/{item.public_id}/']")
    _press_enter(page)
    _fine(page)
    tab_to(page, "main form[action$='/erledigt/'] button")
    _press_enter(page)
    item.refresh_from_db()
    assert item.status == Status.DONE
    _fine(page)
    # The focus is visible wherever it lands.
    tab_to(page, "main a")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.csp_errors == []
