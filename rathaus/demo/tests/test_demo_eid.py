import pytest
from django.urls import reverse

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.selectors import SESSION_ASSURANCE_KEY
from rathaus.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_eid_raises_the_login_to_high_with_the_demo_pin(client, settings):
    settings.DEBUG = True
    client.force_login(UserFactory())
    response = client.post(reverse("demo:eid") + "?next=/antraege/", {"pin": "123456"})
    assert response["Location"] == "/antraege/"
    assert client.session[SESSION_ASSURANCE_KEY] == LevelOfAssurance.HIGH


def test_a_wrong_pin_changes_nothing(client, settings):
    settings.DEBUG = True
    client.force_login(UserFactory())
    response = client.post(reverse("demo:eid"), {"pin": "000000"})
    assert response.status_code == 422
    assert SESSION_ASSURANCE_KEY not in client.session


def test_the_demo_eid_does_not_exist_in_production(client, settings):
    settings.DEBUG = False
    client.force_login(UserFactory())
    assert client.post(reverse("demo:eid"), {"pin": "123456"}).status_code == 404


def test_an_outside_next_url_is_ignored(client, settings):
    settings.DEBUG = True
    client.force_login(UserFactory())
    response = client.post(reverse("demo:eid") + "?next=https://evil.example/", {"pin": "123456"})
    assert response["Location"] == reverse("accounts:profile")
