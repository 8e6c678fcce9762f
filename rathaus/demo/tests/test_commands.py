import io
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from rathaus.accounts.models import Department, Membership, Role, User
from rathaus.demo.people import CITIZENS, DEMO_PASSWORD, STAFF
from rathaus.registry.models import Address, Resident, Vehicle
from rathaus.registry.selectors import registry

pytestmark = pytest.mark.django_db


def demo_city(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_city", *args, stdout=out)
    return out.getvalue()


def demo_totp(email: str) -> str:
    out = io.StringIO()
    call_command("demo_totp", email, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def database_snapshot() -> dict[str, list]:
    """Every row the demo touches, so that a second run can be shown to change none of them."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Department,
            User,
            Membership,
            EmailAddress,
            Authenticator,
            Address,
            Resident,
            Vehicle,
        )
    }


def test_demo_city_loads_departments_staff_citizens_and_register(debug):
    demo_city()

    assert set(Department.objects.values_list("code", "slug")) == {
        ("010", "beschwerden"),
        ("030", "recht"),
        ("102", "buergerservice"),
        ("104", "verkehr"),
        ("105", "bauaufsicht"),
        ("106", "gewerbe"),
        ("107", "bussgeld"),
        ("201", "steuern"),
        ("202", "stadtkasse"),
        ("301", "soziales"),
        ("302", "jugend"),
        ("400", "druck"),
        ("403", "digitalisierung"),
    }
    assert Department.objects.get(slug="verkehr").email == "verkehr@stadt.example"
    assert User.objects.count() == len(STAFF) + len(CITIZENS)
    assert Resident.objects.count() >= 40
    assert Vehicle.objects.count() >= 20
    assert Address.objects.values("street").distinct().count() >= 25
    assert set(Address.objects.values_list("town", flat=True)) == {"Wuppertal"}
    assert all(plate.startswith("W-") for plate in Vehicle.objects.values_list("plate", flat=True))


def test_every_department_has_a_caseworker_and_verkehr_a_lead(debug):
    demo_city()

    for department in Department.objects.all():
        assert department.memberships.filter(role=Role.CASEWORKER).exists(), department
    assert Membership.objects.get(role=Role.LEAD).department.slug == "verkehr"


def test_the_administrator_is_staff_and_superuser_without_department(debug):
    demo_city()

    administrators = User.objects.filter(is_superuser=True)
    assert [user.email for user in administrators] == ["andrea.schulz@stadt.example"]
    assert administrators.get().is_staff
    assert not administrators.get().memberships.exists()
    assert not User.objects.filter(is_staff=True, is_superuser=False).exists()


def test_every_demo_user_has_a_verified_primary_email_and_the_demo_password(debug):
    demo_city()

    for user in User.objects.all():
        address = EmailAddress.objects.get(user=user)
        assert (address.email, address.verified, address.primary) == (user.email, True, True)
        assert authenticate(email=user.email, password=DEMO_PASSWORD) == user


def test_staff_emails_are_at_the_city_and_citizen_emails_at_example_org(debug):
    demo_city()

    staff_emails = {spec.email for spec in STAFF}
    for user in User.objects.all():
        domain = "@stadt.example" if user.email in staff_emails else "@example.org"
        assert user.email.endswith(domain)


def test_running_the_demo_twice_changes_nothing(debug):
    demo_city()
    before = database_snapshot()

    output = demo_city()

    assert database_snapshot() == before
    assert "0 new users" in output


def test_demo_refuses_without_debug_and_stores_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        demo_city()

    assert not User.objects.exists()
    assert not Department.objects.exists()
    assert not Resident.objects.exists()


def test_demo_runs_without_debug_when_forced(settings):
    settings.DEBUG = False

    demo_city("--force")

    assert User.objects.count() == len(STAFF) + len(CITIZENS)


def test_every_citizen_is_found_in_the_register_by_the_name_of_their_account(debug):
    demo_city()

    for spec in CITIZENS:
        user = User.objects.get(email=spec.email)
        person = registry().person_by_identity(
            family_name=user.last_name,
            given_names=user.first_name,
            date_of_birth=spec.date_of_birth,
        )
        assert person is not None, spec.email
        assert person.register_id == spec.register_id


def test_some_citizens_hold_vehicles_for_the_parking_permit(debug):
    demo_city()

    holders = [
        spec for spec in CITIZENS if registry().vehicles_of_person(register_id=spec.register_id)
    ]
    assert len(holders) >= 2


def test_logins_table_lists_every_login_with_role_and_the_password(debug):
    output = demo_city("--logins")

    for spec in STAFF + CITIZENS:
        assert spec.email in output
    assert "department lead" in output
    assert "Straßen und Verkehr" in output
    assert DEMO_PASSWORD in output
    assert "manage.py demo_totp EMAIL" in output


def test_every_staff_member_has_a_totp_authenticator_and_citizens_none(debug):
    demo_city()

    for spec in STAFF:
        user = User.objects.get(email=spec.email)
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    for spec in CITIZENS:
        assert not Authenticator.objects.filter(user__email=spec.email).exists()


def test_demo_totp_prints_a_code_that_allauth_accepts(debug, settings):
    # allauth remembers used codes in the cache; the database cache table is not in test runs.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    demo_city()

    for spec in STAFF:
        authenticator = Authenticator.objects.get(
            user__email=spec.email, type=Authenticator.Type.TOTP
        )
        for _attempt in range(2):  # a 30-second window may turn between printing and checking
            window = int(time.time()) // 30
            code = demo_totp(spec.email)
            accepted = TOTP(authenticator).validate_code(code)
            if int(time.time()) // 30 == window:
                break
        assert len(code) == 6 and code.isdigit()
        assert accepted, spec.email


def test_demo_totp_refuses_a_citizen(debug):
    demo_city()

    with pytest.raises(CommandError, match="not a demo staff account"):
        demo_totp(CITIZENS[0].email)


def test_demo_totp_refuses_a_staff_member_who_set_up_their_own_authenticator(debug):
    demo_city()
    staff = STAFF[1]
    Authenticator.objects.filter(user__email=staff.email).delete()
    TOTP.activate(User.objects.get(email=staff.email), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    with pytest.raises(CommandError, match="no demo authenticator"):
        demo_totp(staff.email)
