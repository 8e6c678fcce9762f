import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from rathaus.accounts.models import LevelOfAssurance, User
from rathaus.accounts.selectors import SESSION_ASSURANCE_KEY

from .factories import PASSWORD, MembershipFactory, UserFactory, totp_code, totp_enable

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def signup(client, email="neu@example.org", password=PASSWORD, password2=None):
    return client.post(
        SIGNUP, {"email": email, "password1": password, "password2": password2 or password}
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+/)", message.body).group(1)


def test_signup_sends_a_verification_email_through_the_outbox():
    client = Client()
    response = signup(client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert "confirm-email" in mail.outbox[0].body
    user = User.objects.get(email="neu@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    # Without confirming, the account cannot log in.
    response = client.post(LOGIN, {"login": "neu@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_confirming_the_email_then_logging_in_gives_a_basic_login(client):
    signup(client)
    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="neu@example.org").verified
    client.post(LOGIN, {"login": "neu@example.org", "password": PASSWORD})
    assert client.session[SESSION_ASSURANCE_KEY] == LevelOfAssurance.BASIC
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_used_verification_link_is_gone(client):
    signup(client)
    link = confirmation_link(mail.outbox[0])
    client.post(link)
    again = client.get(link)
    assert again.status_code == 410
    assert "frontend/base.html" in [t.name for t in again.templates]
    assert client.post(link).status_code == 410


def test_an_unknown_verification_link_is_gone(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 410


def test_signup_rejects_bad_input_and_keeps_what_was_typed(client):
    response = signup(client, email="kein-at-zeichen", password="kurz", password2="anders")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="kein-at-zeichen"' in html
    assert "data-error-summary" in html
    assert "<title>Fehler:" in html
    assert 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


def test_signup_with_a_taken_address_looks_like_a_new_signup(client):
    existing = UserFactory(email="vergeben@example.org")
    fresh = signup(client, email="frei@example.org")
    client.logout()
    taken = signup(client, email="vergeben@example.org")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email__iexact="vergeben@example.org").count() == 1
    # The owner of the address is told by e-mail instead.
    assert mail.outbox[-1].to == [existing.email]


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    UserFactory(email="bekannt@example.org")
    known = client.post("/accounts/password/reset/", {"email": "bekannt@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "unbekannt@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_an_invalid_password_reset_link_is_gone(client):
    response = client.get("/accounts/password/reset/key/1-invalid-key/")
    assert response.status_code == 410


def test_wrong_password_shows_an_error_without_saying_which_part_was_wrong(client):
    UserFactory(email="lena@example.org")
    response = client.post(LOGIN, {"login": "lena@example.org", "password": "falsch-falsch"})
    unknown = client.post(LOGIN, {"login": "niemand@example.org", "password": "falsch-falsch"})
    assert response.status_code == unknown.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "<title>Fehler:" in response.content.decode()
    errors = re.findall(r'class="kern-body">([^<]+)</li>', response.content.decode())
    assert errors == re.findall(r'class="kern-body">([^<]+)</li>', unknown.content.decode())


def test_repeated_wrong_passwords_lock_the_login_even_for_the_right_password(client):
    UserFactory(email="ziel@example.org")
    for _ in range(5):
        client.post(LOGIN, {"login": "ziel@example.org", "password": "geraten-123"})
    response = client.post(LOGIN, {"login": "ziel@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == (
        "too_many_login_attempts"
    )
    assert "data-error-summary" in response.content.decode()


def test_too_many_login_requests_from_one_address_get_a_429_page(client):
    for _ in range(30):
        client.post(LOGIN, {"login": "x@example.org", "password": "geraten-123"})
    response = client.post(LOGIN, {"login": "x@example.org", "password": "geraten-123"})
    assert response.status_code == 429
    assert "frontend/errors/429.html" in [t.name for t in response.templates]


def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Logging out and public pages stay reachable.
    assert client.get(reverse("frontend:imprint")).status_code == 200


def test_citizens_are_not_forced_to_use_two_factor_authentication(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_staff_with_totp_must_enter_a_code_at_login(client):
    membership = MembershipFactory(user__email="sb@stadt.example")
    secret = totp_enable(membership.user)
    response = client.post(LOGIN, {"login": "sb@stadt.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(membership.user.pk)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_admin_login_goes_through_the_account_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_profile_edit_saves_the_name(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"), {"first_name": " Jonas ", "last_name": "Krüger"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Jonas", "Krüger")


def test_profile_edit_rejects_an_overlong_name_and_keeps_the_input(client):
    user = UserFactory(first_name="Alt")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"), {"first_name": "x" * 151, "last_name": "Neu"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Neu"' in html
    assert "<title>Fehler:" in html
    user.refresh_from_db()
    assert user.first_name == "Alt"


def test_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_citizen_can_switch_on_two_factor_authentication(client):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    user = UserFactory(email="vorsichtig@example.org")
    client.post(LOGIN, {"login": "vorsichtig@example.org", "password": PASSWORD})
    # Changing security settings asks for the password again.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
