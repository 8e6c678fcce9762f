import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from rathaus.audit.services import audit_record

from .models import Department, LevelOfAssurance, Membership, Role, User
from .selectors import SESSION_ASSURANCE_KEY, department_in_use, eid_level_from_claims


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


def profile_update(
    *, user: User, first_name: str, last_name: str, letters_by_post: bool = False
) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.letters_by_post = letters_by_post
    user.save(update_fields=["first_name", "last_name", "letters_by_post"])
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


# --- Staff administration (administrators only; every change goes to the audit trail) ----------
#
# Refusals are ValidationErrors with a code; errors about one input are keyed by the name of the
# field (email, first_name, last_name, department, role, code, slug, name), so a form can show
# them next to that field. The audit trail never holds names or e-mail addresses: people are
# named by their user number, departments by their code.

# Department codes go into file references (WUP-104-2026-00042) and URLs: letters and digits.
DEPARTMENT_CODE = re.compile(r"[0-9A-Za-z]+")


def _administrator_require(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDenied


def _error(field: str | None, message, code: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _department_and_role(*, department_code: str, role: str) -> tuple[Department, Role]:
    errors = {}
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        errors["department"] = ValidationError(
            _("There is no department with this code."), code="unknown_department"
        )
    if role not in Role.values:
        errors["role"] = ValidationError(
            _("Choose a role: caseworker or department lead."), code="invalid_role"
        )
    if errors:
        raise ValidationError(errors)
    return department, Role(role)


def _email_taken(email: str) -> bool:
    from allauth.account.models import EmailAddress

    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


DUPLICATE_EMAIL = _("An account with this e-mail address already exists.")


@transaction.atomic
def staff_invite(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    department_code: str,
    role: str,
) -> User:
    """Open a staff account without a password and e-mail the person a link to set one.

    The address counts as verified: only its owner can set the password through the link, and
    the staff MFA middleware makes them set up TOTP at their first login.
    """
    from allauth.account.models import EmailAddress

    _administrator_require(actor)
    email = email.strip().lower()
    names = {"first_name": first_name.strip(), "last_name": last_name.strip()}
    errors: dict[str, ValidationError] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(_("Enter a valid e-mail address."), code="invalid_email")
    else:
        if _email_taken(email):
            errors["email"] = ValidationError(DUPLICATE_EMAIL, code="duplicate_email")
    for field, value in names.items():
        if not value:
            errors[field] = ValidationError(_("This field is required."), code="required")
        elif len(value) > 150:
            errors[field] = ValidationError(_("Use at most 150 characters."), code="max_length")
    try:
        department, role = _department_and_role(department_code=department_code, role=role)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)

    user = User(email=email, **names)
    user.set_unusable_password()
    try:
        # A savepoint: a concurrent invitation of the same address loses cleanly.
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    except IntegrityError:
        raise _error("email", DUPLICATE_EMAIL, "duplicate_email") from None
    Membership.objects.create(user=user, department=department, role=role)
    _invitation_queue(user=user)
    audit_record(
        actor=actor,
        action="user.invited",
        object_type="accounts.user",
        object_id=str(user.pk),
        data={
            "before": None,
            "after": {"is_active": True, "memberships": {department.code: role.value}},
        },
    )
    return user


@transaction.atomic
def staff_invitation_send(*, actor: User, user: User) -> None:
    """Send the invitation again (its link expires), as long as no password has been set."""
    _administrator_require(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise _error(None, _("The account is deactivated."), "inactive")
    if user.has_usable_password():
        raise _error(
            None,
            _("This person has already set a password; they can reset it themselves."),
            "password_set",
        )
    _invitation_queue(user=user)
    audit_record(
        actor=actor,
        action="user.invitation_sent",
        object_type="accounts.user",
        object_id=str(user.pk),
    )


def _invitation_queue(*, user: User) -> None:
    """E-mail a link to set a password: allauth's password reset link, valid for some days."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.urls import reverse

    from rathaus.outbox.services import email_queue

    # Staff of a German authority: the site language, whoever sends it.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
        context = {
            "user": user,
            "url": settings.RATHAUS_SITE_URL + path,
            "login_url": settings.RATHAUS_SITE_URL + reverse("account_login"),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "city_name": settings.RATHAUS_CITY_NAME,
            "memberships": user.memberships.select_related("department").order_by(
                "department__code"
            ),
        }
        subject = render_to_string("accounts/email/staff_invitation_subject.txt", context)
        body = render_to_string("accounts/email/staff_invitation_message.txt", context)
    email_queue(message=EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email]))


@transaction.atomic
def staff_membership_set(*, actor: User, user: User, department_code: str, role: str) -> Membership:
    """Add a person to a department with a role, or change their role there."""
    _administrator_require(actor)
    department, role = _department_and_role(department_code=department_code, role=role)
    memberships = Membership.objects.select_for_update().filter(user=user, department=department)
    membership = memberships.first()
    before = membership.role if membership else None
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, department=department, role=role)
        except IntegrityError:
            # Added by another administrator at the same moment: change that one.
            membership = memberships.get()
            before = membership.role
    if before == role:
        return membership
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="user.membership_set",
        object_type="accounts.user",
        object_id=str(user.pk),
        data={"department": department.code, "before": before, "after": role.value},
    )
    return membership


@transaction.atomic
def staff_membership_remove(*, actor: User, user: User, department_code: str) -> None:
    """Take a person out of a department."""
    _administrator_require(actor)
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, department__code=department_code)
        .first()
    )
    if membership is None:
        raise _error(
            "department", _("This person is not a member of this department."), "not_a_member"
        )
    before = membership.role
    membership.delete()
    audit_record(
        actor=actor,
        action="user.membership_removed",
        object_type="accounts.user",
        object_id=str(user.pk),
        data={"department": department_code, "before": before, "after": None},
    )


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Lock an account and end all of its sessions at once; its data and roles are kept."""
    _administrator_require(actor)
    if user.pk == actor.pk:
        raise _error(None, _("You cannot deactivate your own account."), "self_lockout")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = _user_sessions_end(user=user)
    audit_record(
        actor=actor,
        action="user.deactivated",
        object_type="accounts.user",
        object_id=str(user.pk),
        data={"before": {"is_active": True}, "after": {"is_active": False}, "sessions": ended},
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    _administrator_require(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.reactivated",
        object_type="accounts.user",
        object_id=str(user.pk),
        data={"before": {"is_active": False}, "after": {"is_active": True}},
    )
    return user


def _user_sessions_end(*, user: User) -> int:
    """Delete the stored sessions of a user; returns how many there were.

    Session rows are not indexed by user, so this reads the unexpired ones once; deactivating
    is rare. Whatever this misses (a login racing the deactivation, a session store without
    rows) is refused anyway: the authentication backends drop inactive users on every request.
    """
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    store = store_class()
    user_id = str(user.pk)
    keys = [
        key
        for key, data in store_class.get_model_class()
        .objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
        .iterator(chunk_size=2000)
        if store.decode(data).get(SESSION_KEY) == user_id
    ]
    for key in keys:
        store_class(session_key=key).delete()
    return len(keys)


@transaction.atomic
def user_administrator_set(*, actor: User, user: User, administrator: bool) -> User:
    """Give or take administrator rights (and with them the Django admin's staff flag)."""
    _administrator_require(actor)
    if user.pk == actor.pk and not administrator:
        raise _error(
            None,
            _("You cannot take away your own administrator rights. Ask another administrator."),
            "self_lockout",
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"is_superuser": user.is_superuser, "is_staff": user.is_staff}
    after = {"is_superuser": administrator, "is_staff": administrator}
    if before == after:
        return user
    user.is_superuser = user.is_staff = administrator
    user.save(update_fields=["is_superuser", "is_staff"])
    audit_record(
        actor=actor,
        action="user.administrator_granted" if administrator else "user.administrator_revoked",
        object_type="accounts.user",
        object_id=str(user.pk),
        data={"before": before, "after": after},
    )
    return user


def department_create(
    *, actor: User, code: str, slug: str, name: str, email: str = ""
) -> Department:
    return _department_save(
        actor=actor, department=Department(), code=code, slug=slug, name=name, email=email
    )


def department_update(
    *, actor: User, department: Department, code: str, slug: str, name: str, email: str = ""
) -> Department:
    """Change a department; its code stays fixed once services or cases use it."""
    return _department_save(
        actor=actor, department=department, code=code, slug=slug, name=name, email=email
    )


@transaction.atomic
def _department_save(
    *, actor: User, department: Department, code: str, slug: str, name: str, email: str
) -> Department:
    _administrator_require(actor)
    if department.pk:
        # Work on the row as it is now, never on the caller's (possibly edited) instance.
        department = Department.objects.select_for_update().get(pk=department.pk)
    values = {
        "code": code.strip(),
        "slug": slug.strip(),
        "name": name.strip(),
        "email": email.strip().lower(),
    }
    before = {field: getattr(department, field) for field in values}
    errors: dict[str, ValidationError] = {}
    if not DEPARTMENT_CODE.fullmatch(values["code"]):
        errors["code"] = ValidationError(
            _("Use letters and digits only, for example 104."), code="invalid_code"
        )
    elif (
        department.pk
        and values["code"] != department.code
        and department_in_use(department=department)
    ):
        errors["code"] = ValidationError(
            _(
                "The code cannot change any more: the department's services and file "
                "references use it."
            ),
            code="code_in_use",
        )
    others = Department.objects.exclude(pk=department.pk)
    taken = {
        "code": _("Another department already has this code."),
        "slug": _("Another department already has this short name."),
        "name": _("Another department already has this name."),
    }
    for field, message in taken.items():
        duplicate = others.filter(**{f"{field}__iexact": values[field]})
        if values[field] and field not in errors and duplicate.exists():
            errors[field] = ValidationError(message, code="duplicate")
    for field, value in values.items():
        setattr(department, field, value)
    try:
        department.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, field_errors[0])
    if errors:
        raise ValidationError(errors)
    if department.pk and before == values:
        return department
    created = not department.pk
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError:
        raise _error(
            None,
            _("Another department with this code, short name or name was saved just now."),
            "duplicate",
        ) from None
    audit_record(
        actor=actor,
        action="department.created" if created else "department.updated",
        object_type="accounts.department",
        object_id=str(department.pk),
        data=_department_change(before=None if created else before, after=values),
    )
    return department


def _department_change(*, before: dict | None, after: dict) -> dict:
    """What changed; the contact address only as a flag (it may be a person's address)."""

    def public(values: dict) -> dict:
        return {field: values[field] for field in ("code", "slug", "name")}

    if before is None:
        return {"before": None, "after": public(after), "email_set": bool(after["email"])}
    changed = [field for field in ("code", "slug", "name") if before[field] != after[field]]
    return {
        "before": {field: before[field] for field in changed},
        "after": {field: after[field] for field in changed},
        "email_changed": before["email"] != after["email"],
    }
