from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.accounts.services import department_ensure, membership_set
from rathaus.registry.services import ImportReport, registry_import

from .people import CITIZENS, DATA_DIR, DEMO_PASSWORD, DEPARTMENTS, STAFF


class DemoCityRefusedError(Exception):
    """The demo city was not loaded: it would put accounts with public passwords into production."""


@dataclass(frozen=True)
class DemoCityReport:
    departments: int
    users_created: int
    register: ImportReport


def _user_ensure(
    *, email: str, first_name: str, last_name: str, administrator: bool = False
) -> tuple[User, bool]:
    """The demo user with a verified primary address; an existing account is left as it is."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            is_staff=administrator,
            is_superuser=administrator,
        )
    # Mandatory e-mail verification would otherwise block every demo login.
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user, created


@transaction.atomic
def demo_city_load(*, force: bool = False) -> DemoCityReport:
    """Load the demo departments, staff, citizens and resident register; safe to run again."""
    if not (settings.DEBUG or force):
        raise DemoCityRefusedError(
            _(
                "The demo city creates accounts whose password is public. It only runs with "
                "DEBUG on (RATHAUS_DEBUG=1) or with --force, never on a production database."
            )
        )
    departments = {
        spec.code: department_ensure(
            code=spec.code, slug=spec.slug, name=spec.name, email=spec.email
        )
        for spec in DEPARTMENTS
    }
    users_created = 0
    for spec in STAFF:
        user, created = _user_ensure(
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            administrator=spec.department_code is None,
        )
        users_created += created
        if spec.department_code is not None and spec.role is not None:
            membership_set(user=user, department=departments[spec.department_code], role=spec.role)
        # Staff must use TOTP; a fixed secret lets `demo_totp` print their current code.
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, spec.totp_secret)
    for spec in CITIZENS:
        user, created = _user_ensure(
            email=spec.email, first_name=spec.first_name, last_name=spec.last_name
        )
        users_created += created
        if not user.register_id:
            # The demo's stand-in for an eID login that matched the person in the register.
            user.register_id = spec.register_id
            user.save(update_fields=["register_id"])
    with (
        (DATA_DIR / "addresses.csv").open(encoding="utf-8", newline="") as addresses,
        (DATA_DIR / "residents.csv").open(encoding="utf-8", newline="") as residents,
        (DATA_DIR / "vehicles.csv").open(encoding="utf-8", newline="") as vehicles,
    ):
        register = registry_import(addresses=addresses, residents=residents, vehicles=vehicles)
    return DemoCityReport(
        departments=len(departments), users_created=users_created, register=register
    )
