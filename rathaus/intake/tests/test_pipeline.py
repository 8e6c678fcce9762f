"""The pipeline end to end: OCR, classification, extraction, matching, routing, retries."""

import io
import json

import pikepdf
import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command

from rathaus.audit.models import AuditEntry
from rathaus.cases.models import CaseEvent
from rathaus.cases.services import case_assign
from rathaus.classifier.models import TrainingExample
from rathaus.intake.models import IntakeItem, Status, Step
from rathaus.intake.pipeline.runner import MAX_ATTEMPTS, step_run
from rathaus.intake.services import item_reprocess

from .conftest import FlakyOcr, OvertakenOcr, receive, staff
from .corpus import SENTENCES
from .samples import born_digital_pdf, letter_png

pytestmark = pytest.mark.django_db


def _text(label: str, *extra: str) -> str:
    return "\n".join(
        [
            "Erika Mustermann",
            "Hauptstraße 5",
            "42103 Wuppertal",
            *extra,
            *SENTENCES[label][:3],
            "Mit freundlichen Grüßen",
        ]
    )


def _letter(label: str, *extra: str) -> bytes:
    return born_digital_pdf(_text(label, *extra))


def _item(receipt) -> IntakeItem:
    item = IntakeItem.objects.get(pk=receipt.item_id)
    assert item.status != Status.DEAD_LETTER, (item.dead_letter_reason, item.dead_letter_params)
    return item


def test_a_letter_goes_to_the_department_that_owns_its_type(departments, classifier):
    item = _item(receive(_letter("dog_tax")))

    assert item.status == Status.ROUTED
    assert (item.document_type, item.department.code) == ("dog_tax", "201")
    assert item.routing["reason"] == "type"
    assert item.confidence > 0.5
    assert item.model_version
    # A born-digital letter keeps its own text; nothing was read by Tesseract.
    assert SENTENCES["dog_tax"][0] in item.ocr_text
    assert item.transfer_note["born_digital"] is True
    assert item.fields["sender"]["postcode"] == "42103"


def test_a_scan_is_read_by_tesseract_turned_upright_and_attached_to_the_case_it_quotes(
    departments, classifier, make_case
):
    case = make_case()
    worker = staff(case.department)
    case_assign(case=case, assignee=worker, actor=worker)
    lines = [
        "Erika Mustermann, Hauptstraße 5, 42103 Wuppertal",
        f"Aktenzeichen {case.reference}",
        *SENTENCES["objection"],
        "Mit freundlichen Grüßen",
    ]
    scan = letter_png(lines, rotate=180)

    item = _item(receive(scan, "brief.png"))

    assert "Widerspruch" in item.ocr_text
    assert item.pages == 1
    assert item.mime == "image/png"
    with item.original.open("rb") as original:
        assert original.read() == scan  # kept unchanged
    with item.searchable.open("rb") as searchable, pikepdf.open(searchable) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
    assert item.fields["references"] == [case.reference]
    # Attached to the case: the timeline, the caseworker told, the letter in that department.
    assert item.matched_case == case
    assert list(case.events.filter(kind=CaseEvent.Kind.LETTER_RECEIVED)) != []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [worker.email]
    assert case.reference in mail.outbox[0].subject
    assert "Mustermann" not in mail.outbox[0].body + mail.outbox[0].subject
    assert item.department == case.department
    assert item.routing["reason"] in ("case", "case_untyped")
    assert item.delete_after >= case.delete_after


def test_a_complaint_quoting_a_case_goes_to_the_complaints_office_and_the_case_hears_of_it(
    departments, classifier, make_case
):
    case = make_case()

    item = _item(receive(_letter("complaint", f"Ihr Zeichen: {case.reference}")))

    assert item.document_type == "complaint", item.routing
    assert item.department.code == "010", item.routing
    assert item.matched_case == case
    assert case.events.filter(kind=CaseEvent.Kind.LETTER_RECEIVED).count() == 1
    # No caseworker yet: the department's address is told.
    assert mail.outbox[0].to == [case.department.email or departments["104"].email]


def test_running_a_finished_step_again_changes_nothing(departments, classifier, make_case):
    case = make_case()
    item = _item(receive(_letter("objection", f"Aktenzeichen {case.reference}")))
    audit_entries = AuditEntry.objects.count()

    for step in Step.values:
        assert step_run(item_id=item.pk, step=step) == "skipped"

    assert case.events.filter(kind=CaseEvent.Kind.LETTER_RECEIVED).count() == 1
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.count() == audit_entries


def test_a_letter_of_no_department_goes_to_the_triage_queue(departments, classifier):
    item = IntakeItem.objects.get(pk=receive(_letter("other")).item_id)

    assert item.status == Status.TRIAGE
    assert item.department.code == "400"
    assert item.routing["reason"] == "other"


def test_when_the_classifier_is_unsure_the_letter_goes_to_triage(departments, classifier):
    text = "Sehr geehrte Damen und Herren,\nbitte rufen Sie mich zurück.\nGruß"

    item = IntakeItem.objects.get(pk=receive(born_digital_pdf(text)).item_id)

    assert item.status == Status.TRIAGE
    assert item.abstained
    assert item.routing["reason"] in ("abstained", "other")


def test_without_a_trained_model_every_letter_goes_to_triage(departments):
    item = IntakeItem.objects.get(pk=receive(_letter("dog_tax")).item_id)

    assert item.status == Status.TRIAGE
    assert item.routing["reason"] == "no_model"


def test_a_failing_ocr_engine_is_retried_and_then_gives_a_dead_letter(
    departments, classifier, ocr_engine
):
    flaky_ocr = ocr_engine(FlakyOcr)
    flaky_ocr.failures = 2
    receipt = receive(letter_png(["Ich beantrage Wohngeld."]), "a.png")
    item = IntakeItem.objects.get(pk=receipt.item_id)
    # The failed attempt released the step; the reconciliation (or a deferred retry) runs it.
    assert (item.status, item.step, item.attempts, item.claim_token) == ("processing", "ocr", 1, "")
    assert step_run(item_id=item.pk, step=Step.OCR) == "retry"
    assert step_run(item_id=item.pk, step=Step.OCR) == "done"
    item.refresh_from_db()
    assert item.status in (Status.ROUTED, Status.TRIAGE)

    flaky_ocr.failures, flaky_ocr.calls = 100, 0
    item = IntakeItem.objects.get(pk=receive(letter_png(["Noch ein Brief."]), "b.png").item_id)
    for _attempt in range(MAX_ATTEMPTS - 1):
        step_run(item_id=item.pk, step=Step.OCR)
    item.refresh_from_db()
    assert item.status == Status.DEAD_LETTER
    assert (item.dead_letter_reason, item.dead_letter_step) == ("failed", "ocr")
    assert item.dead_letter_params["error"] == "OSError"


def test_a_worker_whose_lease_ran_out_discards_its_work_and_the_letter_is_routed_once(
    departments, classifier, ocr_engine
):
    """The lease of the OCR step runs out while Tesseract reads (the worker looks dead): the
    reconciliation hands the step to another worker, which finishes it. The first worker then
    finds its claim gone and throws its result away."""
    engine = ocr_engine(OvertakenOcr)

    item = _item(receive(letter_png(["Ich melde meinen Hund zur Hundesteuer an."]), "h.png"))

    assert engine.overtaken == 1
    assert item.status in (Status.ROUTED, Status.TRIAGE)
    assert AuditEntry.objects.filter(action="intake.routed").count() == 1
    # Only the committed searchable PDF is stored; the late worker's copy was removed.
    folder, name = item.searchable.name.rsplit("/", 1)
    assert default_storage.listdir(folder)[1] == [name]


def test_a_dead_letter_is_processed_again_once_its_cause_is_fixed(
    departments, classifier, settings
):
    settings.RATHAUS_INTAKE_MAX_PAGES = 1
    from .samples import pdf_join

    two_pages = pdf_join(_letter("dog_tax"), _letter("dog_tax", "Seite 2"))
    item = IntakeItem.objects.get(pk=receive(two_pages).item_id)
    assert (item.status, item.dead_letter_reason) == (Status.DEAD_LETTER, "too_many_pages")
    assert item.dead_letter_params == {"pages": 2, "limit": 1}

    settings.RATHAUS_INTAKE_MAX_PAGES = 100
    item_reprocess(item=item, actor=None)

    item.refresh_from_db()
    assert item.status == Status.ROUTED
    assert item.pages == 2
    assert item.dead_letter_reason == ""


def test_intake_run_prints_one_json_line_per_file(departments, classifier, tmp_path):
    letter = tmp_path / "hund.pdf"
    letter.write_bytes(_letter("dog_tax"))
    junk = tmp_path / "notiz.txt"
    junk.write_text("keine Post")

    out = io.StringIO()
    call_command("intake_run", str(letter), str(junk), str(letter), stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["file"] for line in lines] == [str(letter), str(junk), str(letter)]
    first, bad, again = lines
    assert (first["document_type"], first["department"], first["triage"]) == (
        "dog_tax",
        "201",
        False,
    )
    assert first["fields"]["sender"]["town"] == "Wuppertal"
    assert first["matched_case"] is None
    assert bad["status"] == "dead_letter" and bad["dead_letter"] == "not_a_document"
    assert again["duplicate"] is True and again["item"] == first["item"]


def test_a_training_example_is_made_when_staff_correct_the_type(departments, classifier):
    from rathaus.intake.services import item_classify_by_staff

    item = IntakeItem.objects.get(pk=receive(_letter("other")).item_id)
    clerk = staff(departments["400"])

    item_classify_by_staff(item=item, document_type="complaint", actor=clerk)

    item.refresh_from_db()
    assert (item.status, item.department.code, item.document_type) == ("routed", "010", "complaint")
    assert item.routing["reason"] == "staff"
    example = TrainingExample.objects.get(source="correction")
    assert (example.label, example.text) == ("complaint", item.ocr_text)
