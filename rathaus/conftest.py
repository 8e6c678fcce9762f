"""Shared fixtures: a real Chromium per test worker and phone-sized Playwright pages."""

import os

import pytest

from rathaus.core.testing import AXE_JS

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("RATHAUS_CHROMIUM", "/usr/bin/chromium")
SEAL_PASSPHRASE = "test-passphrase"  # noqa: S105  (a throwaway key of the test run)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in German: a request to an /en/ page leaves English active in the
    thread (LocaleMiddleware does not reset it), and reverse() would then give /en/ URLs."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` prove behaviour under real concurrency; SQLite skips them."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def test_seal(tmp_path_factory):
    """Root CA, issuing CA and seal certificate of "Stadt Teststadt" (EC P-256, encrypted key),
    made once per test process: documents are sealed with it, never with a key in var/."""
    from rathaus.documents.demo_ca import demo_ca_create

    return demo_ca_create(
        directory=tmp_path_factory.mktemp("seal") / "ca",
        organisation="Stadt Teststadt",
        locality="Teststadt",
        passphrase=SEAL_PASSPHRASE,
    )


@pytest.fixture(autouse=True)
def _seal_settings(settings, test_seal):
    settings.RATHAUS_SEAL_KEY_FILE = str(test_seal.key_file)
    settings.RATHAUS_SEAL_CERT_FILE = str(test_seal.cert_file)
    settings.RATHAUS_SEAL_CHAIN_FILE = str(test_seal.chain_file)
    settings.RATHAUS_SEAL_KEY_PASSPHRASE = SEAL_PASSPHRASE


@pytest.fixture(autouse=True)
def _token_keys(settings, tmp_path):
    """Each test signs document tokens (QR codes) with its own key, never with one in var/."""
    from rathaus.verification.keys import key_create

    settings.RATHAUS_TOKEN_KEYS_DIR = tmp_path / "token-keys"
    settings.RATHAUS_TOKEN_ACTIVE_KEY = ""
    settings.RATHAUS_TOKEN_WITHDRAWN_KEYS = []
    key_create(directory=settings.RATHAUS_TOKEN_KEYS_DIR, key_id="test")


@pytest.fixture
def city(db):
    """The demo city's departments and resident register, and the real service catalogue."""
    from rathaus.accounts.services import department_ensure
    from rathaus.catalog.services import catalog_load
    from rathaus.demo import services as demo
    from rathaus.registry.services import registry_import

    for spec in demo.DEPARTMENTS:
        department_ensure(code=spec.code, slug=spec.slug, name=spec.name)
    data = demo.DATA_DIR
    with (
        (data / "addresses.csv").open(encoding="utf-8") as addresses,
        (data / "residents.csv").open(encoding="utf-8") as residents,
        (data / "vehicles.csv").open(encoding="utf-8") as vehicles,
    ):
        registry_import(addresses=addresses, residents=residents, vehicles=vehicles)
    catalog_load()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (360 px) on the live server; axe-core is served same-origin for CSP."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 780}, locale="de-DE"
    )
    context.route(
        "**/__axe__.js",
        lambda route: route.fulfill(path=AXE_JS, content_type="application/javascript"),
    )
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: (
            page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def english(settings):
    """Run in English: commands activate LANGUAGE_CODE, services use the active language."""
    from django.urls import clear_url_caches
    from django.utils import translation

    # The URL resolver caches language prefixes, which depend on LANGUAGE_CODE.
    clear_url_caches()
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
    settings.LANGUAGE_CODE = "de"
    clear_url_caches()


def pytest_sessionstart(session):
    from django.conf import settings

    for path in settings.LOCALE_PATHS:
        if not (path / "de" / "LC_MESSAGES" / "django.mo").exists():
            raise pytest.UsageError(
                f"Translations in {path} are not compiled: run `make messages` (or `make test`)."
            )
