"""The kinds of verifiable documents and the printed claims each token carries.

A token stores a kind as its one-byte `code` and the claims by position, so that the QR code
stays small. Therefore: never reuse a code, never reorder or remove a kind's claims; add new
claims at the end (older tokens simply lack them).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Claim:
    name: str
    label: Promise
    many: bool = False  # a list of values, such as several licence plates


@dataclass(frozen=True)
class DocumentKind:
    code: int
    slug: str
    label: Promise
    claims: tuple[Claim, ...]


HOLDER = Claim("holder", _("Holder (as printed)"))

KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        code=1,
        slug="parking-permit",
        label=_("Resident parking permit"),
        claims=(
            Claim("zone", _("Parking zone")),
            Claim("plates", _("Licence plates"), many=True),
            HOLDER,
        ),
    ),
    DocumentKind(
        code=2,
        slug="registration-certificate",
        label=_("Registration certificate"),
        claims=(HOLDER, Claim("address", _("Registered address"))),
    ),
    DocumentKind(
        code=3,
        slug="business-registration",
        label=_("Confirmation of a business registration"),
        claims=(HOLDER, Claim("trade", _("Trade")), Claim("address", _("Business address"))),
    ),
)

_BY_SLUG = {kind.slug: kind for kind in KINDS}
_BY_CODE = {kind.code: kind for kind in KINDS}


def kind_by_slug(slug: str) -> DocumentKind | None:
    return _BY_SLUG.get(slug)


def kind_by_code(code: int) -> DocumentKind | None:
    return _BY_CODE.get(code)
