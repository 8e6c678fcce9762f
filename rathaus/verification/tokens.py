"""The compact signed token printed as a QR code on permits and certificates.

Bytes, then base32 (RFC 4648, upper case, no padding), so that the QR code can store the token
in its alphanumeric mode (5.5 bits a character instead of 8):

    version       1        TOKEN_VERSION
    key id        1 + n    length, then the id in ASCII (`keys.KEY_ID_PATTERN`)
    token id      8        random; the row of `IssuedToken` that records revocation
    kind          1        `DocumentKind.code`
    valid from    2        days since 2000-01-01, big-endian
    valid until   2        days since 2000-01-01, big-endian (inclusive)
    claims                 each claim of the kind, in its order: 1 byte length + UTF-8;
                           a claim with many values: 1 byte count, then each value so
    signature     64       Ed25519 over SIGNATURE_CONTEXT + every byte before it

Nothing is encrypted: the token holds what the document prints anyway, and a valid signature
proves that the city issued exactly these details.
"""

import base64
import binascii
import datetime
import re
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .keys import KEY_ID_PATTERN, TokenKey, keyring, withdrawn_key_ids
from .kinds import DocumentKind, kind_by_code

TOKEN_VERSION = 1
SIGNATURE_CONTEXT = b"rathaus-verification-token\x00"
SIGNATURE_BYTES = 64
TOKEN_ID_BYTES = 8
EPOCH = datetime.date(2000, 1, 1)
# Keeps the QR code small enough to scan from paper with any phone (see docs/verification.md).
MAX_TOKEN_BYTES = 240
MAX_TOKEN_CHARS = -(-MAX_TOKEN_BYTES * 8 // 5)
_BASE32 = re.compile(r"[A-Z2-7]+")
# What people mistype when copying a code by hand: base32 has no 0, 1 or 8.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})

ClaimValue = str | tuple[str, ...]


@dataclass(frozen=True)
class TokenContent:
    token_id: str  # hexadecimal
    kind: DocumentKind
    valid_from: datetime.date
    valid_until: datetime.date
    claims: dict[str, ClaimValue]


class TokenError(ValueError):
    """A token cannot be made from these details; the message says why (translated)."""

    def __init__(self, message: Promise | str, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


class TokenSyntaxError(ValueError):
    """Text that cannot be a token at all (typed or pasted); the message is for the user."""

    def __init__(self, message: Promise | str, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


class TokenInvalid(Exception):
    """A token that does not verify; subclasses say why."""

    key_id = ""


class TokenForged(TokenInvalid):
    """Unreadable, changed or signed with a different key of the same id."""


class TokenUnknownKey(TokenInvalid):
    def __init__(self, key_id: str):
        super().__init__(key_id)
        self.key_id = key_id


class TokenKeyWithdrawn(TokenInvalid):
    def __init__(self, key_id: str):
        super().__init__(key_id)
        self.key_id = key_id


def token_id_new() -> str:
    return secrets.token_hex(TOKEN_ID_BYTES)


def token_sign(*, content: TokenContent, key: TokenKey) -> str:
    """Encode and sign; raises TokenError when the details do not fit in a token."""
    if key.private_key is None:
        raise TokenError(_("This key cannot sign."), code="public_key_only")
    message = _header(key.key_id) + _body(content)
    signature = key.private_key.sign(SIGNATURE_CONTEXT + message)
    data = message + signature
    if len(data) > MAX_TOKEN_BYTES:
        raise TokenError(
            _("The printed details are too long for a QR code that can still be scanned."),
            code="too_long",
        )
    return base64.b32encode(data).decode("ascii").rstrip("=")


def token_open(token: str) -> TokenContent:
    """Verify a normalised token and decode it; raises a TokenInvalid subclass if it fails."""
    data = _base32_decode(token)
    key_id, body_start = _header_read(data)
    if key_id in withdrawn_key_ids():
        raise TokenKeyWithdrawn(key_id)
    key = keyring().keys.get(key_id)
    if key is None:
        raise TokenUnknownKey(key_id)
    if len(data) < body_start + SIGNATURE_BYTES:
        raise TokenForged
    message, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    try:
        key.public_key.verify(signature, SIGNATURE_CONTEXT + message)
    except InvalidSignature:
        raise TokenForged from None
    try:
        return _body_read(message[body_start:])
    except (IndexError, ValueError):
        # Signed by us but not readable by this version of Rathaus.
        raise TokenForged from None


def token_normalize(text: str) -> str:
    """The token in a pasted or typed code or web address; raises TokenSyntaxError."""
    text = (text or "").strip()
    if len(text) > 4 * MAX_TOKEN_CHARS:
        raise _too_long()
    # A whole web address (from a QR reader app): the token is its last path segment.
    text = re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    token = re.sub(r"[\s\-]+", "", text).upper().translate(_LOOKALIKES).rstrip("=")
    if not token:
        raise TokenSyntaxError(
            _("Enter the code printed under the QR code."),
            code="empty",
        )
    if len(token) > MAX_TOKEN_CHARS:
        raise _too_long()
    if not _BASE32.fullmatch(token):
        wrong = "".join(sorted({c for c in token if not _BASE32.fullmatch(c)}))
        raise TokenSyntaxError(
            _(
                "The code can only contain the letters A to Z and the digits 2 to 7, "
                "not: %(characters)s"
            )
            % {"characters": " ".join(wrong)},
            code="alphabet",
        )
    return token


def _too_long() -> TokenSyntaxError:
    return TokenSyntaxError(
        _("This code is longer than any code we print. Please check what you entered."),
        code="too_long",
    )


def _header(key_id: str) -> bytes:
    raw = key_id.encode("ascii")
    return bytes([TOKEN_VERSION, len(raw)]) + raw


def _header_read(data: bytes) -> tuple[str, int]:
    if len(data) < 2 or data[0] != TOKEN_VERSION:
        raise TokenForged
    length = data[1]
    raw = data[2 : 2 + length]
    if len(raw) != length:
        raise TokenForged
    key_id = raw.decode("ascii", errors="replace")
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise TokenForged  # no key of ours could have such an id
    return key_id, 2 + length


def _body(content: TokenContent) -> bytes:
    kind = content.kind
    unknown = set(content.claims) - {claim.name for claim in kind.claims}
    if unknown:
        raise TokenError(
            _("A %(kind)s carries no “%(claim)s”.")
            % {"kind": kind.label, "claim": sorted(unknown)[0]},
            code="unknown_claim",
        )
    if content.valid_until < content.valid_from:
        raise TokenError(_("The validity ends before it starts."), code="dates")
    parts = [
        bytes.fromhex(content.token_id),
        bytes([kind.code]),
        _date_bytes(content.valid_from),
        _date_bytes(content.valid_until),
    ]
    for claim in kind.claims:
        value = content.claims.get(claim.name) or (() if claim.many else "")
        if claim.many:
            values = [value] if isinstance(value, str) else list(value)
            if len(values) > 255:
                raise _claim_too_long(claim.label)
            parts.append(bytes([len(values)]))
            parts.extend(_text_bytes(v, claim.label) for v in values)
        else:
            if not isinstance(value, str):
                raise TokenError(
                    _("“%(claim)s” takes one value.") % {"claim": claim.label}, code="many"
                )
            parts.append(_text_bytes(value, claim.label))
    return b"".join(parts)


def _body_read(body: bytes) -> TokenContent:
    position = 0

    def take(count: int) -> bytes:
        nonlocal position
        chunk = body[position : position + count]
        if len(chunk) != count:
            raise ValueError("token ends early")
        position += count
        return chunk

    def text() -> str:
        return take(take(1)[0]).decode("utf-8")

    token_id = take(TOKEN_ID_BYTES).hex()
    kind = kind_by_code(take(1)[0])
    if kind is None:
        raise ValueError("unknown kind")
    valid_from = EPOCH + datetime.timedelta(days=int.from_bytes(take(2), "big"))
    valid_until = EPOCH + datetime.timedelta(days=int.from_bytes(take(2), "big"))
    claims: dict[str, ClaimValue] = {}
    for claim in kind.claims:
        if position == len(body):
            break  # a token made before this claim was added to its kind
        if claim.many:
            claims[claim.name] = tuple(text() for _ in range(take(1)[0]))
        else:
            claims[claim.name] = text()
    if position != len(body):
        raise ValueError("trailing bytes")
    return TokenContent(
        token_id=token_id,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
        claims=claims,
    )


def _date_bytes(date: datetime.date) -> bytes:
    days = (date - EPOCH).days
    if not 0 <= days <= 0xFFFF:
        raise TokenError(_("A token can only carry dates from 2000 to 2179."), code="dates")
    return days.to_bytes(2, "big")


def _text_bytes(value: str, label: Promise) -> bytes:
    raw = str(value).strip().encode("utf-8")
    if len(raw) > 255:
        raise _claim_too_long(label)
    return bytes([len(raw)]) + raw


def _claim_too_long(label: Promise) -> TokenError:
    return TokenError(
        _("“%(claim)s” is too long for a QR code.") % {"claim": label}, code="too_long"
    )


def _base32_decode(token: str) -> bytes:
    if not token or len(token) > MAX_TOKEN_CHARS or not _BASE32.fullmatch(token):
        raise TokenForged
    try:
        data = base64.b32decode(token + "=" * (-len(token) % 8))
    except binascii.Error:
        raise TokenForged from None
    # One spelling per token: unused trailing bits must be zero.
    if base64.b32encode(data).decode("ascii").rstrip("=") != token:
        raise TokenForged
    return data
