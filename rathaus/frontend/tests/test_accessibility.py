"""Every page passes axe-core (WCAG 2.1 A/AA) in Chromium on a 360 px screen, in both languages."""

from urllib.parse import urlparse

import pytest
from django.test import Client

from rathaus.accounts.tests.factories import PASSWORD, UserFactory
from rathaus.core.testing import assert_page_fine, axe_violations, horizontal_overflow

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
    assert_page_fine(page)


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


PORTAL_PUBLIC_PAGES = ["/leistungen/", "/leistungen/?q=hund", "/leistungen/bewohnerparkausweis/"]


@pytest.mark.parametrize("path", PORTAL_PUBLIC_PAGES)
def test_portal_page_has_no_accessibility_violations(page, path, city):
    page.goto(path)
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0


def test_portal_pages_of_a_citizen_have_no_accessibility_violations(citizen_page, city, settings):
    """Service page without enough assurance, the explanation page, the demo eID, a draft in
    "my applications", the receipt and an expired draft."""
    import datetime

    from django.utils import timezone

    from rathaus.applications.models import Application
    from rathaus.applications.services import application_start
    from rathaus.cases.tests.conftest import submit_certificate
    from rathaus.catalog.models import Service

    settings.DEBUG = True  # the demo eID exists only in a local demo
    user = Application._meta.get_field("applicant").related_model.objects.get()
    # A sent application: a registration certificate of Lena Schäfer of the demo register.
    user.register_id, user.last_name = "100001", "Schäfer"
    user.save(update_fields=["register_id", "last_name"])
    sent = submit_certificate(user).application
    fibre = Service.objects.get(slug="glasfaser-hausanschluss")
    draft = application_start(user=user, service=fibre)
    expired = application_start(user=user, service=fibre)
    Application.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    for path in [
        "/leistungen/meldebescheinigung/",
        f"/antraege/{draft.public_id}/schritt/building/",
        "/antraege/",
        f"/antraege/{sent.public_id}/eingangsbestaetigung/",
        f"/antraege/{sent.public_id}/bestaetigung/",
        f"/antraege/{expired.public_id}/schritt/building/",
        "/demo/eid/",
    ]:
        citizen_page.goto(path)
        assert axe_violations(citizen_page) == [], path
        assert horizontal_overflow(citizen_page) == 0, path
    # A draft of a service needing "substantial", opened with a basic login: the page explains
    # how to log in better (here: the demo eID).
    parking = application_start(user=user, service=Service.objects.get(slug="bewohnerparkausweis"))
    response = citizen_page.goto(f"/antraege/{parking.public_id}/schritt/residence/")
    assert response.status == 403
    assert citizen_page.locator("main a[href^='/demo/eid/']").count() == 1
    assert axe_violations(citizen_page) == []
