import re
import uuid

import pytest
from django.urls import reverse

from rathaus.applications.models import Application, ApplicationStatus, Attachment
from rathaus.applications.tests.upload_samples import pdf_blank
from rathaus.cases.models import Case

from .conftest import citizen_client

pytestmark = pytest.mark.django_db

ADDRESS_IN_ZONE = {
    "address__street": "Luisenstr.",
    "address__house_number": "71",
    "address__postcode": "42103",
    "address__town": "Wuppertal",
}


def _start(client, service, first_step="kind") -> Application:
    response = client.post(reverse("applications:start", args=[service.slug]))
    assert response.status_code == 302
    application = Application.objects.latest("created_at")
    url = reverse("applications:step", args=[application.public_id, first_step])
    assert response["Location"] == url
    return application


def _step(client, application, step_id, data, **extra):
    url = reverse("applications:step", args=[application.public_id, step_id])
    return client.post(url, data, **extra)


def _submit(client, application, key=None):
    return client.post(
        reverse("applications:review", args=[application.public_id]),
        {"idempotency_key": key or str(uuid.uuid4())},
    )


def test_a_citizen_completes_an_application_and_gets_a_file_reference(citizen, small_service):
    application = _start(citizen, small_service)
    response = _step(citizen, application, "kind", {"kind": "new"})
    assert response["Location"].endswith("/schritt/address/")
    response = _step(citizen, application, "address", ADDRESS_IN_ZONE)
    # The proof step is only asked for a change: straight to the review.
    assert response["Location"] == reverse("applications:review", args=[application.public_id])
    review = citizen.get(response["Location"])
    assert review.status_code == 200
    assert "Luisenstr. 71, 42103 Wuppertal" in review.content.decode()
    response = _submit(citizen, application)
    assert response["Location"] == reverse(
        "applications:confirmation", args=[application.public_id]
    )
    case = Case.objects.get()
    assert re.fullmatch(r"WUP-104-\d{4}-00001", case.reference)
    assert str(case.fee) == "30.00"
    confirmation = citizen.get(response["Location"]).content.decode()
    assert case.reference in confirmation
    mine = citizen.get(reverse("applications:mine")).content.decode()
    assert case.reference in mine
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_change_asks_for_proof_and_costs_less(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "change"})
    response = _step(citizen, application, "address", ADDRESS_IN_ZONE)
    assert response["Location"].endswith("/schritt/proof/")
    proof = _step(citizen, application, "proof", {"proof": _pdf_upload()})
    assert proof.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.display_name == "nachweis.pdf"
    assert attachment.file.name.startswith("attachments/")
    assert "nachweis" not in attachment.file.name
    _submit(citizen, application)
    assert str(Case.objects.get().fee) == "15.00"


def _pdf_upload(name="nachweis.pdf", content=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content or pdf_blank(), content_type="application/pdf")


def test_an_address_outside_the_list_is_refused_and_the_input_kept(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "new"})
    response = _step(
        citizen, application, "address", {**ADDRESS_IN_ZONE, "address__house_number": "120"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "data-error-summary" in html
    assert 'value="120"' in html
    assert "<title>Fehler:" in html
    application.refresh_from_db()
    assert "address" not in application.answers


def test_a_bad_postcode_gets_a_field_error(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "new"})
    response = _step(
        citizen, application, "address", {**ADDRESS_IN_ZONE, "address__postcode": "4210"}
    )
    assert response.status_code == 422
    assert 'href="#id_address__postcode"' in response.content.decode()


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "change"})
    _step(citizen, application, "address", ADDRESS_IN_ZONE)
    response = _step(
        citizen, application, "proof", {"proof": _pdf_upload(content=b"<html>x</html>")}
    )
    assert response.status_code == 422
    assert not Attachment.objects.exists()
    application.refresh_from_db()
    assert "proof" not in application.answers


def test_changing_the_answer_forgets_the_upload_that_is_no_longer_needed(
    citizen, small_service, django_capture_on_commit_callbacks
):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "change"})
    _step(citizen, application, "address", ADDRESS_IN_ZONE)
    _step(citizen, application, "proof", {"proof": _pdf_upload()})
    stored = Attachment.objects.get()
    storage, name = stored.file.storage, stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        _step(citizen, application, "kind", {"kind": "new"})
    assert not Attachment.objects.exists()
    assert not storage.exists(name)


def test_submitting_twice_with_one_key_gives_one_case(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "new"})
    _step(citizen, application, "address", ADDRESS_IN_ZONE)
    key = str(uuid.uuid4())
    _submit(citizen, application, key)
    again = _submit(citizen, application, key)
    assert again.status_code == 302
    assert Case.objects.count() == 1


def test_a_second_submit_with_a_new_key_still_gives_one_case(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "new"})
    _step(citizen, application, "address", ADDRESS_IN_ZONE)
    _submit(citizen, application)
    _submit(citizen, application)
    assert Case.objects.count() == 1


def test_an_incomplete_application_cannot_be_submitted(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "new"})
    response = _submit(citizen, application)
    assert response["Location"].endswith("/schritt/address/")
    assert not Case.objects.exists()


def test_a_submit_without_a_key_is_refused(citizen, small_service):
    application = _start(citizen, small_service)
    response = citizen.post(reverse("applications:review", args=[application.public_id]), {})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_another_citizen_cannot_see_the_application(citizen, small_service):
    application = _start(citizen, small_service)
    stranger = citizen_client()
    url = reverse("applications:step", args=[application.public_id, "kind"])
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"kind": "change"}).status_code == 404
    application.refresh_from_db()
    assert application.answers == {}


def test_a_draft_can_be_resumed_from_my_applications(citizen, small_service):
    application = _start(citizen, small_service)
    _step(citizen, application, "kind", {"kind": "new"})
    mine = citizen.get(reverse("applications:mine")).content.decode()
    review_url = reverse("applications:review", args=[application.public_id])
    assert review_url in mine
    # Continuing goes to the first unanswered step.
    assert citizen.get(review_url)["Location"].endswith("/schritt/address/")


def test_an_expired_draft_is_gone(citizen, small_service):
    from datetime import timedelta

    from django.utils import timezone

    from rathaus.applications.services import drafts_purge_expired

    application = _start(citizen, small_service)
    Application.objects.filter(pk=application.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = citizen.get(reverse("applications:step", args=[application.public_id, "kind"]))
    assert response.status_code == 410
    assert drafts_purge_expired() == 1
    assert not Application.objects.exists()


def test_an_application_keeps_its_version_when_the_definition_changes(
    citizen, small_service, tmp_path
):
    from rathaus.catalog.services import catalog_load
    from rathaus.catalog.tests.conftest import SMALL_SERVICE, write_service

    application = _start(citizen, small_service)
    write_service(tmp_path, SMALL_SERVICE.replace('amount: "30.00"', 'amount: "40.00"'))
    catalog_load(root=tmp_path)
    _step(citizen, application, "kind", {"kind": "new"})
    _step(citizen, application, "address", ADDRESS_IN_ZONE)
    _submit(citizen, application)
    assert str(Case.objects.get().fee) == "30.00"


def test_a_service_that_reads_the_register_refuses_a_person_not_in_it(tmp_path, db):
    from rathaus.accounts.tests.factories import DepartmentFactory
    from rathaus.catalog.services import catalog_load
    from rathaus.catalog.tests.conftest import one_step_service, write_service

    DepartmentFactory(code="102")
    field = (
        "{id: family_name, type: text, label: {de: Name, en: Name},"
        " prefill: register.family_name, readonly: true}"
    )
    write_service(
        tmp_path,
        one_step_service(slug="bescheinigung", department="102", field=field),
        slug="bescheinigung",
    )
    catalog_load(root=tmp_path)
    client = citizen_client()
    response = client.post(reverse("applications:start", args=["bescheinigung"]))
    assert response["Location"] == reverse("catalog:detail", args=["bescheinigung"])
    assert not Application.objects.exists()


def _complete_change(client, service) -> Application:
    application = _start(client, service)
    _step(client, application, "kind", {"kind": "change"})
    _step(client, application, "address", ADDRESS_IN_ZONE)
    _step(client, application, "proof", {"proof": _pdf_upload()})
    _submit(client, application)
    return application


def test_the_receipt_shows_the_reference_and_the_answers(citizen, small_service):
    application = _complete_change(citizen, small_service)
    case = Case.objects.get()
    html = citizen.get(reverse("applications:receipt", args=[application.public_id])).content
    html = html.decode()
    assert case.reference in html
    assert "Luisenstr. 71" in html
    assert "nachweis.pdf" in html


def test_a_file_goes_to_its_applicant_and_to_staff_of_the_department_only(citizen, small_service):
    from rathaus.accounts.tests.factories import DepartmentFactory, MembershipFactory, totp_enable

    application = _complete_change(citizen, small_service)
    attachment = Attachment.objects.get()
    url = reverse("applications:attachment", args=[application.public_id, attachment.public_id])
    response = citizen.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"

    caseworker = MembershipFactory(department=small_service.department).user
    totp_enable(caseworker)
    assert citizen_client(caseworker).get(url).status_code == 200
    inline = citizen_client(caseworker).get(url, {"inline": "1"})
    assert inline["Content-Disposition"].startswith("inline")
    from rathaus.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="attachment.viewed", actor=caseworker).count() == 2

    other_department = MembershipFactory(department=DepartmentFactory(code="999")).user
    totp_enable(other_department)
    assert citizen_client(other_department).get(url).status_code == 404
    assert citizen_client().get(url).status_code == 404


def test_cases_past_their_retention_period_are_deleted_with_their_files(
    citizen, small_service, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from rathaus.applications.services import submitted_purge_expired

    _complete_change(citizen, small_service)
    attachment = Attachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert submitted_purge_expired() == 0
    Case.objects.update(delete_after=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert submitted_purge_expired() == 1
    assert not Case.objects.exists()
    assert not Application.objects.exists()
    assert not storage.exists(name)
