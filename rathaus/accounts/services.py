from django.db import transaction
from django.http import HttpRequest

from .models import Department, LevelOfAssurance, Membership, Role, User
from .selectors import SESSION_ASSURANCE_KEY, eid_level_from_claims


def login_assurance_record(*, request: HttpRequest, level: LevelOfAssurance) -> None:
    """Remember the level of assurance of this login for the rest of the session."""
    request.session[SESSION_ASSURANCE_KEY] = int(level)


def login_assurance_after_login(*, request: HttpRequest, sociallogin=None) -> LevelOfAssurance:
    """Password logins are basic; an eID login gets the level its provider asserts."""
    from django.conf import settings

    level = LevelOfAssurance.BASIC
    if sociallogin is not None and sociallogin.account.provider == settings.RATHAUS_EID_PROVIDER_ID:
        claims = sociallogin.account.extra_data.get("id_token") or {}
        level = eid_level_from_claims(claims=claims)
        user_register_link(user=sociallogin.user, claims=claims)
    login_assurance_record(request=request, level=level)
    return level


def user_register_link(*, user: User, claims: dict) -> bool:
    """Link the account to the person in the resident register that the eID identifies.

    Uses the identity the eID asserts (names and date of birth); nothing is linked when the
    register holds no such person, or more than one.
    """
    import datetime

    from rathaus.registry.selectors import registry

    try:
        born = datetime.date.fromisoformat(str(claims.get("birthdate", "")))
    except ValueError:
        return False
    person = registry().person_by_identity(
        family_name=str(claims.get("family_name", "")),
        given_names=str(claims.get("given_name", "")),
        date_of_birth=born,
    )
    if person is None or not user.pk:
        return False
    if user.register_id != person.register_id:
        user.register_id = person.register_id
        user.save(update_fields=["register_id"])
    return True


def profile_update(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return user


@transaction.atomic
def department_ensure(*, code: str, slug: str, name: str, email: str = "") -> Department:
    department, _ = Department.objects.update_or_create(
        code=code, defaults={"slug": slug, "name": name, "email": email}
    )
    return department


@transaction.atomic
def membership_set(*, user: User, department: Department, role: Role) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, department=department, defaults={"role": role}
    )
    return membership
