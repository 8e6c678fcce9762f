"""Staff administration services: accounts, memberships, departments; refusals change nothing."""

import re
import threading
import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client

from rathaus.accounts import services
from rathaus.accounts.models import Department, Membership, Role, User
from rathaus.audit.models import AuditEntry
from rathaus.outbox.models import OutgoingEmail

from .conftest import administrator_make, staff_make
from .factories import DepartmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(actor, **overrides):
    values = {
        "email": "petra.neumann@stadt.example",
        "first_name": "Petra",
        "last_name": "Neumann",
        "department_code": "104",
        "role": "caseworker",
    }
    values.update(overrides)
    return services.staff_invite(actor=actor, **values)


def codes(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    """The error codes of a ValidationError, per field ('' for errors about no one field)."""
    error = exc.value
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {"": [e.code for e in error.error_list]}


def snapshot() -> tuple:
    """Everything a refused change must leave alone."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "email", "is_active", "is_superuser")),
        list(Membership.objects.order_by("pk").values_list("user", "department", "role")),
        list(Department.objects.order_by("pk").values_list("code", "slug", "name", "email")),
        list(EmailAddress.objects.order_by("pk").values_list("email", "verified")),
        OutgoingEmail.objects.count(),
        AuditEntry.objects.count(),
    )


def audit_entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


# --- Opening an account ------------------------------------------------------------------------


def test_an_invited_account_has_no_password_a_verified_address_and_its_role(administrator, traffic):
    user = invite(administrator, email=" Petra.Neumann@Stadt.Example ")
    assert user.email == "petra.neumann@stadt.example"
    assert (user.first_name, user.last_name) == ("Petra", "Neumann")
    assert not user.has_usable_password()
    assert user.is_active and not user.is_superuser and not user.is_staff
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary
    assert address.email == "petra.neumann@stadt.example"
    assert list(user.memberships.values_list("department__code", "role")) == [("104", "caseworker")]
    [entry] = audit_entries("user.invited")
    assert entry.actor == administrator
    assert entry.object_id == str(user.pk)
    assert entry.data == {
        "before": None,
        "after": {"is_active": True, "memberships": {"104": "caseworker"}},
    }


def test_the_invitation_goes_through_the_outbox_with_a_link_to_set_a_password(
    administrator, traffic
):
    user = invite(administrator)
    stored = OutgoingEmail.objects.get()
    assert stored.to == ["petra.neumann@stadt.example"]
    [message] = mail.outbox
    assert message.to == ["petra.neumann@stadt.example"]
    assert "Straßen und Verkehr" in message.body
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/(\w+)-\S+/)", message.body)
    assert match, message.body
    assert match.group(2) == services_uid(user)


def services_uid(user) -> str:
    from allauth.account.utils import user_pk_to_url_str

    return user_pk_to_url_str(user)


def test_the_audit_trail_holds_neither_the_name_nor_the_address(administrator, traffic):
    invite(administrator)
    text = str([entry.data for entry in AuditEntry.objects.all()])
    text += str([entry.actor_label for entry in AuditEntry.objects.all()])
    for personal in ("petra", "neumann", "stadt.example", "andrea", "schulz"):
        assert personal not in text.lower()


@pytest.mark.parametrize("existing", ["petra.neumann@stadt.example", "Petra.Neumann@STADT.example"])
def test_an_address_that_has_an_account_is_refused_whatever_its_case(
    administrator, traffic, existing
):
    UserFactory(email=existing)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        invite(administrator, email="PETRA.neumann@stadt.example")
    assert codes(exc) == {"email": ["duplicate_email"]}
    assert snapshot() == before
    assert mail.outbox == []


def test_an_address_that_another_account_holds_as_second_address_is_refused(administrator, traffic):
    citizen = UserFactory(email="privat@example.org")
    EmailAddress.objects.create(user=citizen, email="petra.neumann@stadt.example", verified=False)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        invite(administrator)
    assert codes(exc) == {"email": ["duplicate_email"]}
    assert snapshot() == before


def test_an_unknown_department_is_refused_and_nothing_is_created(administrator, traffic):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        invite(administrator, department_code="999")
    assert codes(exc) == {"department": ["unknown_department"]}
    assert snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["admin", "", "LEAD", "superuser"])
def test_an_invalid_role_is_refused_and_nothing_is_created(administrator, traffic, role):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        invite(administrator, role=role)
    assert codes(exc) == {"role": ["invalid_role"]}
    assert snapshot() == before


def test_every_bad_input_is_reported_at_once(administrator):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        invite(
            administrator,
            email="kein-at-zeichen",
            first_name="  ",
            last_name="x" * 151,
            department_code="",
            role="boss",
        )
    assert codes(exc) == {
        "email": ["invalid_email"],
        "first_name": ["required"],
        "last_name": ["max_length"],
        "department": ["unknown_department"],
        "role": ["invalid_role"],
    }
    assert snapshot() == before


@pytest.mark.parametrize("who", ["caseworker", "lead", "citizen", "inactive administrator"])
def test_only_an_active_administrator_may_open_accounts(traffic, who):
    actor = {
        "caseworker": lambda: staff_make(traffic),
        "lead": lambda: staff_make(traffic, role=Role.LEAD),
        "citizen": UserFactory,
        "inactive administrator": lambda: administrator_make(is_active=False),
    }[who]()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        invite(actor)
    assert snapshot() == before


def test_the_invitation_can_be_sent_again_until_a_password_is_set(administrator, traffic):
    user = invite(administrator)
    services.staff_invitation_send(actor=administrator, user=user)
    assert len(mail.outbox) == 2
    assert len(audit_entries("user.invitation_sent")) == 1

    user.set_password("Ein-neues-Passwort-2026")
    user.save()
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.staff_invitation_send(actor=administrator, user=user)
    assert codes(exc) == {"": ["password_set"]}
    assert snapshot() == before


def test_no_invitation_goes_to_a_deactivated_account(administrator, traffic):
    user = invite(administrator)
    services.user_deactivate(actor=administrator, user=user)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.staff_invitation_send(actor=administrator, user=user)
    assert codes(exc) == {"": ["inactive"]}
    assert snapshot() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_inviting_the_same_address_at_once_open_one_account(traffic):
    first_admin = administrator_make()
    second_admin = administrator_make()
    first_done = threading.Event()
    release = threading.Event()
    outcome: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                invite(first_admin)
                first_done.set()
                # Hold the uncommitted account until the second invitation waits for it.
                release.wait(timeout=10)
        finally:
            connection.close()

    def second():
        first_done.wait(timeout=10)
        try:
            invite(second_admin)
        except ValidationError as exc:
            outcome["codes"] = codes(pytest.ExceptionInfo.from_exception(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_done.wait(timeout=10)
    time.sleep(0.5)  # the second invitation is now blocked on the unique index
    release.set()
    for thread in threads:
        thread.join(timeout=20)
    assert outcome["codes"] == {"email": ["duplicate_email"]}
    assert User.objects.filter(email="petra.neumann@stadt.example").count() == 1
    assert AuditEntry.objects.filter(action="user.invited").count() == 1


# --- Memberships ------------------------------------------------------------------------------


def test_adding_changing_and_removing_a_membership_is_audited_with_before_and_after(
    administrator, traffic, citizens_office
):
    user = invite(administrator)
    services.staff_membership_set(
        actor=administrator, user=user, department_code="102", role="lead"
    )
    services.staff_membership_set(
        actor=administrator, user=user, department_code="104", role="lead"
    )
    services.staff_membership_remove(actor=administrator, user=user, department_code="104")
    assert list(user.memberships.values_list("department__code", "role")) == [("102", "lead")]
    assert [(e.action, e.data) for e in AuditEntry.objects.filter(object_id=str(user.pk))][1:] == [
        ("user.membership_set", {"department": "102", "before": None, "after": "lead"}),
        ("user.membership_set", {"department": "104", "before": "caseworker", "after": "lead"}),
        ("user.membership_removed", {"department": "104", "before": "lead", "after": None}),
    ]


def test_setting_the_role_a_person_already_has_changes_nothing(administrator, traffic):
    membership = MembershipFactory(department=traffic, role=Role.LEAD)
    before = snapshot()
    again = services.staff_membership_set(
        actor=administrator, user=membership.user, department_code="104", role="lead"
    )
    assert again == membership
    assert snapshot() == before


def test_a_membership_in_an_unknown_department_or_with_an_invalid_role_is_refused(
    administrator, traffic
):
    membership = MembershipFactory(department=traffic)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.staff_membership_set(
            actor=administrator, user=membership.user, department_code="999", role="lead"
        )
    assert codes(exc) == {"department": ["unknown_department"]}
    with pytest.raises(ValidationError) as exc:
        services.staff_membership_set(
            actor=administrator, user=membership.user, department_code="104", role="admin"
        )
    assert codes(exc) == {"role": ["invalid_role"]}
    assert snapshot() == before


def test_removing_a_membership_the_person_does_not_have_is_refused(
    administrator, traffic, citizens_office
):
    membership = MembershipFactory(department=traffic)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.staff_membership_remove(
            actor=administrator, user=membership.user, department_code="102"
        )
    assert codes(exc) == {"department": ["not_a_member"]}
    assert snapshot() == before


def test_a_department_lead_cannot_change_memberships(traffic):
    lead = staff_make(traffic, role=Role.LEAD)
    colleague = MembershipFactory(department=traffic).user
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.staff_membership_set(
            actor=lead, user=colleague, department_code="104", role="lead"
        )
    with pytest.raises(PermissionDenied):
        services.staff_membership_remove(actor=lead, user=colleague, department_code="104")
    assert snapshot() == before


# --- Deactivating, administrator rights ---------------------------------------------------------


def _logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_deactivating_ends_every_session_of_that_person_and_only_theirs(administrator, traffic):
    worker = staff_make(traffic)
    colleague = staff_make(traffic)
    phone, desktop = _logged_in_client(worker), _logged_in_client(worker)
    colleague_client = _logged_in_client(colleague)
    assert Session.objects.count() == 3

    services.user_deactivate(actor=administrator, user=worker)
    worker.refresh_from_db()
    assert not worker.is_active
    assert Session.objects.count() == 1
    for client in (phone, desktop):
        response = client.get("/konto/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert colleague_client.get("/konto/").status_code == 200
    # Roles are kept for a reactivation.
    assert worker.memberships.count() == 1
    [entry] = audit_entries("user.deactivated")
    assert entry.data == {
        "before": {"is_active": True},
        "after": {"is_active": False},
        "sessions": 2,
    }


def test_a_deactivated_person_cannot_log_in_and_a_reactivated_one_can(administrator, traffic):
    from .factories import PASSWORD

    worker = staff_make(traffic, user__email="stefan.wagner@stadt.example")
    services.user_deactivate(actor=administrator, user=worker)
    client = Client()
    client.post("/accounts/login/", {"login": worker.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    services.user_reactivate(actor=administrator, user=worker)
    worker.refresh_from_db()
    assert worker.is_active
    response = client.post("/accounts/login/", {"login": worker.email, "password": PASSWORD})
    assert response.status_code == 302  # on to the TOTP code
    [entry] = audit_entries("user.reactivated")
    assert entry.data == {"before": {"is_active": False}, "after": {"is_active": True}}


def test_deactivating_twice_records_it_once(administrator, traffic):
    worker = staff_make(traffic)
    services.user_deactivate(actor=administrator, user=worker)
    services.user_deactivate(actor=administrator, user=worker)
    assert len(audit_entries("user.deactivated")) == 1


def test_an_administrator_cannot_deactivate_themself(administrator):
    client = _logged_in_client(administrator)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.user_deactivate(actor=administrator, user=administrator)
    assert codes(exc) == {"": ["self_lockout"]}
    assert snapshot() == before
    assert Session.objects.count() == 1
    assert client.get("/amt/verwaltung/").status_code == 200


def test_an_administrator_cannot_take_away_their_own_rights(administrator):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.user_administrator_set(
            actor=administrator, user=administrator, administrator=False
        )
    assert codes(exc) == {"": ["self_lockout"]}
    assert snapshot() == before


def test_administrator_rights_are_given_and_taken_with_the_admin_staff_flag(administrator, traffic):
    worker = staff_make(traffic)
    services.user_administrator_set(actor=administrator, user=worker, administrator=True)
    worker.refresh_from_db()
    assert worker.is_superuser and worker.is_staff
    # The new administrator may now take the rights of the first one, but not their own.
    services.user_administrator_set(actor=worker, user=administrator, administrator=False)
    administrator.refresh_from_db()
    assert not administrator.is_superuser and not administrator.is_staff
    assert [(e.action, e.data) for e in AuditEntry.objects.order_by("sequence")] == [
        (
            "user.administrator_granted",
            {
                "before": {"is_superuser": False, "is_staff": False},
                "after": {"is_superuser": True, "is_staff": True},
            },
        ),
        (
            "user.administrator_revoked",
            {
                "before": {"is_superuser": True, "is_staff": True},
                "after": {"is_superuser": False, "is_staff": False},
            },
        ),
    ]


def test_a_caseworker_cannot_deactivate_or_promote_anyone(traffic):
    worker = staff_make(traffic)
    colleague = staff_make(traffic)
    before = snapshot()
    for call in (
        lambda: services.user_deactivate(actor=worker, user=colleague),
        lambda: services.user_reactivate(actor=worker, user=colleague),
        lambda: services.user_administrator_set(actor=worker, user=worker, administrator=True),
        lambda: services.staff_invitation_send(actor=worker, user=colleague),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot() == before


# --- Departments ------------------------------------------------------------------------------


def department_create(actor, **overrides):
    values = {
        "code": "105",
        "slug": "gruen",
        "name": "Grünflächen und Forsten",
        "email": "Gruen@Stadt.example",
    }
    values.update(overrides)
    return services.department_create(actor=actor, **values)


def test_a_department_is_created_and_audited_without_its_contact_address(administrator):
    department = department_create(administrator)
    assert (department.code, department.slug, department.name, department.email) == (
        "105",
        "gruen",
        "Grünflächen und Forsten",
        "gruen@stadt.example",
    )
    [entry] = audit_entries("department.created")
    assert entry.object_type == "accounts.department"
    assert entry.data == {
        "before": None,
        "after": {"code": "105", "slug": "gruen", "name": "Grünflächen und Forsten"},
        "email_set": True,
    }


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"code": "104"}, {"code": ["duplicate"]}),
        ({"slug": "verkehr"}, {"slug": ["duplicate"]}),
        ({"name": "straßen und verkehr"}, {"name": ["duplicate"]}),
        ({"code": "1/4"}, {"code": ["invalid_code"]}),
        ({"code": "10 4"}, {"code": ["invalid_code"]}),
        ({"code": ""}, {"code": ["invalid_code"]}),
        ({"code": "12345678901"}, {"code": ["max_length"]}),
        ({"slug": "Grün Flächen"}, {"slug": ["invalid"]}),
        ({"name": ""}, {"name": ["blank"]}),
        ({"email": "kein-at"}, {"email": ["invalid"]}),
    ],
)
def test_a_department_with_bad_input_is_refused_and_nothing_is_saved(
    administrator, traffic, overrides, expected
):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        department_create(administrator, **overrides)
    assert codes(exc) == expected
    assert snapshot() == before


def test_editing_a_department_records_only_what_changed(administrator, traffic):
    services.department_update(
        actor=administrator,
        department=traffic,
        code="104",
        slug="strassen",
        name="Straßen und Verkehr",
        email="verkehr@stadt.example",
    )
    traffic.refresh_from_db()
    assert traffic.slug == "strassen"
    [entry] = audit_entries("department.updated")
    assert entry.data == {
        "before": {"slug": "verkehr"},
        "after": {"slug": "strassen"},
        "email_changed": True,
    }
    # Saving it unchanged records nothing.
    services.department_update(
        actor=administrator,
        department=traffic,
        code="104",
        slug="strassen",
        name="Straßen und Verkehr",
        email="verkehr@stadt.example",
    )
    assert len(audit_entries("department.updated")) == 1


def test_the_code_of_an_unused_department_may_change(administrator, traffic):
    services.department_update(
        actor=administrator, department=traffic, code="114", slug="verkehr", name=traffic.name
    )
    traffic.refresh_from_db()
    assert traffic.code == "114"


def test_the_code_of_a_department_with_services_is_fixed(administrator, traffic, tmp_path):
    from rathaus.catalog.services import catalog_load
    from rathaus.catalog.tests.conftest import SMALL_SERVICE, write_service

    write_service(tmp_path, SMALL_SERVICE)
    catalog_load(root=tmp_path)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.department_update(
            actor=administrator, department=traffic, code="114", slug="neu", name=traffic.name
        )
    assert codes(exc) == {"code": ["code_in_use"]}
    assert snapshot() == before
    # Everything else may still change.
    services.department_update(
        actor=administrator, department=traffic, code="104", slug="neu", name=traffic.name
    )
    traffic.refresh_from_db()
    assert traffic.slug == "neu"


def test_a_refused_edit_leaves_the_callers_department_untouched(administrator, traffic):
    DepartmentFactory(code="102", slug="buergerservice", name="Bürgerservice")
    with pytest.raises(ValidationError):
        services.department_update(
            actor=administrator, department=traffic, code="102", slug="x", name="y"
        )
    assert (traffic.code, traffic.slug, traffic.name) == ("104", "verkehr", "Straßen und Verkehr")


def test_only_administrators_manage_departments(traffic):
    lead = staff_make(traffic, role=Role.LEAD)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        department_create(lead)
    with pytest.raises(PermissionDenied):
        services.department_update(
            actor=lead, department=traffic, code="104", slug="meins", name="Meins"
        )
    assert snapshot() == before
