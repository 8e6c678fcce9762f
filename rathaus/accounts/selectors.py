from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest

from .models import Department, LevelOfAssurance, Membership, User

SESSION_ASSURANCE_KEY = "rathaus_level_of_assurance"


def login_assurance(*, request: HttpRequest) -> LevelOfAssurance | None:
    """The level of assurance of the current login, None when nobody is logged in."""
    if not request.user.is_authenticated:
        return None
    value = request.session.get(SESSION_ASSURANCE_KEY)
    return LevelOfAssurance(value) if value in LevelOfAssurance.values else LevelOfAssurance.BASIC


def eid_level_from_claims(*, claims: dict) -> LevelOfAssurance:
    """Map an eID provider's `acr` claim to our level; unknown values never raise the level."""
    names = {choice.name.lower(): choice for choice in LevelOfAssurance}
    acr = claims.get("acr")
    if acr is None:
        return names[settings.RATHAUS_EID_DEFAULT_LEVEL]
    return names.get(settings.RATHAUS_EID_ACR_LEVELS.get(str(acr), "basic"), LevelOfAssurance.BASIC)


def eid_login_url(*, next_url: str) -> str | None:
    """Where to log in with the eID: the city's provider, or the demo eID in a local demo."""
    from urllib.parse import urlencode

    from django.urls import reverse

    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    if any(app.get("provider_id") == settings.RATHAUS_EID_PROVIDER_ID for app in apps):
        url = reverse("openid_connect_login", args=[settings.RATHAUS_EID_PROVIDER_ID])
    elif settings.DEBUG:
        url = reverse("demo:eid")
    else:
        return None
    return f"{url}?{urlencode({'next': next_url})}"


def user_is_staff(*, user: User) -> bool:
    """Staff are administrators and members of a department; they must use MFA."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.memberships.exists()


def user_is_department_member(*, user: User) -> bool:
    """Members of at least one department (administrators only through a membership)."""
    return user.is_authenticated and user.memberships.exists()


def user_has_mfa(*, user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_list(*, query: str = "", department_code: str = "") -> QuerySet[User]:
    """Members of staff (department members, administrators), searched by name or e-mail."""
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    people = User.objects.filter(
        Exists(memberships) | Q(is_staff=True) | Q(is_superuser=True)
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("department").order_by("department__code"),
        )
    )
    if department_code:
        people = people.filter(Exists(memberships.filter(department__code=department_code)))
    # Every word must match somewhere: "petra neumann" finds Petra Neumann.
    for word in query.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return people.order_by("last_name", "first_name", "email")


def department_list() -> QuerySet[Department]:
    """All departments with the number of their members and services."""
    # Both relations are small (tens of rows per department), so joining them is cheap.
    return Department.objects.annotate(
        member_count=Count("memberships", distinct=True),
        service_count=Count("services", distinct=True),
    ).order_by("code")


def department_in_use(*, department: Department) -> bool:
    """Services or cases refer to the department by its code (service definitions, references)."""
    return department.services.exists() or department.cases.exists()
