from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from rathaus.accounts.decorators import assurance_required
from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.selectors import eid_level_from_claims, login_assurance
from rathaus.accounts.services import login_assurance_after_login, login_assurance_record

from .factories import UserFactory


@pytest.mark.parametrize(
    ("acr", "level"),
    [
        ("http://eidas.europa.eu/LoA/high", LevelOfAssurance.HIGH),
        ("http://eidas.europa.eu/LoA/substantial", LevelOfAssurance.SUBSTANTIAL),
        ("http://eidas.europa.eu/LoA/low", LevelOfAssurance.BASIC),
        ("STORK-QAA-Level-4", LevelOfAssurance.HIGH),
        ("STORK-QAA-Level-3", LevelOfAssurance.SUBSTANTIAL),
        ("something-unknown", LevelOfAssurance.BASIC),
    ],
)
def test_eid_acr_claims_map_to_levels(acr, level):
    assert eid_level_from_claims(claims={"acr": acr}) == level


def test_eid_login_without_acr_gets_the_configured_default(settings):
    settings.RATHAUS_EID_DEFAULT_LEVEL = "high"
    assert eid_level_from_claims(claims={}) == LevelOfAssurance.HIGH


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


@pytest.mark.django_db
def test_a_password_login_is_basic():
    request = _request(UserFactory())
    assert login_assurance_after_login(request=request) == LevelOfAssurance.BASIC
    assert login_assurance(request=request) == LevelOfAssurance.BASIC


@pytest.mark.django_db
def test_an_eid_login_takes_the_level_from_the_id_token():
    request = _request(UserFactory())
    sociallogin = SimpleNamespace(
        user=request.user,
        account=SimpleNamespace(
            provider="eid", extra_data={"id_token": {"acr": "http://eidas.europa.eu/LoA/high"}}
        ),
    )
    assert login_assurance_after_login(request=request, sociallogin=sociallogin) == 3
    assert login_assurance(request=request) == LevelOfAssurance.HIGH


@pytest.mark.django_db
def test_another_social_provider_never_raises_the_level():
    request = _request(UserFactory())
    sociallogin = SimpleNamespace(
        account=SimpleNamespace(provider="other", extra_data={"id_token": {"acr": "high"}})
    )
    assert login_assurance_after_login(request=request, sociallogin=sociallogin) == 1


def test_nobody_logged_in_has_no_level():
    from django.contrib.auth.models import AnonymousUser

    assert login_assurance(request=_request(AnonymousUser())) is None


@assurance_required(LevelOfAssurance.HIGH)
def _high_view(request):
    return HttpResponse("ok")


@pytest.mark.django_db
def test_a_view_needing_high_assurance_explains_itself_to_a_basic_login():
    request = _request(UserFactory())
    login_assurance_record(request=request, level=LevelOfAssurance.BASIC)
    response = _high_view(request)
    assert response.status_code == 403
    assert "/accounts/oidc/eid/login/" not in response.content.decode()


@pytest.mark.django_db
def test_the_assurance_page_links_the_eid_login_when_one_is_configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": [{"provider_id": "eid", "client_id": "x", "settings": {}}]}
    }
    request = _request(UserFactory())
    login_assurance_record(request=request, level=LevelOfAssurance.SUBSTANTIAL)
    response = _high_view(request)
    assert response.status_code == 403
    assert "/accounts/oidc/eid/login/?next=%2F" in response.content.decode()


@pytest.mark.django_db
def test_a_view_needing_high_assurance_lets_an_eid_login_through():
    request = _request(UserFactory())
    login_assurance_record(request=request, level=LevelOfAssurance.HIGH)
    assert _high_view(request).content == b"ok"


def test_a_view_needing_assurance_sends_anonymous_users_to_the_login():
    from django.contrib.auth.models import AnonymousUser

    response = _high_view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
