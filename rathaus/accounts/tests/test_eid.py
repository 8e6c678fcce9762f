"""eID login end to end against a local OpenID Connect provider (the city's BundID or Keycloak)."""

import datetime

import pytest
from django.test import Client

from rathaus.accounts.models import LevelOfAssurance, User
from rathaus.accounts.selectors import SESSION_ASSURANCE_KEY

from .oidc_provider import LocalOIDCProvider

pytestmark = pytest.mark.django_db

PERSON = {
    "sub": "eid-pseudonym-4711",
    "given_name": "Aylin",
    "family_name": "Demir",
    "birthdate": "1995-06-30",
    "email": "aylin.demir@example.org",
    "email_verified": True,
}


def _configure(settings, provider: LocalOIDCProvider) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "eid",
                    "name": "eID",
                    "client_id": provider.client_id,
                    "secret": "geheim",
                    "settings": {"server_url": provider.url, "oauth_pkce_enabled": True},
                }
            ]
        }
    }


def _eid_login(client: Client) -> None:
    start = client.post("/accounts/oidc/eid/login/")
    assert start.status_code == 302
    authorize = start["Location"]
    # The browser follows the redirect to the provider, which sends it back with a code.
    import requests

    back = requests.get(authorize, allow_redirects=False, timeout=5)
    callback = back.headers["Location"]
    path = callback[callback.index("/accounts/") :]
    response = client.get(path)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    ("acr", "level"),
    [
        ("http://eidas.europa.eu/LoA/high", LevelOfAssurance.HIGH),
        ("http://eidas.europa.eu/LoA/substantial", LevelOfAssurance.SUBSTANTIAL),
    ],
)
def test_an_eid_login_creates_the_account_with_the_asserted_level(settings, acr, level):
    with LocalOIDCProvider(client_id="rathaus", claims={**PERSON, "acr": acr}) as provider:
        _configure(settings, provider)
        client = Client()
        _eid_login(client)
    user = User.objects.get(email="aylin.demir@example.org")
    assert (user.first_name, user.last_name) == ("Aylin", "Demir")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_ASSURANCE_KEY] == level


def test_an_eid_login_links_the_account_to_the_person_in_the_register(settings):
    from rathaus.registry.tests.factories import ResidentFactory

    person = ResidentFactory(
        family_name="Demir", given_names="Aylin", date_of_birth=datetime.date(1995, 6, 30)
    )
    claims = {**PERSON, "acr": "http://eidas.europa.eu/LoA/high"}
    with LocalOIDCProvider(client_id="rathaus", claims=claims) as provider:
        _configure(settings, provider)
        _eid_login(Client())
    assert User.objects.get(email="aylin.demir@example.org").register_id == person.register_id


def test_an_eid_person_unknown_to_the_register_stays_unlinked(settings):
    claims = {**PERSON, "acr": "http://eidas.europa.eu/LoA/high"}
    with LocalOIDCProvider(client_id="rathaus", claims=claims) as provider:
        _configure(settings, provider)
        _eid_login(Client())
    assert User.objects.get(email="aylin.demir@example.org").register_id == ""


def test_the_login_page_offers_the_eid_login_when_configured(settings):
    with LocalOIDCProvider(client_id="rathaus", claims=PERSON) as provider:
        _configure(settings, provider)
        html = Client().get("/accounts/login/").content.decode()
    assert "/accounts/oidc/eid/login/" in html


def test_without_configuration_there_is_no_eid_login(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    html = Client().get("/accounts/login/").content.decode()
    assert "/oidc/" not in html
