"""The token: round trip, every way it can fail, and what a typed or pasted code may look like."""

import base64
import datetime

import pytest

from rathaus.verification.keys import key_create, keyring
from rathaus.verification.kinds import kind_by_slug
from rathaus.verification.selectors import CheckStatus, token_check
from rathaus.verification.services import token_issue
from rathaus.verification.tokens import (
    MAX_TOKEN_CHARS,
    SIGNATURE_BYTES,
    TokenContent,
    TokenError,
    TokenForged,
    TokenSyntaxError,
    token_normalize,
    token_open,
    token_sign,
)

from .conftest import PERMIT_CLAIMS, days

pytestmark = pytest.mark.django_db


def to_bytes(token: str) -> bytearray:
    return bytearray(base64.b32decode(token + "=" * (-len(token) % 8)))


def to_token(data: bytes) -> str:
    return base64.b32encode(bytes(data)).decode().rstrip("=")


def flip(token: str, *, byte: int, bit: int = 0) -> str:
    data = to_bytes(token)
    data[byte] ^= 1 << bit
    return to_token(data)


def header_length(token: str) -> int:
    return 2 + to_bytes(token)[1]


def test_round_trip_gives_back_every_printed_detail(issue):
    signed = issue()
    content = token_open(signed.token)
    assert content.token_id == signed.record.token_id
    assert content.kind.slug == "parking-permit"
    assert content.valid_from == days(-30)
    assert content.valid_until == days(335)
    assert content.claims == {
        "zone": "B3",
        "plates": ("W-AB 1234", "W-XY 77E"),
        "holder": "Lena Schäfer",
    }


def test_token_is_base32_upper_case_without_padding_so_the_qr_code_can_be_alphanumeric(issue):
    token = issue().token
    assert token == token.upper()
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert "=" not in token


def test_valid_token_checks_as_valid_with_its_claims(issue):
    result = token_check(token=issue().token)
    assert result.status == CheckStatus.VALID
    assert result.is_valid
    assert [(c.name, c.value) for c in result.claims] == [
        ("zone", "B3"),
        ("plates", ("W-AB 1234", "W-XY 77E")),
        ("holder", "Lena Schäfer"),
    ]


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "status"),
    [
        (-30, 0, CheckStatus.VALID),  # the last day still counts
        (-30, -1, CheckStatus.EXPIRED),
        (0, 30, CheckStatus.VALID),  # the first day counts
        (1, 30, CheckStatus.NOT_YET_VALID),
    ],
)
def test_validity_dates_are_inclusive(issue, valid_from, valid_until, status):
    signed = issue(valid_from=days(valid_from), valid_until=days(valid_until))
    assert token_check(token=signed.token).status == status


def test_expired_and_not_yet_valid_tokens_still_show_their_details(issue):
    expired = token_check(token=issue(valid_from=days(-400), valid_until=days(-35)).token)
    assert expired.status == CheckStatus.EXPIRED
    assert expired.valid_until == days(-35)
    assert {c.name for c in expired.claims} == {"zone", "plates", "holder"}
    early = token_check(token=issue(valid_from=days(3), valid_until=days(300)).token)
    assert early.status == CheckStatus.NOT_YET_VALID
    assert early.valid_from == days(3)


@pytest.mark.parametrize("part", ["header", "token id", "kind", "dates", "claims", "signature"])
def test_one_flipped_bit_anywhere_is_caught(issue, part):
    token = issue().token
    start = header_length(token)
    length = len(to_bytes(token))
    byte = {
        "header": 0,  # the version
        "token id": start + 3,
        "kind": start + 8,
        "dates": start + 10,
        "claims": start + 16,
        "signature": length - SIGNATURE_BYTES + 5,
    }[part]
    result = token_check(token=flip(token, byte=byte))
    assert result.status == CheckStatus.FORGED
    assert result.claims == ()
    assert result.kind is None


def test_a_flipped_bit_in_the_key_id_names_a_key_we_do_not_have(issue):
    token = issue().token  # signed with the test key "test"
    assert token_check(token=flip(token, byte=2, bit=1)).status == CheckStatus.UNKNOWN_KEY


def test_tampered_claims_with_the_original_signature_are_forged(issue):
    token = issue().token
    data = to_bytes(token)
    plate = b"W-AB 1234"
    position = data.find(plate)
    data[position : position + len(plate)] = b"W-ZZ 9999"
    result = token_check(token=to_token(data))
    assert result.status == CheckStatus.FORGED


def test_cut_off_or_extended_tokens_are_forged(issue):
    token = issue().token
    data = to_bytes(token)
    for broken in (data[:-1], data[:20], data[:2], data + b"\x00"):
        assert token_check(token=to_token(broken)).status == CheckStatus.FORGED


def test_a_second_spelling_of_the_same_bytes_is_refused(issue):
    token = issue(claims={**PERMIT_CLAIMS, "holder": "Lena"}).token
    assert len(token) % 8, "this length has no unused bits"
    # The last character carries unused low bits; setting one keeps the bytes but not the text.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(token[-1])
    other = token[:-1] + alphabet[last | 1 if not last & 1 else last & ~1]
    assert to_bytes(other) == to_bytes(token)
    assert token_check(token=other).status == CheckStatus.FORGED


def test_token_signed_with_a_key_outside_the_directory_is_unknown(settings, tmp_path):
    stranger = key_create(directory=tmp_path / "elsewhere", key_id="stranger")
    content = TokenContent(
        token_id="0011223344556677",
        kind=kind_by_slug("parking-permit"),
        valid_from=days(-1),
        valid_until=days(30),
        claims={"zone": "B3", "plates": ("W-AB 1234",), "holder": "Eve"},
    )
    token = token_sign(content=content, key=stranger)
    result = token_check(token=token)
    assert result.status == CheckStatus.UNKNOWN_KEY
    assert result.claims == ()


def test_token_signed_by_another_key_with_our_key_id_is_forged(tmp_path):
    """Somebody who guesses our key id still cannot sign: the signature does not verify."""
    impostor = key_create(directory=tmp_path / "elsewhere", key_id="test")
    assert impostor.fingerprint != keyring().keys["test"].fingerprint
    content = TokenContent(
        token_id="0011223344556677",
        kind=kind_by_slug("parking-permit"),
        valid_from=days(-1),
        valid_until=days(30),
        claims={"zone": "B3", "plates": ("W-AB 1234",), "holder": "Eve"},
    )
    assert token_check(token=token_sign(content=content, key=impostor)).status == (
        CheckStatus.FORGED
    )


@pytest.mark.parametrize(
    "text",
    ["", "   ", "HELLO", "A" * 8, "ÄÖÜ", "€", "<script>", "A" * (MAX_TOKEN_CHARS + 1), "\x00"],
)
def test_garbage_never_raises_and_checks_as_forged(text):
    assert token_check(token=text).status == CheckStatus.FORGED


def test_kinds_have_unique_codes_and_slugs_that_fit_in_a_byte():
    from rathaus.verification.kinds import KINDS

    assert len({kind.code for kind in KINDS}) == len({kind.slug for kind in KINDS}) == len(KINDS)
    assert all(0 < kind.code < 256 for kind in KINDS)


def test_a_header_no_key_of_ours_could_have_is_forged_not_an_unknown_key(issue):
    data = to_bytes(issue().token)
    data[2] = ord("T")  # upper case: never a key id
    assert token_check(token=to_token(data)).status == CheckStatus.FORGED


def test_token_open_refuses_what_the_normaliser_would_refuse():
    with pytest.raises(TokenForged):
        token_open("abc")


class TestNormalise:
    def test_a_whole_web_address_gives_its_token(self):
        url = "https://service.stadt.example/pruefen/ABCDEFG234?utm=x#top"
        assert token_normalize(url) == "ABCDEFG234"
        assert token_normalize("https://service.stadt.example/en/pruefen/ABCD/") == "ABCD"

    def test_spaces_hyphens_lower_case_and_lookalike_digits_are_forgiven(self):
        assert token_normalize("  abcd efgh-ijkl\n2345 0018 ") == "ABCDEFGHIJKL2345OOIB"

    def test_padding_is_dropped(self):
        assert token_normalize("ABCDEF==") == "ABCDEF"

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("", "empty"),
            ("  - ", "empty"),
            ("ABC9", "alphabet"),
            ("ABCÄ", "alphabet"),
            ("A" * (MAX_TOKEN_CHARS + 1), "too_long"),
            ("A" * 100_000, "too_long"),
        ],
    )
    def test_what_cannot_be_a_code_gets_a_reason(self, text, code):
        with pytest.raises(TokenSyntaxError) as caught:
            token_normalize(text)
        assert caught.value.code == code
        assert str(caught.value.message)

    def test_the_message_names_the_wrong_characters(self):
        with pytest.raises(TokenSyntaxError) as caught:
            token_normalize("AB9Ä")
        assert "9 Ä" in str(caught.value.message)


class TestIssueRefusals:
    """Details that cannot make a good token are refused before anything is stored."""

    @pytest.mark.parametrize(
        ("overrides", "code"),
        [
            ({"kind": "fishing-licence"}, "kind"),
            ({"claims": {**PERMIT_CLAIMS, "eye_colour": "blue"}}, "unknown_claim"),
            ({"claims": {**PERMIT_CLAIMS, "holder": ["A", "B"]}}, "many"),
            ({"claims": {**PERMIT_CLAIMS, "holder": "x" * 256}}, "too_long"),
            ({"claims": {**PERMIT_CLAIMS, "plates": ["W-AB 1"] * 30}}, "too_long"),
            # Each claim fits, the whole would make a QR code too dense to scan.
            ({"claims": {**PERMIT_CLAIMS, "holder": "x" * 200}}, "too_long"),
            ({"valid_from": days(2), "valid_until": days(1)}, "dates"),
            ({"valid_from": datetime.date(1999, 12, 31)}, "dates"),
            ({"valid_until": datetime.date(2180, 1, 1)}, "dates"),
            ({"reference": "x" * 101}, "reference"),
        ],
    )
    def test_refused(self, issue, overrides, code):
        from rathaus.verification.models import IssuedToken

        with pytest.raises(TokenError) as caught:
            issue(**overrides)
        assert caught.value.code == code
        assert str(caught.value.message)
        assert not IssuedToken.objects.exists()

    def test_a_claim_left_out_is_printed_as_nothing(self, issue):
        signed = token_issue(
            kind="registration-certificate",
            claims={"holder": "Lena Schäfer"},
            valid_from=days(0),
            valid_until=days(90),
        )
        result = token_check(token=signed.token)
        assert result.status == CheckStatus.VALID
        assert [c.name for c in result.claims] == ["holder"]
