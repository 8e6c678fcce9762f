import pytest
from django.test import Client, override_settings
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from rathaus.frontend import views

pytestmark = pytest.mark.django_db

PAGES = ["/", "/impressum/", "/datenschutz/", "/barrierefreiheit/"]


@pytest.mark.parametrize("url", PAGES)
def test_public_page_is_german_by_default(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert 'href="#main"' in html  # skip link
    assert 'hreflang="en"' in html  # language switch


@pytest.mark.parametrize("url", PAGES)
def test_public_page_is_english_under_en(client, url):
    response = client.get("/en" + url)
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert 'hreflang="de"' in response.content.decode()


def test_the_footer_links_the_legal_pages_and_the_accessibility_contact(client, settings):
    settings.RATHAUS_ACCESSIBILITY_EMAIL = "barrierefrei@stadt.example"
    html = client.get("/barrierefreiheit/").content.decode()
    for url in ["/impressum/", "/datenschutz/", "/barrierefreiheit/"]:
        assert f'href="{url}"' in html
    assert "mailto:barrierefrei@stadt.example" in html


def test_the_language_switch_keeps_the_page(client):
    html = client.get("/impressum/").content.decode()
    assert 'href="/en/impressum/"' in html


def test_every_response_carries_a_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_an_unknown_page_gets_a_404_in_the_site_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "site-header" in html
    assert "Traceback" not in html


def _boom(request):
    raise RuntimeError("kaputt")


urlpatterns = [path("boom/", _boom), *site_urlpatterns]
handler500 = views.server_error


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_crash_gets_a_500_page_without_a_stack_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "kaputt" not in html
    assert "Traceback" not in html
    assert "site-header" in html


def test_a_forged_form_post_gets_the_csrf_page(client):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "site-header" in response.content.decode()
