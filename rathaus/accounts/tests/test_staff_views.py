"""Staff administration pages under /amt/verwaltung/: who gets in, what they change, bad input."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from rathaus.accounts.models import Department, Membership, Role, User
from rathaus.audit.models import AuditEntry
from rathaus.outbox.models import OutgoingEmail

from .conftest import staff_make
from .factories import MembershipFactory, UserFactory, totp_code

pytestmark = pytest.mark.django_db

BASE = "/amt/verwaltung/"
NEW_PERSON = {
    "email": "Petra.Neumann@stadt.example",
    "first_name": "Petra",
    "last_name": "Neumann",
    "department": "104",
    "role": "caseworker",
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(administrator):
    return client_for(administrator)


@pytest.fixture
def worker(traffic):
    return staff_make(traffic, user__first_name="Stefan", user__last_name="Wagner")


def snapshot() -> tuple:
    return (
        list(
            User.objects.order_by("pk").values_list(
                "pk", "email", "is_active", "is_superuser", "is_staff", "password"
            )
        ),
        list(Membership.objects.order_by("pk").values_list("user", "department", "role")),
        list(Department.objects.order_by("pk").values_list("code", "slug", "name", "email")),
        EmailAddress.objects.count(),
        OutgoingEmail.objects.count(),
        AuditEntry.objects.count(),
        Session.objects.count(),
    )


def admin_urls(person: User, department: Department) -> list[tuple[str, str, dict]]:
    """Every page and action of the area, with a POST that would change something."""
    pk, code = person.pk, department.code
    return [
        ("get", BASE, {}),
        ("get", f"{BASE}?q=wagner", {}),
        ("get", f"{BASE}personen/neu/", {}),
        ("post", f"{BASE}personen/neu/", {**NEW_PERSON, "email": "x@stadt.example"}),
        ("get", f"{BASE}personen/{pk}/", {}),
        ("post", f"{BASE}personen/{pk}/aemter/", {"membership-department": "102"}),
        ("post", f"{BASE}personen/{pk}/aemter/{code}/rolle/", {f"role-{code}-role": "lead"}),
        ("post", f"{BASE}personen/{pk}/aemter/{code}/entfernen/", {}),
        ("post", f"{BASE}personen/{pk}/deaktivieren/", {}),
        ("post", f"{BASE}personen/{pk}/reaktivieren/", {}),
        ("post", f"{BASE}personen/{pk}/administrator/ernennen/", {}),
        ("post", f"{BASE}personen/{pk}/administrator/entziehen/", {}),
        ("post", f"{BASE}personen/{pk}/einladung/", {}),
        ("get", f"{BASE}aemter/", {}),
        ("get", f"{BASE}aemter/neu/", {}),
        ("post", f"{BASE}aemter/neu/", {"code": "9", "slug": "neu", "name": "Neu"}),
        ("get", f"{BASE}aemter/{department.pk}/", {}),
        ("post", f"{BASE}aemter/{department.pk}/", {"code": "9", "slug": "neu", "name": "Neu"}),
    ]


# --- Who gets in -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["caseworker", "lead", "citizen"])
def test_nobody_but_an_administrator_gets_in_and_nothing_changes(traffic, citizens_office, who):
    worker = staff_make(traffic)
    visitor = {
        "caseworker": lambda: staff_make(traffic),
        "lead": lambda: staff_make(traffic, role=Role.LEAD),
        "citizen": UserFactory,
    }[who]()
    client = client_for(visitor)
    before = snapshot()
    for method, url, data in admin_urls(worker, traffic):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert "frontend/errors/403.html" in [t.name for t in response.templates]
    assert snapshot() == before
    assert mail.outbox == []


def test_visitors_are_sent_to_the_login_and_nothing_changes(traffic, citizens_office):
    worker = staff_make(traffic)
    client = Client()
    before = snapshot()
    for method, url, data in admin_urls(worker, traffic):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/accounts/login/?next=")
    assert snapshot() == before


def test_an_administrator_without_two_factor_authentication_must_set_it_up_first(traffic):
    administrator = UserFactory(is_superuser=True, is_staff=True)
    client = client_for(administrator)
    for url in (BASE, f"{BASE}aemter/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    response = client.post(f"{BASE}personen/neu/", NEW_PERSON)
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not User.objects.filter(email__iexact=NEW_PERSON["email"]).exists()


def test_every_administrator_page_opens(admin_client, worker, traffic):
    for method, url, _data in admin_urls(worker, traffic):
        if method == "get":
            assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"{BASE}personen/999999/"),
        ("post", f"{BASE}personen/999999/aemter/"),
        ("post", f"{BASE}personen/999999/aemter/104/rolle/"),
        ("post", f"{BASE}personen/999999/aemter/104/entfernen/"),
        ("post", f"{BASE}personen/999999/deaktivieren/"),
        ("post", f"{BASE}personen/999999/reaktivieren/"),
        ("post", f"{BASE}personen/999999/administrator/ernennen/"),
        ("post", f"{BASE}personen/999999/administrator/entziehen/"),
        ("post", f"{BASE}personen/999999/einladung/"),
        ("get", f"{BASE}aemter/999999/"),
        ("post", f"{BASE}aemter/999999/"),
    ],
)
def test_unknown_ids_are_not_found(admin_client, traffic, method, url):
    before = snapshot()
    response = getattr(admin_client, method)(url, {"code": "1", "slug": "x", "name": "x"})
    assert response.status_code == 404
    assert snapshot() == before


def test_a_department_the_person_is_not_in_is_not_found(admin_client, worker, citizens_office):
    before = snapshot()
    for action in ("rolle", "entfernen"):
        for code in ("102", "nix"):
            url = f"{BASE}personen/{worker.pk}/aemter/{code}/{action}/"
            assert admin_client.post(url, {f"role-{code}-role": "lead"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    "suffix",
    [
        "aemter/",
        "aemter/104/rolle/",
        "aemter/104/entfernen/",
        "deaktivieren/",
        "reaktivieren/",
        "administrator/ernennen/",
        "administrator/entziehen/",
        "einladung/",
    ],
)
def test_changes_need_a_post(admin_client, worker, suffix):
    before = snapshot()
    assert admin_client.get(f"{BASE}personen/{worker.pk}/{suffix}").status_code == 405
    assert snapshot() == before


def test_changes_need_the_csrf_token(administrator, worker, traffic, citizens_office):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    before = snapshot()
    for method, url, data in admin_urls(worker, traffic):
        if method == "post":
            assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_the_navigation_links_the_area_for_administrators_only(admin_client, worker):
    link = f'href="{BASE}"'
    assert link in admin_client.get("/").content.decode()
    assert link not in client_for(worker).get("/").content.decode()
    assert link not in client_for(UserFactory()).get("/").content.decode()


def test_the_django_admin_still_works_for_administrators(admin_client, worker):
    assert admin_client.get("/admin/accounts/user/").status_code == 200
    assert admin_client.get(f"/admin/accounts/user/{worker.pk}/change/").status_code == 200


# --- The staff list ----------------------------------------------------------------------------


def test_the_list_shows_staff_with_departments_and_roles_but_no_citizens(
    admin_client, administrator, traffic, citizens_office
):
    lead = staff_make(traffic, role=Role.LEAD, user__last_name="Richter")
    MembershipFactory(user=lead, department=citizens_office)
    UserFactory(last_name="Bürgerin", email="lena@example.org")
    response = admin_client.get(BASE)
    people = list(response.context["page"])
    assert people == [lead, administrator]  # by family name: Richter, Weber
    html = response.content.decode()
    assert "lena@example.org" not in html
    assert f'href="{BASE}personen/{lead.pk}/"' in html
    assert "102 Bürgerservice" in html and "104 Straßen und Verkehr" in html


def test_the_list_searches_by_name_and_address_and_filters_by_department(
    admin_client, traffic, citizens_office
):
    petra = staff_make(citizens_office, user__first_name="Petra", user__last_name="Neumann")
    stefan = staff_make(
        traffic,
        user__first_name="Stefan",
        user__last_name="Wagner",
        user__email="s.wagner@stadt.example",
    )

    def found(query: str) -> set:
        return set(admin_client.get(BASE + query).context["page"])

    assert found("?q=petra+neumann") == {petra}
    assert found("?q=NEUMANN") == {petra}
    assert found("?q=s.wagner%40stadt") == {stefan}
    assert found("?q=petra+wagner") == set()
    assert found("?department=104") == {stefan}
    assert found("?department=102&q=wagner") == set()


def test_an_unknown_department_filter_shows_an_error_not_a_crash(admin_client, worker):
    response = admin_client.get(f"{BASE}?department=999")
    assert response.status_code == 200
    assert "department" in response.context["form"].errors


def test_the_list_is_paged(admin_client, traffic):
    for number in range(30):
        staff_make(traffic, user__last_name=f"Person {number:02}")
    first = admin_client.get(f"{BASE}?department=104")
    assert len(first.context["page"]) == 25
    assert 'page=2"' in first.content.decode()
    second = admin_client.get(f"{BASE}?department=104&page=2")
    assert len(second.context["page"]) == 5
    assert "department=104" in second.context["query"]
    assert admin_client.get(f"{BASE}?page=abc").status_code == 200


# --- Opening an account ------------------------------------------------------------------------


def invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body).group(1)


def test_an_invited_person_sets_a_password_and_must_set_up_two_factor_authentication(
    admin_client, traffic
):
    response = admin_client.post(f"{BASE}personen/neu/", NEW_PERSON)
    person = User.objects.get(email="petra.neumann@stadt.example")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}personen/{person.pk}/"
    [message] = mail.outbox
    assert message.to == ["petra.neumann@stadt.example"]

    newcomer = Client()
    link = invitation_link(message)
    form_url = newcomer.get(link)["Location"]
    assert newcomer.get(form_url).status_code == 200
    new_password = "Schwebebahn-Vohwinkel-1901"
    done = newcomer.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)
    # The link works once.
    assert Client().get(link).status_code == 410

    login = newcomer.post(
        "/accounts/login/", {"login": "petra.neumann@stadt.example", "password": new_password}
    )
    assert login.status_code == 302
    assert newcomer.session["_auth_user_id"] == str(person.pk)
    # Staff must set up TOTP before anything else.
    response = newcomer.get("/amt/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_opening_an_account_with_a_taken_address_shows_the_error_and_keeps_the_input(
    admin_client, traffic
):
    UserFactory(email="petra.neumann@stadt.example")
    before = snapshot()
    response = admin_client.post(
        f"{BASE}personen/neu/", {**NEW_PERSON, "email": "PETRA.NEUMANN@stadt.example"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors.as_data()["email"][0].code == "duplicate_email"
    html = response.content.decode()
    assert "<title>Fehler:" in html
    assert 'href="#id_email"' in html
    assert 'value="Petra"' in html and 'value="Neumann"' in html
    assert snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"email", "first_name", "last_name", "department", "role"}),
        ({**NEW_PERSON, "department": "999"}, {"department"}),
        ({**NEW_PERSON, "role": "superuser"}, {"role"}),
        ({**NEW_PERSON, "email": "kein-at"}, {"email"}),
        ({**NEW_PERSON, "first_name": "x" * 151}, {"first_name"}),
    ],
)
def test_opening_an_account_with_bad_input_changes_nothing(admin_client, traffic, data, fields):
    before = snapshot()
    response = admin_client.post(f"{BASE}personen/neu/", data)
    assert response.status_code == 422
    assert set(response.context["form"].errors) == fields
    assert "data-error-summary" in response.content.decode()
    assert snapshot() == before


def test_without_departments_the_form_asks_for_one_first(admin_client):
    response = admin_client.get(f"{BASE}personen/neu/")
    assert response.status_code == 200
    assert f'href="{BASE}aemter/neu/"' in response.content.decode()


def test_the_invitation_can_be_sent_again_from_the_person_page(admin_client, traffic):
    admin_client.post(f"{BASE}personen/neu/", NEW_PERSON)
    person = User.objects.get(email="petra.neumann@stadt.example")
    page = admin_client.get(f"{BASE}personen/{person.pk}/").content.decode()
    assert f'action="{BASE}personen/{person.pk}/einladung/"' in page
    response = admin_client.post(f"{BASE}personen/{person.pk}/einladung/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert invitation_link(mail.outbox[1]).startswith("/accounts/password/reset/key/")


# --- Memberships, deactivation, administrator rights ---------------------------------------


def test_an_administrator_adds_changes_and_removes_memberships(
    admin_client, worker, citizens_office
):
    url = f"{BASE}personen/{worker.pk}/"
    response = admin_client.post(
        f"{url}aemter/", {"membership-department": "102", "membership-role": "lead"}
    )
    assert response.status_code == 302
    response = admin_client.post(f"{url}aemter/104/rolle/", {"role-104-role": "lead"})
    assert response.status_code == 302
    assert set(worker.memberships.values_list("department__code", "role")) == {
        ("102", "lead"),
        ("104", "lead"),
    }
    response = admin_client.post(f"{url}aemter/102/entfernen/")
    assert response.status_code == 302
    assert list(worker.memberships.values_list("department__code", "role")) == [("104", "lead")]
    assert [e.action for e in AuditEntry.objects.order_by("sequence")] == [
        "user.membership_set",
        "user.membership_set",
        "user.membership_removed",
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"membership-department": "104", "membership-role": "lead"},  # already a member
        {"membership-department": "999", "membership-role": "lead"},
        {"membership-department": "102", "membership-role": "admin"},
        {},
    ],
)
def test_adding_a_membership_with_bad_input_shows_the_errors(
    admin_client, worker, citizens_office, data
):
    before = snapshot()
    response = admin_client.post(f"{BASE}personen/{worker.pk}/aemter/", data)
    assert response.status_code == 422
    assert response.context["membership_form"].errors
    html = response.content.decode()
    assert "<title>Fehler:" in html
    assert "data-error-summary" in html
    assert snapshot() == before


def test_changing_a_role_to_an_invalid_one_shows_the_error(admin_client, worker):
    before = snapshot()
    response = admin_client.post(
        f"{BASE}personen/{worker.pk}/aemter/104/rolle/", {"role-104-role": "superuser"}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert snapshot() == before


def test_deactivating_logs_the_person_out(admin_client, worker):
    worker_client = client_for(worker)
    assert worker_client.get("/amt/").status_code == 200
    response = admin_client.post(f"{BASE}personen/{worker.pk}/deaktivieren/")
    assert response.status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    assert worker_client.get("/amt/")["Location"].startswith("/accounts/login/")
    admin_client.post(f"{BASE}personen/{worker.pk}/reaktivieren/")
    worker.refresh_from_db()
    assert worker.is_active


def test_an_administrator_cannot_lock_themself_out(admin_client, administrator):
    before = snapshot()
    for action in ("deaktivieren", "administrator/entziehen"):
        response = admin_client.post(f"{BASE}personen/{administrator.pk}/{action}/", follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert snapshot() == before
    page = admin_client.get(f"{BASE}personen/{administrator.pk}/").content.decode()
    assert "/deaktivieren/" not in page and "/administrator/entziehen/" not in page


def test_administrator_rights_are_given_and_taken_from_the_person_page(admin_client, worker):
    admin_client.post(f"{BASE}personen/{worker.pk}/administrator/ernennen/")
    worker.refresh_from_db()
    assert worker.is_superuser
    assert client_for(worker).get(BASE).status_code == 200
    admin_client.post(f"{BASE}personen/{worker.pk}/administrator/entziehen/")
    worker.refresh_from_db()
    assert not worker.is_superuser
    assert client_for(worker).get(BASE).status_code == 403


def test_a_citizen_account_can_be_opened_by_id_and_made_staff(admin_client, traffic):
    citizen = UserFactory()
    assert admin_client.get(f"{BASE}personen/{citizen.pk}/").status_code == 200
    admin_client.post(
        f"{BASE}personen/{citizen.pk}/aemter/",
        {"membership-department": "104", "membership-role": "caseworker"},
    )
    assert citizen.memberships.count() == 1


# --- Departments -------------------------------------------------------------------------------


def test_the_department_list_counts_members(admin_client, traffic, citizens_office):
    staff_make(traffic)
    staff_make(traffic)
    response = admin_client.get(f"{BASE}aemter/")
    counts = {d.code: d.member_count for d in response.context["departments"]}
    assert counts == {"102": 0, "104": 2}
    assert f'href="{BASE}?department=104"' in response.content.decode()


def test_an_administrator_creates_and_edits_a_department(admin_client):
    response = admin_client.post(
        f"{BASE}aemter/neu/",
        {"code": "105", "slug": "gruen", "name": "Grünflächen", "email": "gruen@stadt.example"},
    )
    assert response.status_code == 302
    department = Department.objects.get(code="105")
    response = admin_client.post(
        f"{BASE}aemter/{department.pk}/",
        {"code": "105", "slug": "gruen", "name": "Grünflächen und Forsten", "email": ""},
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.email) == ("Grünflächen und Forsten", "")
    assert [e.action for e in AuditEntry.objects.order_by("sequence")] == [
        "department.created",
        "department.updated",
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "104", "slug": "neu", "name": "Neu"}, "code"),
        ({"code": "105", "slug": "verkehr", "name": "Neu"}, "slug"),
        ({"code": "105", "slug": "neu", "name": "straßen und verkehr"}, "name"),
        ({"code": "1-5", "slug": "neu", "name": "Neu"}, "code"),
        ({"code": "105", "slug": "neu nicht", "name": "Neu"}, "slug"),
        ({"code": "105", "slug": "neu", "name": "Neu", "email": "kein-at"}, "email"),
        ({"code": "105", "slug": "neu", "name": ""}, "name"),
    ],
)
def test_a_department_with_bad_input_is_refused(admin_client, traffic, data, field):
    before = snapshot()
    response = admin_client.post(f"{BASE}aemter/neu/", data)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert f'href="#id_{field}"' in response.content.decode()
    assert snapshot() == before


def test_the_code_of_a_department_with_services_cannot_be_changed(admin_client, traffic, tmp_path):
    from rathaus.catalog.services import catalog_load
    from rathaus.catalog.tests.conftest import SMALL_SERVICE, write_service

    write_service(tmp_path, SMALL_SERVICE)
    catalog_load(root=tmp_path)
    page = admin_client.get(f"{BASE}aemter/{traffic.pk}/").content.decode()
    assert re.search(r'<input[^>]*name="code"[^>]*disabled', page)
    response = admin_client.post(
        f"{BASE}aemter/{traffic.pk}/",
        {"code": "999", "slug": "strassen", "name": traffic.name},
    )
    assert response.status_code == 302
    traffic.refresh_from_db()
    assert (traffic.code, traffic.slug) == ("104", "strassen")


def test_no_department_can_be_deleted_here(admin_client, traffic):
    response = admin_client.get(f"{BASE}aemter/{traffic.pk}/")
    assert "delete" not in response.content.decode().lower()
    assert Department.objects.count() == 1


def test_a_department_created_here_can_take_staff_at_once(admin_client):
    admin_client.post(f"{BASE}aemter/neu/", {"code": "105", "slug": "gruen", "name": "Grün"})
    response = admin_client.post(
        f"{BASE}personen/neu/", {**NEW_PERSON, "department": "105", "role": "lead"}
    )
    assert response.status_code == 302
    person = User.objects.get(email="petra.neumann@stadt.example")
    assert list(person.memberships.values_list("department__code", "role")) == [("105", "lead")]


def test_the_login_of_an_invited_person_ends_in_the_totp_setup_and_then_their_inbox(
    admin_client, traffic
):
    """From invitation to a working back office: password, TOTP, inbox."""
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    admin_client.post(f"{BASE}personen/neu/", NEW_PERSON)
    newcomer = Client()
    form_url = newcomer.get(invitation_link(mail.outbox[0]))["Location"]
    password = "Schwebebahn-Vohwinkel-1901"
    newcomer.post(form_url, {"password1": password, "password2": password})
    newcomer.post("/accounts/login/", {"login": NEW_PERSON["email"], "password": password})
    newcomer.post(reverse("account_reauthenticate"), {"password": password})
    newcomer.get(reverse("mfa_activate_totp"))
    secret = newcomer.session[SECRET_SESSION_KEY]
    newcomer.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert newcomer.get("/amt/").status_code == 200
