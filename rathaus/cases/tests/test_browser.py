"""A caseworker asks for a document, the citizen answers with an upload, the caseworker
approves: in Chromium, with axe-core on every staff page."""

import pytest

from rathaus.accounts.models import Role
from rathaus.applications.tests.upload_samples import pdf_blank
from rathaus.cases.states import CaseStatus
from rathaus.core.testing import assert_page_fine, login_as, press_enter, tab_to

from .conftest import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_information_answer_and_approve(page, live_server, make_case, department, tmp_path):
    case = make_case()
    worker = staff(department, role=Role.LEAD)

    login_as(page, live_server, worker)
    page.goto("/amt/")
    assert_page_fine(page)
    page.goto(f"/amt/auslastung/{department.code}/")
    assert_page_fine(page)
    page.goto(f"/amt/kennzahlen/{department.code}/")
    assert_page_fine(page)
    page.goto("/amt/?q=Luisenstra%C3%9Fe&overdue=on")
    assert_page_fine(page)
    page.goto("/amt/")
    with page.expect_navigation():
        page.click(f"text={case.reference}")
    assert_page_fine(page)
    with page.expect_navigation():
        page.click("main form[action$='/uebernehmen/'] button")
    # A request without a message shows the errors, accessibly.
    with page.expect_navigation():
        page.click("main form[action$='/nachfrage/'] button")
    assert page.title().startswith("Fehler:")
    assert_page_fine(page)
    page.fill("#id_message", "Bitte laden Sie die Überlassungserklärung hoch.")
    page.fill("#id_documents", "Überlassungserklärung")
    with page.expect_navigation():
        page.click("main form[action$='/nachfrage/'] button")
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_CITIZEN

    login_as(page, live_server, case.applicant)
    page.goto("/antraege/")
    assert_page_fine(page)
    # A button with hidden context keeps its visible words (KERN would squash it to 48 px).
    withdraw = page.locator("main form[action$='/zurueckziehen/'] button")
    assert withdraw.bounding_box()["width"] > 100
    with page.expect_navigation():
        page.click("main a[href$='/antwort/']")
    assert_page_fine(page)
    page.fill("#id_answer", "Hier ist die Erklärung.")
    upload = tmp_path / "erklaerung.pdf"
    upload.write_bytes(pdf_blank())
    page.set_input_files("#id_file_1", str(upload))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW

    login_as(page, live_server, worker)
    page.goto(f"/amt/vorgang/{case.reference}/")
    assert "Hier ist die Erklärung." in page.locator("main").inner_text()
    # The document opens in the browser, or downloads.
    assert page.locator("main a[href$='?inline=1']", has_text="erklaerung.pdf").count() == 1
    assert_page_fine(page)
    page.check("#id_outcome_0")
    page.fill("#id_reason", "Die Voraussetzungen sind erfüllt.")
    page.fill("#id_legal_basis", "§ 45 Abs. 1b StVO")
    with page.expect_navigation():
        page.click("main form[action$='/entscheidung/'] button")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert_page_fine(page)


def test_a_caseworker_decides_a_case_with_the_keyboard_alone(
    page, live_server, make_case, department
):
    case = make_case()
    worker = staff(department)
    login_as(page, live_server, worker)
    page.goto("/amt/")
    tab_to(page, f"main a[href$='/vorgang/{case.reference}/']")
    press_enter(page)
    tab_to(page, "main form[action$='/uebernehmen/'] button")
    press_enter(page)
    case.refresh_from_db()
    assert case.assignee == worker
    tab_to(page, "#id_note-text, #id_text")
    page.keyboard.type("Fahrzeugschein liegt vor.")
    tab_to(page, "main form[action$='/notiz/'] button")
    press_enter(page)
    assert "Fahrzeugschein liegt vor." in page.locator("main").inner_text()
    tab_to(page, "#id_outcome_0", limit=80)
    page.keyboard.press("Space")
    tab_to(page, "#id_reason")
    page.keyboard.type("Die Voraussetzungen sind erfüllt.")
    tab_to(page, "#id_legal_basis")
    page.keyboard.press("Control+A")
    page.keyboard.type("§ 45 Abs. 1b StVO")
    tab_to(page, "main form[action$='/entscheidung/'] button")
    press_enter(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert case.decision.reason == "Die Voraussetzungen sind erfüllt."
    # The focus is visible wherever it lands: KERN draws an outline.
    tab_to(page, "main a, main button")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert_page_fine(page)
