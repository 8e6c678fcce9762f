import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .people import CITIZENS, DEPARTMENTS, STAFF


class DemoTotpError(Exception):
    """No demo code for this address: not a demo staff account, or its authenticator changed."""


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str | Promise
    department: str


@dataclass(frozen=True)
class DemoTotpCode:
    code: str
    valid_for_seconds: int


def demo_logins() -> list[DemoLogin]:
    """Every demo login with its role and department, staff first."""
    department_names = {spec.code: spec.name for spec in DEPARTMENTS}
    logins = []
    for spec in STAFF:
        if spec.department_code is None or spec.role is None:
            logins.append(DemoLogin(spec.email, _("administrator"), ""))
        else:
            logins.append(
                DemoLogin(spec.email, spec.role.label, department_names[spec.department_code])
            )
    logins += [DemoLogin(spec.email, _("citizen"), "") for spec in CITIZENS]
    return logins


def demo_totp_code(*, email: str) -> DemoTotpCode:
    """The TOTP code a demo staff member's authenticator app would show right now."""
    spec = next((spec for spec in STAFF if spec.email == email.strip().lower()), None)
    if spec is None:
        raise DemoTotpError(_("%(email)s is not a demo staff account.") % {"email": email})
    authenticator = Authenticator.objects.filter(
        user__email__iexact=spec.email, type=Authenticator.Type.TOTP
    ).first()
    # Only the fixed demo secret: for an account whose owner set up their own authenticator
    # this must not become a way around the second factor.
    if authenticator is None or decrypt(authenticator.data["secret"]) != spec.totp_secret:
        raise DemoTotpError(
            _("%(email)s has no demo authenticator; run manage.py demo_city first.")
            % {"email": spec.email}
        )
    now = int(time.time())
    period = mfa_settings.TOTP_PERIOD
    return DemoTotpCode(
        code=format_hotp_value(hotp_value(spec.totp_secret, now // period)),
        valid_for_seconds=period - now % period,
    )
