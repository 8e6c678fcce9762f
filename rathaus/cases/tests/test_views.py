import pytest
from django.test import Client
from django.urls import reverse

from rathaus.accounts.models import Role
from rathaus.accounts.tests.factories import DepartmentFactory, UserFactory, totp_enable
from rathaus.cases.models import Case, CaseNote, Decision, InformationRequest
from rathaus.cases.states import CaseStatus

from .conftest import ADDRESS, staff

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_caseworker_works_a_case_from_inbox_to_decision(department, make_case):
    case = make_case()
    worker = staff(department)
    client = _client(worker)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert case.reference in inbox
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert page.status_code == 200
    assert "Luisenstraße 7" in page.content.decode()
    client.post(reverse("cases:take", args=[case.reference]))
    client.post(reverse("cases:note", args=[case.reference]), {"text": "Zone prüfen"})
    response = client.post(
        reverse("cases:decide", args=[case.reference]),
        {"outcome": "approved", "reason": "Alles in Ordnung.", "legal_basis": "§ 45 StVO"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert case.decision.reason == "Alles in Ordnung."
    assert CaseNote.objects.get().text == "Zone prüfen"


def test_a_decision_without_reason_is_refused_with_a_message(department, make_case):
    case = make_case()
    worker = staff(department)
    client = _client(worker)
    client.post(reverse("cases:take", args=[case.reference]))
    response = client.post(reverse("cases:decide", args=[case.reference]), {"outcome": "approved"})
    assert response.status_code == 422
    assert "<title>Fehler:" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_inbox_filters_and_searches(department, make_case):
    applicant = UserFactory(first_name="Annegret", last_name="Sonnenschein")
    mine, other = make_case(applicant=applicant), make_case()
    worker = staff(department)
    client = _client(worker)
    client.post(reverse("cases:take", args=[mine.reference]))

    def references(**params) -> set[str]:
        html = client.get(reverse("cases:inbox"), params).content.decode()
        return {ref for ref in (mine.reference, other.reference) if ref in html}

    assert references() == {mine.reference, other.reference}
    assert references(assignee="me") == {mine.reference}
    assert references(assignee="none") == {other.reference}
    assert references(status="in_review") == {mine.reference}
    assert references(q="Sonnenschein") == {mine.reference}
    assert references(q=other.reference) == {other.reference}
    assert references(q="Luisenstraße") == {mine.reference, other.reference}
    assert references(overdue="on") == set()
    Case.objects.filter(pk=other.pk).update(due_date="2020-01-01")
    assert references(overdue="on") == {other.reference}


def test_the_citizen_answers_a_request_with_a_document(department, make_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rathaus.applications.models import Attachment
    from rathaus.applications.tests.upload_samples import pdf_blank

    case = make_case()
    worker = staff(department)
    _client(worker).post(reverse("cases:take", args=[case.reference]))
    _client(worker).post(
        reverse("cases:request_information", args=[case.reference]),
        {"message": "Bitte reichen Sie den Fahrzeugschein nach.", "documents": "Fahrzeugschein"},
    )
    citizen = _client(case.applicant)
    mine = citizen.get(reverse("applications:mine")).content.decode()
    answer_url = reverse("applications:answer", args=[case.application.public_id])
    assert answer_url in mine
    bad = citizen.post(
        answer_url, {"answer": "x", "file_1": SimpleUploadedFile("a.pdf", b"<html>")}
    )
    assert bad.status_code == 422
    assert not Attachment.objects.exists()
    response = citizen.post(
        answer_url,
        {
            "answer": "Anbei der Fahrzeugschein.",
            "file_1": SimpleUploadedFile("schein.pdf", pdf_blank()),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert InformationRequest.objects.get().answer == "Anbei der Fahrzeugschein."
    assert Attachment.objects.get().display_name == "schein.pdf"
    # The caseworker sees the answer and the document.
    html = _client(worker).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Anbei der Fahrzeugschein." in html
    assert "schein.pdf" in html


def _state(case) -> tuple:
    case.refresh_from_db()
    return (
        case.status,
        case.assignee_id,
        CaseNote.objects.filter(case=case).count(),
        InformationRequest.objects.filter(case=case).count(),
        Decision.objects.filter(case=case).count(),
    )


def _by_case(name):
    return lambda case: reverse(name, args=[case.reference])


def _by_department(name, query=""):
    return lambda case: reverse(name, args=[case.department.code]) + query


# action: (method, url of the case or its department, data)
ACTIONS = {
    "inbox": ("get", lambda case: reverse("cases:inbox"), {}),
    "inbox_of_department": (
        "get",
        lambda case: reverse("cases:inbox") + f"?department={case.department.code}",
        {},
    ),
    "workload": ("get", _by_department("cases:workload"), {}),
    "dashboard": ("get", _by_department("cases:dashboard"), {}),
    "dashboard_json": ("get", _by_department("cases:dashboard", "?format=json"), {}),
    "detail": ("get", _by_case("cases:detail"), {}),
    "take": ("post", _by_case("cases:take"), {}),
    "assign": ("post", _by_case("cases:assign"), {"assignee": ""}),
    "note": ("post", _by_case("cases:note"), {"text": "x"}),
    "request": ("post", _by_case("cases:request_information"), {"message": "x", "documents": ""}),
    "decide": (
        "post",
        _by_case("cases:decide"),
        {"outcome": "approved", "reason": "x", "legal_basis": "y"},
    ),
    "confirm": ("post", _by_case("cases:confirm"), {}),
    "send_back": ("post", _by_case("cases:send_back"), {}),
}
ROLES = ["anonymous", "applicant", "citizen", "other_department", "administrator"]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_forbidden_cells_of_the_permission_matrix_change_nothing(
    department, make_case, role, action
):
    case = make_case()
    worker = staff(department)
    _client(worker).post(reverse("cases:take", args=[case.reference]))
    user = {
        "anonymous": None,
        "applicant": case.applicant,
        "citizen": UserFactory(),
        "other_department": staff(DepartmentFactory(code="999")),
        "administrator": UserFactory(is_staff=True, is_superuser=True),
    }[role]
    if role == "administrator":
        totp_enable(user)
    before = _state(case)
    method, url, data = ACTIONS[action]
    response = getattr(_client(user), method)(url(case), data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "other_department" and action == "inbox":
        # Their own inbox opens, without our case in it.
        assert response.status_code == 200
        assert case.reference not in response.content.decode()
    else:
        assert response.status_code in (403, 404)
        # Nothing of the case leaks into the refusal (the answers hold the address).
        assert ADDRESS["street"] not in response.content.decode()
    assert _state(case) == before


@pytest.mark.parametrize("action", ["take", "assign", "note", "request", "decide"])
def test_allowed_cells_work_for_the_department(department, make_case, action):
    case = make_case()
    lead = staff(department, role=Role.LEAD)
    method, url, data = ACTIONS[action]
    client = _client(lead)
    if action in {"request", "decide"}:
        client.post(reverse("cases:take", args=[case.reference]))
    before = _state(case)
    response = getattr(client, method)(url(case), data)
    assert response.status_code == 302
    if action != "assign":
        assert _state(case) != before


@pytest.mark.parametrize("action", ["inbox_of_department", "workload", "dashboard", "detail"])
def test_allowed_pages_open_for_the_department(department, make_case, action):
    case = make_case()
    _method, url, _data = ACTIONS[action]
    response = _client(staff(department)).get(url(case))
    assert response.status_code == 200
    if action == "detail":
        assert ADDRESS["street"] in response.content.decode()


def test_the_dashboard_json_opens_for_the_department(department, make_case):
    case = make_case()
    _method, url, _data = ACTIONS["dashboard_json"]
    response = _client(staff(department)).get(url(case))
    assert response.status_code == 200
    assert response.json()["total"]["received"] == 1
