"""The public check page and its JSON API, for every status and for bad input."""

import pytest
from django.urls import reverse

from rathaus.verification.keys import key_create
from rathaus.verification.models import RevokeReason
from rathaus.verification.services import token_revoke
from rathaus.verification.tokens import token_open, token_sign

from .conftest import days, flipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(issue, settings, tmp_path):
    """One token for every status the check can give."""
    revoked = issue()
    token_revoke(token_id=revoked.record.token_id, reason=RevokeReason.REPLACED)
    valid = issue()
    withdrawn_key = key_create(key_id="aaa-old")
    settings.RATHAUS_TOKEN_ACTIVE_KEY = withdrawn_key.key_id
    signed_with_withdrawn = issue().token
    settings.RATHAUS_TOKEN_ACTIVE_KEY = ""
    settings.RATHAUS_TOKEN_WITHDRAWN_KEYS = [withdrawn_key.key_id]
    unregistered = issue()
    unregistered.record.delete()
    stranger = key_create(directory=tmp_path / "elsewhere", key_id="stranger")
    content = token_open(valid.token)
    signed_by_stranger = token_sign(content=content, key=stranger)
    return {
        "valid": valid.token,
        "expired": issue(valid_from=days(-400), valid_until=days(-1)).token,
        "not_yet_valid": issue(valid_from=days(1), valid_until=days(100)).token,
        "revoked": revoked.token,
        "forged": flipped(valid.token),
        "unknown_key": signed_by_stranger,
        "key_withdrawn": signed_with_withdrawn,
        "unregistered": unregistered.token,
    }


STATUSES = [
    "valid",
    "expired",
    "not_yet_valid",
    "revoked",
    "forged",
    "unknown_key",
    "key_withdrawn",
    "unregistered",
]
SHOWS_DETAILS = {"valid", "expired", "not_yet_valid", "revoked", "unregistered"}


def test_every_status_is_covered(tokens):
    from rathaus.verification.selectors import CheckStatus

    assert set(tokens) == set(CheckStatus.values) == set(STATUSES)


@pytest.mark.parametrize("status", STATUSES)
def test_the_qr_code_address_shows_the_answer(client, tokens, status):
    response = client.get(f"/en/pruefen/{tokens[status]}")
    assert response.status_code == 200
    assert response.context["result"].status == status
    html = response.content.decode()
    assert f'data-status="{status}"' in html
    assert ("Lena Schäfer" in html) == (status in SHOWS_DETAILS)
    assert ("W-XY 77E" in html) == (status in SHOWS_DETAILS)


@pytest.mark.parametrize("status", STATUSES)
def test_the_answer_is_clear_in_words_not_only_colour(client, tokens, status):
    response = client.get(f"/pruefen/{tokens[status]}")
    result = response.context["result"]
    html = response.content.decode()
    assert f'<h1 class="kern-title verification-result__title">{result.title}</h1>' in html
    assert result.explanation in html
    icon = "success" if status == "valid" else "warning" if status == "not_yet_valid" else "danger"
    assert f"kern-icon--{icon} kern-icon--x-large" in html


@pytest.mark.parametrize("status", STATUSES)
def test_the_api_answers_each_status_as_json(client, tokens, status):
    response = client.get(f"/en/pruefen/api/{tokens[status]}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    assert body["valid"] is (status == "valid")
    assert body["title"] and body["message"]
    if status in SHOWS_DETAILS:
        assert body["kind"] == "parking-permit"
        claims = {claim["name"]: claim["value"] for claim in body["claims"]}
        assert claims == {
            "zone": "B3",
            "plates": ["W-AB 1234", "W-XY 77E"],
            "holder": "Lena Schäfer",
        }
        assert body["valid_from"] and body["valid_until"]
    else:
        assert body["claims"] == [] and body["kind"] is None
    assert (body["revoke_reason"] == "replaced") == (status == "revoked")


def test_api_text_follows_the_language(client, tokens):
    body = client.get(f"/en/pruefen/api/{tokens['revoked']}").json()
    assert body["title"] == "Not valid: revoked"
    assert "replaced by a new document" in body["message"]


def test_revocation_shows_at_the_next_scan(client, issue):
    signed = issue()
    assert client.get(f"/pruefen/api/{signed.token}").json()["status"] == "valid"
    token_revoke(token_id=signed.record.token_id, reason="withdrawn")
    assert client.get(f"/pruefen/api/{signed.token}").json()["status"] == "revoked"


@pytest.mark.parametrize("path", ["/pruefen/", "/pruefen/{token}", "/pruefen/api/{token}"])
def test_answers_are_never_cached_nor_leak_the_address(client, tokens, path):
    response = client.get(path.format(token=tokens["valid"]))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    # No CORS: other web sites cannot read answers (they hold the holder's details).
    assert not response.has_header("Access-Control-Allow-Origin")


def test_no_login_is_needed_and_nothing_is_set_in_the_session(client, tokens):
    response = client.get(f"/pruefen/{tokens['valid']}")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


class TestForm:
    def test_the_empty_page_has_the_form(self, client):
        response = client.get("/pruefen/")
        assert response.status_code == 200
        assert response.context["result"] is None
        assert 'name="code"' in response.content.decode()

    def test_a_pasted_code_with_spaces_and_lower_case_is_checked(self, client, tokens):
        code = " ".join(tokens["valid"][i : i + 4] for i in range(0, len(tokens["valid"]), 4))
        response = client.post("/pruefen/", {"code": code.lower()})
        assert response.status_code == 200
        assert response.context["result"].status == "valid"

    def test_a_pasted_web_address_is_checked(self, client, tokens):
        url = f"https://service.stadt.example/pruefen/{tokens['revoked']}"
        response = client.post("/pruefen/", {"code": url})
        assert response.context["result"].status == "revoked"

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            ("", "Enter the code printed under the QR code."),
            ("ÄÖÜ-999", "not: 9 Ä Ö Ü"),
            ("A" * 5000, "longer than any code we print"),
        ],
    )
    def test_bad_input_gets_a_clear_message_and_the_error_summary(self, client, code, message):
        response = client.post("/en/pruefen/", {"code": code})
        assert response.status_code == 422
        html = response.content.decode()
        assert message in html
        assert "There is a problem" in html
        assert "<title>Error:" in html
        assert response.context["result"] is None

    def test_a_forged_code_is_an_answer_not_an_input_error(self, client, tokens):
        response = client.post("/pruefen/", {"code": tokens["forged"]})
        assert response.status_code == 200
        assert response.context["result"].status == "forged"


@pytest.mark.parametrize(
    "garbage",
    ["hello-world!", "%C3%A4%C3%B6%C3%BC", "A" * 3000, "%00", "ABC%2FDEF", "99999999"],
)
def test_garbage_in_the_address_gets_a_message_never_a_500(client, garbage):
    page = client.get(f"/en/pruefen/{garbage}")
    assert page.status_code in (400, 404)
    if page.status_code == 400:
        assert "There is a problem" in page.content.decode()
    api = client.get(f"/en/pruefen/api/{garbage}")
    assert api.status_code in (400, 404)
    if api.status_code == 400:
        assert api.json()["status"] == "unreadable"
        assert api.json()["message"]


def test_well_formed_garbage_is_forged(client):
    assert client.get("/pruefen/api/ABCDEFGHIJKLMNOP").json()["status"] == "forged"
    response = client.get("/pruefen/ABCDEFGHIJKLMNOP")
    assert response.status_code == 200
    assert response.context["result"].status == "forged"


def test_other_methods_are_refused(client, tokens):
    assert client.post(f"/pruefen/api/{tokens['valid']}").status_code == 405
    assert client.delete("/pruefen/").status_code == 405


class TestRateLimit:
    def test_the_page_answers_429_with_the_sites_page(self, client, tokens, settings):
        settings.RATHAUS_VERIFICATION_RATE_LIMIT = "2/m/ip"
        for _ in range(2):
            assert client.get(f"/pruefen/{tokens['valid']}").status_code == 200
        response = client.get(f"/pruefen/{tokens['valid']}")
        assert response.status_code == 429
        assert "frontend/errors/429.html" in [t.name for t in response.templates]
        assert client.post("/pruefen/", {"code": tokens["valid"]}).status_code == 429

    def test_the_api_answers_429_in_json(self, client, tokens, settings):
        settings.RATHAUS_VERIFICATION_RATE_LIMIT = "1/m/ip"
        assert client.get(f"/pruefen/api/{tokens['valid']}").status_code == 200
        response = client.get(f"/pruefen/api/{tokens['valid']}")
        assert response.status_code == 429
        assert response.json()["status"] == "rate_limited"
        assert response["Retry-After"] == "60"

    def test_the_empty_form_is_not_counted(self, client, settings):
        settings.RATHAUS_VERIFICATION_RATE_LIMIT = "1/m/ip"
        for _ in range(3):
            assert client.get("/pruefen/").status_code == 200

    def test_each_address_has_its_own_limit(self, client, tokens, settings):
        settings.RATHAUS_VERIFICATION_RATE_LIMIT = "1/m/ip"
        url = f"/pruefen/api/{tokens['valid']}"
        assert client.get(url, REMOTE_ADDR="192.0.2.1").status_code == 200
        assert client.get(url, REMOTE_ADDR="192.0.2.1").status_code == 429
        assert client.get(url, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_check_url_resolves_to_the_direct_view(tokens):
    assert reverse("verification:check_token", kwargs={"token": "ABC"}) == "/pruefen/ABC"
    assert reverse("verification:api", kwargs={"token": "ABC"}) == "/pruefen/api/ABC"
