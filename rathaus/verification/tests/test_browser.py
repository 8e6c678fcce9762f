"""The check page in Chromium on a 360 px phone: axe-core finds nothing, valid or not, and an
officer can check a typed code with the keyboard alone."""

import pytest

from rathaus.core.testing import assert_page_fine, press_enter, tab_to
from rathaus.verification.services import token_revoke

from .conftest import days, flipped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _status(page) -> str:
    return page.get_attribute("main [data-status]", "data-status")


def test_every_kind_of_answer_is_accessible_on_a_phone(page, issue):
    valid = issue()
    revoked = issue()
    token_revoke(token_id=revoked.record.token_id, reason="withdrawn")
    early = issue(valid_from=days(2), valid_until=days(60))
    answers = {
        "valid": valid.token,
        "revoked": revoked.token,
        "not_yet_valid": early.token,
        "forged": flipped(valid.token),
    }
    for language in ("", "/en"):
        for status, token in answers.items():
            page.goto(f"{language}/pruefen/{token}")
            assert _status(page) == status
            assert_page_fine(page)
    # The long plates and names wrap instead of pushing the page sideways.
    long_name = issue(claims={"zone": "B3", "plates": ["W-AB 1234"], "holder": "Ö" * 60})
    page.goto(f"/pruefen/{long_name.token}")
    assert_page_fine(page)


def test_bad_input_shows_an_accessible_error(page):
    page.goto("/pruefen/")
    assert_page_fine(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.title().startswith("Fehler:")
    assert page.locator("#id_code-error").is_visible()
    assert_page_fine(page)
    page.goto("/pruefen/NOT-A-CODE-9!")  # straight from a broken QR reader
    assert page.title().startswith("Fehler:")
    assert_page_fine(page)


def test_an_officer_types_a_code_with_the_keyboard_alone(page, issue):
    signed = issue()
    page.goto("/pruefen/")
    tab_to(page, "#id_code")
    # As printed under the QR code: groups of four, lower case typed on a phone keyboard.
    grouped = " ".join(signed.token[i : i + 4] for i in range(0, len(signed.token), 4))
    page.keyboard.type(grouped.lower())
    tab_to(page, "main form button[type=submit]")
    press_enter(page)
    assert _status(page) == "valid"
    assert "W-XY 77E" in page.locator("main").inner_text()
    # The focus is visible wherever it lands.
    tab_to(page, "#id_code")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert_page_fine(page)
