import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.audit.services import audit_record
from rathaus.core.retention import register_purger

from .keys import key_active
from .kinds import kind_by_slug
from .models import IssuedToken, RevokeReason
from .qr import token_url
from .tokens import TokenContent, TokenError, token_id_new, token_sign


@dataclass(frozen=True)
class SignedToken:
    token: str  # what the QR code and the printed code carry
    record: IssuedToken

    @property
    def url(self) -> str:
        return token_url(token=self.token)


@transaction.atomic
def token_issue(
    *,
    kind: str,
    claims: Mapping[str, str | Sequence[str]],
    valid_from: datetime.date,
    valid_until: datetime.date,
    reference: str = "",
) -> SignedToken:
    """Sign a token for a document and record it, so that it can be revoked later.

    `claims` are the details the document prints (see `kinds.KINDS`); they go into the token
    only, never into the database. Raises TokenError for details that do not fit, and
    keys.KeyConfigurationError when no signing key is set up; nothing is stored then.
    """
    document_kind = kind_by_slug(kind)
    if document_kind is None:
        raise TokenError(_("Unknown kind of document: %(kind)s") % {"kind": kind}, code="kind")
    if len(reference) > IssuedToken._meta.get_field("reference").max_length:
        raise TokenError(_("The reference is too long."), code="reference")
    key = key_active()
    content = TokenContent(
        token_id=token_id_new(),
        kind=document_kind,
        valid_from=valid_from,
        valid_until=valid_until,
        claims={
            name: value if isinstance(value, str) else tuple(value)
            for name, value in claims.items()
        },
    )
    token = token_sign(content=content, key=key)
    record = IssuedToken.objects.create(
        token_id=content.token_id,
        kind=document_kind.slug,
        key_id=key.key_id,
        valid_from=valid_from,
        valid_until=valid_until,
        reference=reference,
    )
    return SignedToken(token=token, record=record)


@transaction.atomic
def token_revoke(*, token_id: str, reason: str, actor: User | None = None) -> IssuedToken:
    """Mark a document as no longer valid (withdrawn, replaced, lost...). Idempotent: a
    second revocation keeps the first one's time and reason.

    Raises IssuedToken.DoesNotExist for an unknown token id, ValueError for an unknown reason.
    """
    if reason not in RevokeReason.values:
        raise ValueError(f"unknown reason {reason!r}; use one of {RevokeReason.values}")
    record = IssuedToken.objects.select_for_update().get(token_id=token_id)
    if record.revoked_at is not None:
        return record
    record.revoked_at = timezone.now()
    record.revoke_reason = reason
    record.save(update_fields=["revoked_at", "revoke_reason"])
    audit_record(
        actor=actor,
        action="verification.token_revoked",
        object_type="verification.issuedtoken",
        object_id=record.token_id,
        data={"kind": record.kind, "reason": reason, "reference": record.reference},
    )
    return record


@transaction.atomic
def token_replace(
    *,
    token_id: str,
    claims: Mapping[str, str | Sequence[str]],
    valid_from: datetime.date,
    valid_until: datetime.date,
    actor: User | None = None,
) -> SignedToken:
    """Issue the new document's token and revoke the old one, both or neither."""
    old = IssuedToken.objects.select_for_update().get(token_id=token_id)
    new = token_issue(
        kind=old.kind,
        claims=claims,
        valid_from=valid_from,
        valid_until=valid_until,
        reference=old.reference,
    )
    token_revoke(token_id=old.token_id, reason=RevokeReason.REPLACED, actor=actor)
    return new


@transaction.atomic
def tokens_revoke_for_reference(
    *, reference: str, reason: str, actor: User | None = None
) -> list[IssuedToken]:
    """Revoke every document still in force for a reference (a permit withdrawn by decision)."""
    if not reference:
        raise ValueError("an empty reference would match every token without one")
    token_ids = IssuedToken.objects.filter(
        reference=reference, revoked_at__isnull=True
    ).values_list("token_id", flat=True)
    return [
        token_revoke(token_id=token_id, reason=reason, actor=actor)
        for token_id in sorted(token_ids)
    ]


@register_purger(
    name="verification.tokens",
    description="records of verification tokens whose document expired long ago",
)
def tokens_purge_expired() -> int:
    """Delete records once their document has been expired for the retention period.

    A token's own dates still say "expired" without its record, so nothing that is valid
    loses its revocation status.
    """
    cutoff = timezone.localdate() - timedelta(days=settings.RATHAUS_TOKEN_RETENTION_DAYS)
    deleted, _ = IssuedToken.objects.filter(valid_until__lt=cutoff).delete()
    return deleted
