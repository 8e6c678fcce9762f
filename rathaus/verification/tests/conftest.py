import base64
import datetime

import pytest
from django.utils import timezone

from rathaus.verification.services import token_issue

PERMIT_CLAIMS = {"zone": "B3", "plates": ["W-AB 1234", "W-XY 77E"], "holder": "Lena Schäfer"}


def days(n: int) -> datetime.date:
    """A date relative to today, so that tests never go stale."""
    return timezone.localdate() + datetime.timedelta(days=n)


def flipped(token: str) -> str:
    """The token with one bit of its signature flipped."""
    data = bytearray(base64.b32decode(token + "=" * (-len(token) % 8)))
    data[-10] ^= 1
    return base64.b32encode(bytes(data)).decode().rstrip("=")


@pytest.fixture
def issue(db):
    """Issue a parking permit token valid from 30 days ago for a year (override anything)."""

    def make(**overrides):
        arguments = {
            "kind": "parking-permit",
            "claims": PERMIT_CLAIMS,
            "valid_from": days(-30),
            "valid_until": days(335),
            "reference": "WUP-104-2026-00042",
        }
        arguments.update(overrides)
        return token_issue(**arguments)

    return make
