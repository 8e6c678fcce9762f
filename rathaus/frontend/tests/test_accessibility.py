"""Every page passes axe-core (WCAG 2.1 A/AA) in Chromium on a 360 px screen, in both languages."""

from urllib.parse import urlparse

import pytest
from django.test import Client

from rathaus.accounts.tests.factories import PASSWORD, UserFactory
from rathaus.core.testing import axe_violations, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/unknown-key/",
    "/accounts/password/reset/key/1-unknown-key/",
    "/gibt-es-nicht/",
]
ACCOUNT_PAGES = [
    "/konto/",
    "/konto/bearbeiten/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
]


def _check(page, path: str) -> None:
    page.goto(path)
    assert urlparse(page.url).path == path  # the page itself was checked, not a redirect
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0
    assert page.csp_errors == []


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violations(page, path, language):
    _check(page, language + path)


@pytest.fixture
def citizen_page(page, live_server):
    client = Client()
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_page_has_no_accessibility_violations(citizen_page, path):
    _check(citizen_page, path)


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/accounts/login/", {"#id_login": "x@example.org", "#id_password": "falsch"}),
        ("/accounts/signup/", {"#id_email": "kein-at", "#id_password1": "1"}),
        ("/accounts/password/reset/", {"#id_email": "kein-at"}),
    ],
)
def test_form_with_errors_has_no_accessibility_violations(page, path, fields):
    page.goto(path)
    for selector, value in fields.items():
        page.fill(selector, value)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.locator("[data-error-summary]").count() == 1
    assert axe_violations(page) == []


def test_profile_form_with_errors_has_no_accessibility_violations(citizen_page):
    citizen_page.goto("/konto/bearbeiten/")
    citizen_page.fill("#id_first_name", "x" * 151)
    citizen_page.evaluate(
        "() => document.querySelector('#id_first_name').removeAttribute('maxlength')"
    )
    citizen_page.fill("#id_first_name", "x" * 151)
    with citizen_page.expect_navigation():
        citizen_page.locator("main form button[type=submit]").click()
    assert citizen_page.locator("[data-error-summary]").count() == 1
    assert axe_violations(citizen_page) == []


def test_the_accessibility_check_catches_a_real_violation(page):
    """The check above can fail: an image without a text alternative is reported."""
    page.goto("/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/x.png';"
        " document.querySelector('main').append(img); }"
    )
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]
