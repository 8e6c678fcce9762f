"""Issuing, revoking, replacing and purging token records."""

import datetime

import pytest
from django.db import connection

from rathaus.accounts.tests.factories import UserFactory
from rathaus.audit.models import AuditEntry
from rathaus.core.retention import purgers
from rathaus.verification.models import IssuedToken, RevokeReason
from rathaus.verification.selectors import CheckStatus, token_check, tokens_of_reference
from rathaus.verification.services import (
    token_replace,
    token_revoke,
    tokens_purge_expired,
    tokens_revoke_for_reference,
)
from rathaus.verification.tokens import TokenError

from .conftest import PERMIT_CLAIMS, days

pytestmark = pytest.mark.django_db


def test_issue_records_the_token_without_any_personal_data(issue):
    signed = issue()
    record = IssuedToken.objects.get()
    assert record == signed.record
    assert (record.kind, record.key_id, record.reference) == (
        "parking-permit",
        "test",
        "WUP-104-2026-00042",
    )
    assert (record.valid_from, record.valid_until) == (days(-30), days(335))
    assert record.revoked_at is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM verification_issuedtoken")
        stored = " ".join(str(value) for value in cursor.fetchone())
    for printed in ("Lena", "Schäfer", "W-AB", "B3"):
        assert printed not in stored


def test_signed_token_knows_its_check_url(issue, settings):
    settings.RATHAUS_SITE_URL = "https://service.stadt.example"
    signed = issue()
    assert signed.url == f"https://service.stadt.example/pruefen/{signed.token}"


def test_revoked_token_checks_as_revoked_with_reason_and_details(issue):
    signed = issue()
    token_revoke(token_id=signed.record.token_id, reason=RevokeReason.WITHDRAWN)
    result = token_check(token=signed.token)
    assert result.status == CheckStatus.REVOKED
    assert result.revoke_reason == "withdrawn"
    assert result.revoked_at is not None
    assert result.claims  # the officer sees which permit it was


def test_revoked_wins_over_expired(issue):
    signed = issue(valid_from=days(-100), valid_until=days(-1))
    token_revoke(token_id=signed.record.token_id, reason=RevokeReason.LOST)
    assert token_check(token=signed.token).status == CheckStatus.REVOKED


def test_revocation_is_audited_and_idempotent(issue):
    signed = issue()
    clerk = UserFactory()
    first = token_revoke(token_id=signed.record.token_id, reason="lost", actor=clerk)
    again = token_revoke(token_id=signed.record.token_id, reason="withdrawn")
    assert again.revoked_at == first.revoked_at
    assert again.revoke_reason == "lost"
    entry = AuditEntry.objects.get(action="verification.token_revoked")
    assert entry.object_id == signed.record.token_id
    assert entry.actor == clerk
    assert entry.data == {
        "kind": "parking-permit",
        "reason": "lost",
        "reference": signed.record.reference,
    }


def test_revoking_an_unknown_token_or_with_an_unknown_reason_fails_cleanly(issue):
    signed = issue()
    with pytest.raises(IssuedToken.DoesNotExist):
        token_revoke(token_id="ffffffffffffffff", reason="lost")
    with pytest.raises(ValueError, match="unknown reason"):
        token_revoke(token_id=signed.record.token_id, reason="felt like it")
    assert IssuedToken.objects.get().revoked_at is None
    assert not AuditEntry.objects.exists()


def test_replacement_revokes_the_old_and_issues_the_new(issue):
    old = issue()
    new = token_replace(
        token_id=old.record.token_id,
        claims={**PERMIT_CLAIMS, "plates": ["W-NE 2026"]},
        valid_from=days(0),
        valid_until=days(365),
    )
    assert token_check(token=old.token).status == CheckStatus.REVOKED
    assert token_check(token=old.token).revoke_reason == RevokeReason.REPLACED
    result = token_check(token=new.token)
    assert result.status == CheckStatus.VALID
    assert dict((c.name, c.value) for c in result.claims)["plates"] == ("W-NE 2026",)
    assert new.record.reference == old.record.reference
    assert [t.token_id for t in tokens_of_reference(reference=old.record.reference)] == [
        new.record.token_id,
        old.record.token_id,
    ]


def test_a_failed_replacement_leaves_the_old_token_valid(issue):
    old = issue()
    with pytest.raises(TokenError):
        token_replace(
            token_id=old.record.token_id,
            claims={**PERMIT_CLAIMS, "holder": "x" * 300},
            valid_from=days(0),
            valid_until=days(365),
        )
    assert token_check(token=old.token).status == CheckStatus.VALID
    assert IssuedToken.objects.count() == 1


def test_withdrawing_a_permit_revokes_every_token_of_its_reference(issue):
    first = issue()
    second = issue()
    other = issue(reference="WUP-104-2026-00043")
    revoked = tokens_revoke_for_reference(reference="WUP-104-2026-00042", reason="withdrawn")
    assert len(revoked) == 2
    assert token_check(token=first.token).status == CheckStatus.REVOKED
    assert token_check(token=second.token).status == CheckStatus.REVOKED
    assert token_check(token=other.token).status == CheckStatus.VALID
    with pytest.raises(ValueError):
        tokens_revoke_for_reference(reference="", reason="withdrawn")


def test_a_valid_signature_without_a_record_is_never_valid(issue):
    signed = issue()
    IssuedToken.objects.all().delete()
    result = token_check(token=signed.token)
    assert result.status == CheckStatus.UNREGISTERED
    assert not result.is_valid


class TestRetention:
    def test_the_purger_is_registered(self):
        assert "verification.tokens" in [p.name for p in purgers()]

    def test_records_go_only_after_expiry_plus_the_retention_period(self, issue, settings):
        settings.RATHAUS_TOKEN_RETENTION_DAYS = 30
        gone = issue(valid_from=days(-400), valid_until=days(-31))
        kept_expired = issue(valid_from=days(-400), valid_until=days(-30))
        kept_valid = issue(valid_from=days(-400), valid_until=days(10))
        assert tokens_purge_expired() == 1
        remaining = set(IssuedToken.objects.values_list("token_id", flat=True))
        assert remaining == {kept_expired.record.token_id, kept_valid.record.token_id}
        # The purged token still reads as expired from its own signed dates.
        assert token_check(token=gone.token).status == CheckStatus.EXPIRED

    def test_purge_expired_command_runs_it(self, issue, settings):
        from io import StringIO

        from django.core.management import call_command

        settings.RATHAUS_TOKEN_RETENTION_DAYS = 0
        issue(valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2020, 12, 31))
        out = StringIO()
        call_command("purge_expired", stdout=out)
        assert "verification.tokens: 1 deleted" in out.getvalue()
        assert not IssuedToken.objects.exists()


def test_an_administrator_revokes_in_the_admin_through_the_service(client, issue):
    from rathaus.accounts.tests.factories import totp_enable

    signed = issue()
    admin = UserFactory(is_staff=True, is_superuser=True)
    totp_enable(admin)
    client.force_login(admin)
    listing = client.get("/admin/verification/issuedtoken/")
    assert listing.status_code == 200
    assert "W-AB 1234" not in listing.content.decode()  # nothing printed is stored
    response = client.post(
        "/admin/verification/issuedtoken/",
        {"action": "revoke_lost", "_selected_action": [signed.record.pk]},
    )
    assert response.status_code == 302
    assert token_check(token=signed.token).status == CheckStatus.REVOKED
    entry = AuditEntry.objects.get(action="verification.token_revoked")
    assert entry.actor == admin
    assert entry.data["reason"] == "lost"
