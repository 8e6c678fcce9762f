"""The treasury's pages: only its members get in, and bad uploads are refused clearly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from rathaus.accounts.tests.factories import MembershipFactory, UserFactory, totp_enable
from rathaus.payments.camt_fixtures import FixturePayment
from rathaus.payments.models import Clarification, FeeStatus, PaymentOutcome
from rathaus.payments.services import statement_import

from .conftest import payments_snapshot, scenario_for
from .test_services import _statement

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _upload(client, data: bytes, name: str = "auszug.xml"):
    return client.post(
        reverse("payments:upload"),
        {"file": SimpleUploadedFile(name, data, content_type="application/xml")},
    )


@pytest.fixture
def imported(make_fee):
    """Three fees and a statement that pays one, underpays one, and pays an unknown one."""
    paid, short, spare = (make_fee(amount_cents=3000) for _ in range(3))
    statement_import(
        data=_statement(
            FixturePayment(amount_cents=3000, reference=paid.payment_reference),
            FixturePayment(amount_cents=1000, reference=short.payment_reference),
            FixturePayment(amount_cents=3000, remittance="Parkausweis Sonnenschein"),
        ),
        file_name="auszug.xml",
        actor=None,
    )
    return {"paid": paid, "short": short, "spare": spare}


def _urls(imported) -> dict:
    unknown = Clarification.objects.get(reason=PaymentOutcome.NO_REFERENCE)
    fee = imported["spare"]
    statement = unknown.payment.entry.statement
    return {
        "overview": ("get", reverse("payments:overview"), {}),
        "upload": ("post", reverse("payments:upload"), {}),
        "statement": ("get", reverse("payments:statement", args=[statement.pk]), {}),
        "clarifications": ("get", reverse("payments:clarifications"), {}),
        "clarification": ("get", reverse("payments:clarification", args=[unknown.pk]), {}),
        "assign": (
            "post",
            reverse("payments:assign", args=[unknown.pk]),
            {"assign-fee": fee.payment_reference},
        ),
        "resolve": (
            "post",
            reverse("payments:resolve", args=[unknown.pk]),
            {"resolve-note": "erledigt"},
        ),
        "fees": ("get", reverse("payments:fees"), {}),
        "fee": ("get", reverse("payments:fee", args=[fee.payment_reference]), {}),
        "cancel": (
            "post",
            reverse("payments:cancel", args=[fee.payment_reference]),
            {"cancel-note": "storniert"},
        ),
    }


ROLES = ["anonymous", "citizen", "other_department", "lead_of_other_department", "administrator"]
PAGES = [
    "overview",
    "upload",
    "statement",
    "clarifications",
    "clarification",
    "assign",
    "resolve",
    "fees",
    "fee",
    "cancel",
]


def _user(role: str, department):
    if role == "anonymous":
        return None
    if role == "citizen":
        return UserFactory()
    if role == "administrator":
        user = UserFactory(is_staff=True, is_superuser=True)
        totp_enable(user)
        return user
    user = MembershipFactory(
        department=department, role="lead" if role.startswith("lead") else "caseworker"
    ).user
    totp_enable(user)
    return user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_only_the_treasury_gets_in_and_nothing_changes(imported, department, role, page):
    method, url, data = _urls(imported)[page]
    before = payments_snapshot()
    response = getattr(_client(_user(role, department)), method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
        # Nothing of the payments leaks into the refusal (payers' names).
        assert "Sonnenschein" not in response.content.decode()
    assert payments_snapshot() == before


@pytest.mark.parametrize(
    "page", ["overview", "statement", "clarifications", "clarification", "fees", "fee"]
)
def test_every_page_opens_for_the_treasury(imported, cashier, page):
    _method, url, _data = _urls(imported)[page]
    response = _client(cashier).get(url)
    assert response.status_code == 200
    if page == "statement":
        assert "Lena Schäfer" in response.content.decode()
    if page == "clarification":
        assert "Parkausweis Sonnenschein" in response.content.decode()


def test_the_navigation_shows_the_treasury_to_its_members_only(imported, cashier, department):
    assert reverse("payments:overview") in _client(cashier).get("/").content.decode()
    other = _user("other_department", department)
    assert reverse("payments:overview") not in _client(other).get("/").content.decode()


def test_uploading_a_statement_shows_the_result_and_a_second_upload_changes_nothing(
    make_fee, cashier, english
):
    fees = [make_fee(amount_cents=1000 * n) for n in range(1, 6)]
    data = scenario_for(fees).data
    client = _client(cashier)
    response = _upload(client, data)
    assert response.status_code == 302
    result = client.get(response["Location"])
    page = result.content.decode()
    assert "Statement imported: 7 new entries, 3 fees paid, 5 payments to clarify." in page, page
    for fee in fees:
        fee.refresh_from_db()
    assert [fee.status for fee in fees] == [
        FeeStatus.PAID,
        FeeStatus.PAID,
        FeeStatus.PAID,
        FeeStatus.PARTLY_PAID,
        FeeStatus.OVERPAID,
    ]
    before = payments_snapshot()
    again = client.get(_upload(client, data)["Location"]).content.decode()
    assert "This statement has been imported before; nothing has changed." in again
    assert payments_snapshot() == before


@pytest.mark.parametrize(
    "data",
    [b"", b"kein XML", b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.052.001.02'/>"],
)
def test_a_broken_upload_is_refused_with_an_accessible_error(make_fee, cashier, data):
    before = payments_snapshot()
    response = _upload(_client(cashier), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "<title>Fehler:" in page
    assert 'class="kern-alert kern-alert--danger site-error-summary"' in page
    assert 'aria-invalid="true"' in page
    assert payments_snapshot() == before


def test_the_upload_form_needs_a_file(cashier):
    response = _client(cashier).post(reverse("payments:upload"), {})
    assert response.status_code == 422
    assert "<title>Fehler:" in response.content.decode()


def test_staff_assign_an_unknown_payment_to_a_fee(imported, cashier):
    item = Clarification.objects.get(reason=PaymentOutcome.NO_REFERENCE)
    fee = imported["spare"]
    client = _client(cashier)
    # Any spelling of the reference, or the file reference of the case, finds the fee.
    response = client.post(
        reverse("payments:assign", args=[item.pk]),
        {"assign-fee": fee.payment_reference_display.lower(), "assign-note": "Name passt"},
    )
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID


def test_an_unknown_fee_reference_is_an_error_on_the_field(imported, cashier):
    item = Clarification.objects.get(reason=PaymentOutcome.NO_REFERENCE)
    before = payments_snapshot()
    response = _client(cashier).post(
        reverse("payments:assign", args=[item.pk]), {"assign-fee": "RF18 5390 0754 7034"}
    )
    assert response.status_code == 422
    assert "<title>Fehler:" in response.content.decode()
    assert payments_snapshot() == before


def test_a_paid_fee_cannot_be_assigned_and_the_message_says_why(imported, cashier):
    item = Clarification.objects.get(reason=PaymentOutcome.NO_REFERENCE)
    before = payments_snapshot()
    client = _client(cashier)
    response = client.post(
        reverse("payments:assign", args=[item.pk]),
        {"assign-fee": imported["paid"].case_reference},
    )
    assert response.status_code == 302
    assert payments_snapshot() == before
    page = client.get(response["Location"]).content.decode()
    assert "kern-alert--danger" in page


def test_staff_resolve_an_item_with_a_note_and_need_one(imported, cashier):
    item = Clarification.objects.get(reason=PaymentOutcome.PARTLY_PAID)
    client = _client(cashier)
    response = client.post(reverse("payments:resolve", args=[item.pk]), {"resolve-note": ""})
    assert response.status_code == 422
    response = client.post(
        reverse("payments:resolve", args=[item.pk]), {"resolve-note": "Rest bar bezahlt"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.note == "Rest bar bezahlt"
    resolved = client.get(reverse("payments:clarifications") + "?erledigt=1").content.decode()
    assert reverse("payments:clarification", args=[item.pk]) in resolved
    detail = client.get(reverse("payments:clarification", args=[item.pk])).content.decode()
    assert "Rest bar bezahlt" in detail
    assert 'action="' + reverse("payments:resolve", args=[item.pk]) not in detail


def test_the_fee_page_shows_the_payment_details_with_the_girocode(imported, cashier):
    fee = imported["spare"]
    page = _client(cashier).get(reverse("payments:fee", args=[fee.payment_reference])).content
    page = page.decode()
    assert fee.payment_reference_display in page
    assert "DE48 1234 5678 0000 0420 26" in page
    assert 'src="data:image/svg+xml' in page
    assert "30,00" in page


def test_a_fee_is_cancelled_with_a_reason(imported, cashier):
    fee = imported["spare"]
    client = _client(cashier)
    url = reverse("payments:cancel", args=[fee.payment_reference])
    assert client.post(url, {"cancel-note": ""}).status_code == 422
    assert client.post(url, {"cancel-note": "Antrag zurückgenommen"}).status_code == 302
    fee.refresh_from_db()
    assert (fee.status, fee.cancellation_note) == (FeeStatus.CANCELLED, "Antrag zurückgenommen")
