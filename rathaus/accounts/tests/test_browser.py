import re

import pytest
from django.core import mail

from rathaus.accounts.models import User
from rathaus.core.testing import axe_violations, horizontal_overflow, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Wupper-Schwebebahn-1901"


def test_a_citizen_registers_confirms_and_logs_in_by_keyboard_on_a_phone(page):
    page.goto("/")
    assert horizontal_overflow(page) == 0
    # From the home page to the registration form, by keyboard.
    tab_to(page, "main a[href='/accounts/signup/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/signup/")

    tab_to(page, "#id_email")
    page.keyboard.type("lena.weber@example.org")
    tab_to(page, "#id_password1")
    page.keyboard.type(PASSWORD)
    tab_to(page, "#id_password2")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/confirm-email/")
    assert axe_violations(page) == []

    user = User.objects.get(email="lena.weber@example.org")
    link = re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    assert axe_violations(page) == []
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")

    tab_to(page, "#id_login")
    page.keyboard.type("lena.weber@example.org")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/")
    assert page.locator("main dd", has_text="lena.weber@example.org").is_visible()
    assert horizontal_overflow(page) == 0
    assert axe_violations(page) == []
    assert user.emailaddress_set.get().verified
    assert page.csp_errors == []


def test_a_signup_with_errors_moves_focus_to_the_error_summary(page):
    page.goto("/accounts/signup/")
    tab_to(page, "#id_email")
    page.keyboard.type("kein-at")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Fehler:")
    assert page.evaluate("() => document.activeElement.matches('[data-error-summary]')")
    # The summary links lead to the fields.
    tab_to(page, "[data-error-summary] a[href='#id_email']")
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#id_email"
    assert page.locator("#id_email").input_value() == "kein-at"
    assert axe_violations(page) == []
