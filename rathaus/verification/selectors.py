import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .kinds import DocumentKind
from .models import IssuedToken, RevokeReason
from .tokens import (
    TokenContent,
    TokenInvalid,
    TokenKeyWithdrawn,
    TokenSyntaxError,
    TokenUnknownKey,
    token_normalize,
    token_open,
)


class CheckStatus(models.TextChoices):
    VALID = "valid", gettext_lazy("valid")
    EXPIRED = "expired", gettext_lazy("expired")
    NOT_YET_VALID = "not_yet_valid", gettext_lazy("not valid yet")
    REVOKED = "revoked", gettext_lazy("revoked")
    # Signature wrong, bytes changed, or not read completely: the page cannot tell these apart.
    FORGED = "forged", gettext_lazy("forged or unreadable")
    UNKNOWN_KEY = "unknown_key", gettext_lazy("signed with an unknown key")
    KEY_WITHDRAWN = "key_withdrawn", gettext_lazy("signed with a withdrawn key")
    # A genuine signature without a record: never answered as valid.
    UNREGISTERED = "unregistered", gettext_lazy("not in the register")


@dataclass(frozen=True)
class ShownClaim:
    name: str
    label: Promise
    value: str | tuple[str, ...]

    @property
    def many(self) -> bool:
        return isinstance(self.value, tuple)


@dataclass(frozen=True)
class CheckResult:
    """The answer of the check page: a status, and the printed details when the signature is
    genuine (never for forged, unknown-key or withdrawn-key tokens)."""

    status: CheckStatus
    checked_at: datetime.datetime = field(default_factory=timezone.now)
    kind: DocumentKind | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    claims: tuple[ShownClaim, ...] = ()
    revoked_at: datetime.datetime | None = None
    revoke_reason: str = ""

    @property
    def is_valid(self) -> bool:
        return self.status == CheckStatus.VALID

    @property
    def tone(self) -> str:
        """The KERN feedback style: success, warning (not valid yet) or danger."""
        if self.status == CheckStatus.VALID:
            return "success"
        return "warning" if self.status == CheckStatus.NOT_YET_VALID else "danger"

    @property
    def title(self) -> str:
        """The big answer: says valid or not in words, never by colour alone."""
        return {
            CheckStatus.VALID: _("Valid"),
            CheckStatus.EXPIRED: _("Not valid: expired"),
            CheckStatus.NOT_YET_VALID: _("Not valid yet"),
            CheckStatus.REVOKED: _("Not valid: revoked"),
            CheckStatus.FORGED: _("Not valid: code not genuine or unreadable"),
            CheckStatus.UNKNOWN_KEY: _("Not valid: unknown signature"),
            CheckStatus.KEY_WITHDRAWN: _("Not valid: signature withdrawn"),
            CheckStatus.UNREGISTERED: _("Not valid: not in our register"),
        }[self.status]

    @property
    def explanation(self) -> str:
        city = settings.RATHAUS_CITY_NAME
        if self.status == CheckStatus.VALID:
            return _(
                "%(city)s issued this document and it is valid today. Compare the details "
                "below with the printed document."
            ) % {"city": city}
        if self.status == CheckStatus.EXPIRED:
            return _("The document is genuine, but it was valid only until %(date)s.") % {
                "date": _date(self.valid_until)
            }
        if self.status == CheckStatus.NOT_YET_VALID:
            return _("The document is genuine, but it is valid only from %(date)s.") % {
                "date": _date(self.valid_from)
            }
        if self.status == CheckStatus.REVOKED:
            return _(
                "The document is genuine, but it no longer counts since %(date)s: %(reason)s."
            ) % {
                "date": _date(timezone.localdate(self.revoked_at)),
                "reason": RevokeReason(self.revoke_reason).label,
            }
        if self.status == CheckStatus.FORGED:
            return _(
                "This code was not issued by %(city)s, was changed, or was not read completely. "
                "Scan it again, or type the code under the QR code carefully."
            ) % {"city": city}
        if self.status == CheckStatus.UNKNOWN_KEY:
            return _(
                "The code is signed with a key that %(city)s does not know. It may be forged, "
                "or come from another authority."
            ) % {"city": city}
        if self.status == CheckStatus.KEY_WITHDRAWN:
            return _(
                "The key that signed this document was withdrawn, so the document can no longer "
                "be trusted. The holder can get a new one from %(city)s."
            ) % {"city": city}
        return _(
            "The signature is genuine, but %(city)s has no record of this document. Please "
            "ask the office that issued it."
        ) % {"city": city}

    def as_json(self) -> dict:
        return {
            "status": self.status.value,
            "valid": self.is_valid,
            "title": self.title,
            "message": self.explanation,
            "checked_at": timezone.localtime(self.checked_at).isoformat(timespec="seconds"),
            "kind": self.kind.slug if self.kind else None,
            "kind_label": str(self.kind.label) if self.kind else None,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "revoked_at": timezone.localtime(self.revoked_at).isoformat(timespec="seconds")
            if self.revoked_at
            else None,
            "revoke_reason": self.revoke_reason or None,
            "claims": [
                {
                    "name": claim.name,
                    "label": str(claim.label),
                    "value": list(claim.value) if claim.many else claim.value,
                }
                for claim in self.claims
            ],
        }


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def token_check(*, token: str, today: datetime.date | None = None) -> CheckResult:
    """Check a scanned or typed token: signature, key, revocation, validity dates."""
    try:
        content = token_open(token_normalize(token))
    except TokenKeyWithdrawn:
        return CheckResult(status=CheckStatus.KEY_WITHDRAWN)
    except TokenUnknownKey:
        return CheckResult(status=CheckStatus.UNKNOWN_KEY)
    except (TokenInvalid, TokenSyntaxError):
        return CheckResult(status=CheckStatus.FORGED)
    today = today or timezone.localdate()
    record = IssuedToken.objects.filter(token_id=content.token_id).first()
    if record is not None and record.kind != content.kind.slug:
        record = None  # another installation's token with the same id: not ours
    shown = {
        "kind": content.kind,
        "valid_from": content.valid_from,
        "valid_until": content.valid_until,
        "claims": _claims_shown(content),
    }
    if record is not None and record.revoked_at is not None:
        return CheckResult(
            status=CheckStatus.REVOKED,
            revoked_at=record.revoked_at,
            revoke_reason=record.revoke_reason,
            **shown,
        )
    if today < content.valid_from:
        return CheckResult(status=CheckStatus.NOT_YET_VALID, **shown)
    if today > content.valid_until:
        # Also when the record was purged: the signed dates alone say so.
        return CheckResult(status=CheckStatus.EXPIRED, **shown)
    if record is None:
        return CheckResult(status=CheckStatus.UNREGISTERED, **shown)
    return CheckResult(status=CheckStatus.VALID, **shown)


def _claims_shown(content: TokenContent) -> tuple[ShownClaim, ...]:
    """The printed claims in the kind's order, leaving out empty ones."""
    return tuple(
        ShownClaim(name=claim.name, label=claim.label, value=content.claims[claim.name])
        for claim in content.kind.claims
        if content.claims.get(claim.name)
    )


def tokens_of_reference(*, reference: str) -> models.QuerySet[IssuedToken]:
    return IssuedToken.objects.filter(reference=reference).order_by("-issued_at")
