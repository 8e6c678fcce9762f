"""Decided cases get their sealed documents, delivered to the postbox and, where asked, by post."""

import datetime
import subprocess
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.accounts.tests.factories import UserFactory
from rathaus.applications.services import (
    application_start,
    application_step_save,
    application_submit,
)
from rathaus.audit.selectors import audit_verify
from rathaus.cases.models import CaseEvent, Outcome
from rathaus.cases.services import case_assign, case_decide
from rathaus.cases.states import CaseStatus
from rathaus.cases.tests.conftest import staff, submit_certificate, submit_parking
from rathaus.catalog.models import Service
from rathaus.documents.issuing import documents_issue, permit_revoke
from rathaus.documents.models import Delivery, Document, DocumentKind
from rathaus.documents.pdfa import pdfa_problems
from rathaus.documents.verification import pdf_seal_verify
from rathaus.outbox.models import Letter
from rathaus.payments.models import Fee
from rathaus.verification.models import IssuedToken
from rathaus.verification.selectors import CheckStatus, token_check

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF (poppler's pdftotext), with every run of white space as one space."""
    result = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(result.stdout.decode().split())


def qr_codes(pdf: bytes, tmp_path) -> list[str]:
    """What the QR codes printed in a PDF say: its images extracted (pdfimages), read (zbarimg)."""
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603
        ["pdfimages", "-png", str(source), str(tmp_path / "image")],  # noqa: S607
        check=True,
        timeout=60,
    )
    images = sorted(str(p) for p in tmp_path.glob("image-*.png"))
    result = subprocess.run(  # noqa: S603
        ["zbarimg", "--quiet", "--raw", "-Sbinary", *images],  # noqa: S607
        capture_output=True,
        timeout=60,
        check=False,
    )
    return result.stdout.decode().split()


def _content(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _documents(case) -> dict[str, Document]:
    return {d.kind: d for d in case.documents.all()}


def test_an_approved_parking_permit_gets_receipt_permit_and_fee_notice_sealed(city):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    case = submit_parking(lena)
    assert case.status == CaseStatus.DECIDED
    documents = _documents(case)
    assert set(documents) == {"receipt", "permit", "fee_notice"}
    for document in documents.values():
        pdf = _content(document)
        assert pdfa_problems(pdf) == []
        assert pdf_seal_verify(pdf=pdf).ok
        assert document.delivery == Delivery.POSTBOX
    permit = pdf_text(_content(documents["permit"]))
    assert "Zone E1" in permit
    assert "W-LS 1403" in permit
    assert case.reference in permit
    assert "Verwaltungsgericht Düsseldorf" in permit
    # The window address comes from the resident register.
    assert "Luisenstraße 71" in permit and "42103 Wuppertal" in permit
    fee = Fee.objects.get(case=case)
    fee_text = pdf_text(_content(documents["fee_notice"]))
    assert fee.payment_reference_display in fee_text
    assert "30,00 €" in fee_text
    receipt = pdf_text(_content(documents["receipt"]))
    assert "Eingangsbestätigung" in receipt and "W-LS 1403" in receipt
    # The permit's QR token checks as valid and shows what the permit prints.
    record = IssuedToken.objects.get(token_id=documents["permit"].token_id)
    assert record.reference == case.reference
    # One e-mail tells of the new documents, without names or content.
    notices = [m for m in mail.outbox if "Postfach" in m.subject]
    assert len(notices) == 1
    assert "Schäfer" not in notices[0].body and "W-LS" not in notices[0].body
    assert case.events.filter(kind=CaseEvent.Kind.DOCUMENT_IN_POSTBOX).count() == 1
    assert audit_verify().ok


def test_the_printed_qr_code_checks_as_valid_until_the_permit_is_revoked(city, tmp_path):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    case = submit_parking(lena)
    [url] = qr_codes(_content(_documents(case)["permit"]), tmp_path)
    assert url.startswith("http://127.0.0.1:8000/pruefen/")
    token = url.rsplit("/", 1)[-1]
    result = token_check(token=token)
    assert result.status == CheckStatus.VALID
    shown = {claim.label: claim.value for claim in result.claims}
    assert "E1" in shown.values()
    lead = staff(case.department, role=Role.LEAD)
    assert permit_revoke(case=case, actor=lead) == 1
    assert token_check(token=token).status == CheckStatus.REVOKED


def test_issuing_again_makes_nothing_new(city):
    case = submit_parking(UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer"))
    before = {d.pk for d in case.documents.all()}
    assert documents_issue(case_id=case.pk, trigger="decided") == []
    assert documents_issue(case_id=case.pk, trigger="submitted") == []
    assert {d.pk for d in case.documents.all()} == before
    assert IssuedToken.objects.count() == 1


def test_a_new_permit_replaces_the_earlier_one(city):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    first = submit_parking(lena)
    first_token = _documents(first)["permit"].token_id
    second = submit_parking(lena)
    assert IssuedToken.objects.get(token_id=first_token).revoke_reason == "replaced"
    second_token = IssuedToken.objects.get(token_id=_documents(second)["permit"].token_id)
    assert second_token.revoked_at is None


def test_a_rejection_gets_a_decision_notice_with_the_reasons_and_no_fee(city):
    case = submit_parking(UserFactory(first_name="Max", last_name="Muster"), plate="W-XY 77")
    assert case.status == CaseStatus.SUBMITTED
    assert set(_documents(case)) == {"receipt"}
    worker = staff(case.department)
    case_assign(case=case, assignee=worker, actor=worker)
    case_decide(
        case=case,
        actor=worker,
        outcome=Outcome.REJECTED,
        reason="Das Fahrzeug ist nicht auf Sie zugelassen.",
        legal_basis="§ 45 Abs. 1b StVO",
    )
    documents = _documents(case)
    assert set(documents) == {"receipt", "decision_notice"}
    text = pdf_text(_content(documents["decision_notice"]))
    assert "abgelehnt" in text
    assert "Das Fahrzeug ist nicht auf Sie zugelassen." in text
    assert "§ 45 Abs. 1b StVO" in text
    assert "Verwaltungsgericht Düsseldorf" in text
    assert not Fee.objects.filter(case=case).exists()


def test_the_registration_certificate_comes_from_the_register_and_goes_by_post(city):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    case = submit_certificate(lena, delivery="post")
    documents = _documents(case)
    assert {"receipt", "registration_certificate"} <= set(documents)
    certificate = documents["registration_certificate"]
    text = pdf_text(_content(certificate))
    assert "Schäfer" in text and "Luisenstraße 71" in text
    assert certificate.delivery == Delivery.POST
    letters = Letter.objects.filter(case=case)
    certificate_title = str(DocumentKind.REGISTRATION_CERTIFICATE.label)
    assert certificate_title in {letter.title for letter in letters}
    assert all(letter.recipient[-1] == "42103 Wuppertal" for letter in letters)


def test_a_citizen_who_asks_for_post_gets_letters_too(city):
    lena = UserFactory(
        register_id="100001", first_name="Lena", last_name="Schäfer", letters_by_post=True
    )
    case = submit_parking(lena)
    posted = set(Letter.objects.filter(case=case).values_list("title", flat=True))
    assert posted == {d.title for d in case.documents.exclude(kind="receipt")} | {
        case.documents.get(kind="receipt").title
    }


def test_a_document_that_cannot_be_made_leaves_nothing_behind_and_a_retry_makes_it(city, settings):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    key_file = settings.RATHAUS_SEAL_KEY_FILE
    settings.RATHAUS_SEAL_KEY_FILE = str(settings.MEDIA_ROOT / "missing.pem")
    case = submit_parking(lena)
    # The decision stands; the documents task failed (the worker retries it).
    assert case.status == CaseStatus.DECIDED
    assert not case.documents.exists()
    assert not IssuedToken.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))
    settings.RATHAUS_SEAL_KEY_FILE = key_file
    documents_issue(case_id=case.pk, trigger="submitted")
    documents_issue(case_id=case.pk, trigger="decided")
    assert set(_documents(case)) == {"receipt", "permit", "fee_notice"}
    assert IssuedToken.objects.count() == 1
    assert len(list(settings.MEDIA_ROOT.rglob("*.pdf"))) == 3


def test_the_postbox_shows_the_citizens_own_documents_only(city):
    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    case = submit_parking(lena)
    permit = case.documents.get(kind="permit")
    client = Client()
    client.force_login(lena)
    page = client.get(reverse("documents:postbox")).content.decode()
    assert permit.title in page and case.reference in page
    response = client.get(reverse("documents:open", args=[permit.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == _content(permit)
    permit.refresh_from_db()
    assert permit.read_at is not None
    other = Client()
    other.force_login(UserFactory())
    assert other.get(reverse("documents:open", args=[permit.public_id])).status_code == 404
    assert case.reference not in other.get(reverse("documents:postbox")).content.decode()
    anonymous = Client().get(reverse("documents:open", args=[permit.public_id]))
    assert anonymous.status_code == 302


def test_staff_open_documents_of_their_department_only_and_it_is_logged(city):
    from rathaus.accounts.models import Department
    from rathaus.audit.models import AuditEntry

    case = submit_parking(UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer"))
    permit = case.documents.get(kind="permit")
    url = reverse("documents:staff_open", args=[permit.public_id])
    outsider = Client()
    outsider.force_login(staff(Department.objects.exclude(pk=case.department_id).first()))
    assert outsider.get(url).status_code == 404
    insider = Client()
    insider.force_login(staff(case.department))
    assert insider.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="document.viewed", object_id=str(permit.pk)).exists()


def test_every_document_type_is_pdf_a_and_sealed_for_pyhanko_and_pdfsig(city, pdfsig):
    from rathaus.documents.issuing import letter_write

    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    permit_case = submit_parking(lena)  # receipt, permit, fee notice
    certificate_case = submit_certificate(lena)  # registration certificate
    rejected = submit_parking(UserFactory(first_name="Max", last_name="Muster"), plate="W-XY 77")
    worker = staff(rejected.department)
    case_assign(case=rejected, assignee=worker, actor=worker)
    case_decide(
        case=rejected, actor=worker, outcome=Outcome.REJECTED, reason="Nein.", legal_basis="§ 45"
    )
    letter_write(case=rejected, actor=worker, subject="Rückfrage", body="Text.", by_post=False)
    dog = _dog_tax(UserFactory(register_id="100020", first_name="Jürgen", last_name="Weiß"))
    documents = {
        d.kind: d
        for case in (permit_case, certificate_case, rejected, dog)
        for d in case.documents.all()
    }
    assert set(documents) == {k.value for k in DocumentKind}
    for kind, document in documents.items():
        pdf = _content(document)
        assert pdfa_problems(pdf) == [], kind
        assert pdf_seal_verify(pdf=pdf).ok, kind
        report = pdfsig(pdf)
        assert "Signature is Valid." in report, (kind, report)
        assert "Certificate is Trusted." in report, (kind, report)
        assert "Total document signed" in report, (kind, report)
        # One changed byte inside the signed range breaks the seal.
        broken = bytearray(pdf)
        position = pdf.index(b"/Producer") + 2
        broken[position] ^= 0x01
        assert not pdf_seal_verify(pdf=bytes(broken)).ok, kind


def _dog_tax(user):
    from rathaus.applications.forms import StepForm

    application = application_start(
        user=user, service=Service.objects.get(slug="hundesteuer-anmeldung")
    )
    posted = {
        "dog": {"dog_name": "Anton", "breed": "Dackel"},
        "acquisition": {
            "date_acquired": f"{timezone.localdate() - datetime.timedelta(days=20):%d.%m.%Y}"
        },
        "listed_dog": {"listed_dog": "no"},
        "household": {"dogs_in_household": "1"},
        "exemption": {"exemption_reason": "none"},
        "payment": {"direct_debit": "no"},
        "declaration": {"truthful": "on"},
    }
    spec = application.service_version.spec
    for step in spec.visible_steps(application.answers):
        form = StepForm(
            posted.get(step["id"], {}),
            definition=spec,
            step=step,
            answers=application.answers,
            attachments={},
        )
        assert form.is_valid(), form.errors
        application = application_step_save(
            application=application, step_id=step["id"], answers=form.answers_of_step(), uploads={}
        )
    case = application_submit(application=application, idempotency_key=str(uuid.uuid4()))
    worker = staff(case.department)
    case_assign(case=case, assignee=worker, actor=worker)
    case_decide(
        case=case, actor=worker, outcome=Outcome.APPROVED, reason="Angemeldet.", legal_basis="HStS"
    )
    return case


@pytest.mark.parametrize("role", ["anonymous", "citizen", "applicant", "other_department"])
def test_letters_and_revocation_are_for_the_department_only(city, role):
    from rathaus.accounts.models import Department

    lena = UserFactory(register_id="100001", first_name="Lena", last_name="Schäfer")
    case = submit_parking(lena)
    user = {
        "anonymous": None,
        "citizen": UserFactory(),
        "applicant": lena,
        "other_department": staff(Department.objects.exclude(pk=case.department_id).first()),
    }[role]
    client = Client()
    if user is not None:
        client.force_login(user)
    documents_before = case.documents.count()
    letter_url = reverse("documents:letter", args=[case.reference])
    responses = [
        client.get(letter_url),
        client.post(letter_url, {"subject": "x", "body": "y", "by_post": "on"}),
        client.post(reverse("documents:revoke", args=[case.reference])),
    ]
    for response in responses:
        if role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code in (403, 404)
    assert case.documents.count() == documents_before
    assert not IssuedToken.objects.filter(revoked_at__isnull=False).exists()
    assert not Letter.objects.exists()


def test_a_letter_that_cannot_be_written_or_posted_is_refused_and_leaves_nothing(city, settings):
    from rathaus.documents.errors import DocumentError
    from rathaus.documents.issuing import letter_write

    nameless = UserFactory(first_name="", last_name="")  # no name: no postal address
    case = submit_parking(nameless, plate="W-XY 77")
    worker = staff(case.department)
    files_before = sorted(settings.MEDIA_ROOT.rglob("*.pdf"))
    for subject, body, by_post, code in [
        ("", "Text", False, "empty"),
        ("Betreff", "   ", False, "empty"),
        ("Betreff", "Text", True, "no_address"),
    ]:
        with pytest.raises(DocumentError) as error:
            letter_write(case=case, actor=worker, subject=subject, body=body, by_post=by_post)
        assert error.value.code == code
    assert not case.documents.filter(kind=DocumentKind.LETTER).exists()
    assert sorted(settings.MEDIA_ROOT.rglob("*.pdf")) == files_before
    assert not Letter.objects.exists()
