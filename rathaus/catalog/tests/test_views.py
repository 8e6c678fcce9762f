import pytest
from django.urls import reverse

from rathaus.accounts.models import LevelOfAssurance
from rathaus.applications.tests.conftest import citizen_client
from rathaus.catalog.models import Service

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_every_active_service(client, city):
    html = client.get(reverse("catalog:list")).content.decode()
    for slug in Service.objects.values_list("slug", flat=True):
        assert f'href="/leistungen/{slug}/"' in html


def test_the_catalogue_search_finds_by_words_in_either_language(client, city):
    german = client.get(reverse("catalog:list"), {"q": "hund"}).content.decode()
    assert "/leistungen/hundesteuer-anmeldung/" in german
    assert "/leistungen/bewohnerparkausweis/" not in german
    english = client.get(reverse("catalog:list"), {"q": "parking permit"}).content.decode()
    assert "/leistungen/bewohnerparkausweis/" in english


def test_a_search_without_results_says_so(client, city):
    html = client.get(reverse("catalog:list"), {"q": "Raumfahrt"}).content.decode()
    assert "/leistungen/bewohnerparkausweis/" not in html
    assert 'role="status"' in html


def test_a_service_page_says_cost_time_and_login_level(client, city):
    html = client.get(reverse("catalog:detail", args=["bewohnerparkausweis"])).content.decode()
    assert "30,00 €" in html
    assert "15.00" in html or "15,00" in html
    assert "14 Tage" in html
    assert "substantiell" in html
    # Anonymous visitors are asked to log in, and come back here afterwards.
    assert "/accounts/login/?next=/leistungen/bewohnerparkausweis/" in html


def test_a_service_page_tells_a_basic_login_that_it_is_not_enough(city):
    client = citizen_client(level=LevelOfAssurance.BASIC)
    html = client.get(reverse("catalog:detail", args=["meldebescheinigung"])).content.decode()
    assert 'action="/antraege/neu/meldebescheinigung/"' not in html
    assert "kern-alert--warning" in html


def test_starting_a_service_with_too_low_a_login_explains_it(city):
    client = citizen_client(level=LevelOfAssurance.SUBSTANTIAL)
    response = client.post(reverse("applications:start", args=["meldebescheinigung"]))
    assert response.status_code == 403
    assert "accounts/assurance_required.html" in [t.name for t in response.templates]


def test_an_unknown_or_inactive_service_is_not_found(client, city):
    assert client.get(reverse("catalog:detail", args=["gibt-es-nicht"])).status_code == 404
    Service.objects.filter(slug="bewohnerparkausweis").update(active=False)
    assert client.get(reverse("catalog:detail", args=["bewohnerparkausweis"])).status_code == 404
    assert "bewohnerparkausweis" not in client.get(reverse("catalog:list")).content.decode()
