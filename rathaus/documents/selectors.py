from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Document


@dataclass(frozen=True)
class Letterhead:
    """The sender on every letter, from the `RATHAUS_CITY_*` settings."""

    city_name: str
    address_lines: tuple[str, ...]
    phone: str
    email: str
    website: str

    @property
    def return_line(self) -> str:
        """The one-line sender above the window address (DIN 5008 "Rücksendeangabe")."""
        return " · ".join((self.city_name, *self.address_lines))

    @property
    def town(self) -> str:
        """The town from the last address line ("42275 Wuppertal" gives "Wuppertal")."""
        if not self.address_lines:
            return ""
        last = self.address_lines[-1].split(maxsplit=1)
        return last[-1] if len(last) == 2 and last[0].isdigit() else self.address_lines[-1]


def letterhead() -> Letterhead:
    return Letterhead(
        city_name=settings.RATHAUS_CITY_NAME,
        address_lines=tuple(
            line.strip() for line in settings.RATHAUS_CITY_ADDRESS.split(",") if line.strip()
        ),
        phone=settings.RATHAUS_CITY_PHONE,
        email=settings.RATHAUS_CITY_EMAIL,
        website=settings.RATHAUS_SITE_URL.split("://", 1)[-1],
    )


def postbox_documents(*, user) -> "QuerySet[Document]":
    """The documents of the citizen's own cases, newest first."""
    from .models import Document

    return (
        Document.objects.filter(case__applicant=user)
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def document_for_citizen(*, user, public_id) -> "Document | None":
    return postbox_documents(user=user).filter(public_id=public_id).first()


def document_for_staff(*, user, public_id) -> "Document | None":
    """A document of a case of one of the user's departments; None for every other one."""
    from .models import Document

    return (
        Document.objects.filter(public_id=public_id, case__department__memberships__user=user)
        .select_related("case")
        .first()
    )
