"""Reconciliation (inputs = stored + duplicates + dead letters), recovery of stuck steps and
retention."""

import datetime
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from rathaus.core.retention import purgers
from rathaus.core.schedule import daily_jobs
from rathaus.intake.models import IntakeItem, Receipt, ReconciliationReport, Scanner, Status, Step
from rathaus.intake.reconciliation import reconciliation_figures
from rathaus.intake.services import (
    intake_orphans_purge,
    intake_recover,
    items_purge_expired,
    reports_purge_expired,
    scanner_create,
    scanner_deactivate,
    scanners_purge_expired,
)

from .conftest import receive
from .samples import batch_with_separators, born_digital_pdf

pytestmark = pytest.mark.django_db


def _letter(text: str) -> bytes:
    return born_digital_pdf(f"Erika Mustermann\n{text}\nGruß")


@pytest.fixture
def day_of_mail(departments):
    """Three letters, one of them twice, a batch of two letters and two broken files."""
    receive(_letter("Brief eins"))
    receive(_letter("Brief zwei"))
    receive(_letter("Brief zwei"))
    receive(batch_with_separators(_letter("A"), _letter("B")))
    receive(b"")
    receive(b"%PDF-1.4 kaputt")


def test_the_day_balances_inputs_against_stored_duplicates_and_dead_letters(day_of_mail):
    figures = reconciliation_figures(day=timezone.localdate())

    assert (figures["inputs"], figures["stored"], figures["duplicates"]) == (6, 3, 1)
    assert figures["dead_letters"] == 2
    assert figures["letters_separated"] == 2
    assert figures["by_status"][Status.SPLIT] == 1
    assert figures["balanced"] is True


def test_a_stored_file_that_went_missing_unbalances_the_day(day_of_mail):
    item = IntakeItem.objects.filter(status=Status.TRIAGE, parent=None).first()
    default_storage.delete(item.original.name)

    out = io.StringIO()
    with pytest.raises(CommandError, match="does not balance"):
        call_command("intake_reconcile", stdout=out)

    figures = json.loads(out.getvalue().splitlines()[-1])
    assert figures["missing_originals"] == 1
    assert ReconciliationReport.objects.get().balanced is False


def test_the_reconcile_command_prints_a_table_and_json(day_of_mail):
    out = io.StringIO()
    call_command("intake_reconcile", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["files", "received", "6"]
    assert json.loads(lines[-1])["balanced"] is True


def test_the_daily_job_reconciles_yesterday_and_keeps_the_report(departments):
    job = next(job for job in daily_jobs() if job.name == "intake.reconcile")

    job.task.enqueue()

    report = ReconciliationReport.objects.get()
    assert report.day == timezone.localdate() - datetime.timedelta(days=1)
    assert report.figures["inputs"] == 0 and report.balanced


def test_a_step_whose_worker_died_is_queued_again_and_finished(departments, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    item = IntakeItem.objects.get(pk=receive(_letter("Brief")).item_id)
    # A worker claimed the preflight and died: its lease is still running.
    IntakeItem.objects.filter(pk=item.pk).update(
        claim_token="dead", claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert intake_recover() == 0

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert intake_recover(now=later) == 1

    item.refresh_from_db()
    assert item.status == Status.TRIAGE
    assert item.claim_token == ""


def test_an_item_whose_task_went_missing_is_queued_again_after_an_hour(departments, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    item = IntakeItem.objects.get(pk=receive(_letter("Brief")).item_id)
    assert (item.status, item.step, item.claim_token) == (Status.PROCESSING, Step.PREFLIGHT, "")
    assert intake_recover(now=timezone.now() + datetime.timedelta(minutes=30)) == 0

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert intake_recover(now=timezone.now() + datetime.timedelta(minutes=61)) == 1

    item.refresh_from_db()
    assert item.status == Status.TRIAGE


# --- Retention -------------------------------------------------------------------------------


def test_every_intake_record_has_a_purger():
    names = {purger.name for purger in purgers()}
    assert {"intake.items", "intake.reports", "intake.scanners", "intake.orphans"} <= names


def test_expired_letters_are_deleted_with_their_files_and_receipts(departments):
    old = IntakeItem.objects.get(pk=receive(_letter("Alt")).item_id)
    receive(_letter("Alt"))  # a duplicate receipt of it
    kept = IntakeItem.objects.get(pk=receive(_letter("Neu")).item_id)
    files = [old.original.name, old.searchable.name]
    assert all(default_storage.exists(name) for name in files)
    IntakeItem.objects.filter(pk=old.pk).update(
        delete_after=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert items_purge_expired() == 1

    assert list(IntakeItem.objects.all()) == [kept]
    assert Receipt.objects.count() == 1
    assert not any(default_storage.exists(name) for name in files)


def test_a_letter_attached_to_a_case_is_kept_as_long_as_the_case(departments, make_case):
    case = make_case()
    item = IntakeItem.objects.get(pk=receive(_letter(f"Aktenzeichen {case.reference}")).item_id)

    assert item.matched_case == case
    assert item.delete_after == max(
        case.delete_after,
        timezone.localdate() + datetime.timedelta(days=365),
    )


def test_old_reports_switched_off_scanners_and_orphaned_files_are_deleted(departments):
    ReconciliationReport.objects.create(day=datetime.date(2020, 1, 1), figures={}, balanced=True)
    ReconciliationReport.objects.create(day=timezone.localdate(), figures={}, balanced=True)
    scanner_create(name="alt")
    scanner_deactivate(name="alt")
    scanner_create(name="neu")
    Scanner.objects.filter(name="alt").update(
        deactivated_at=timezone.now() - datetime.timedelta(days=400)
    )
    item = IntakeItem.objects.get(pk=receive(_letter("Brief")).item_id)
    orphan = default_storage.save("intake/originals/2020/01/verwaist.pdf", io.BytesIO(b"x"))
    old = (timezone.now() - datetime.timedelta(days=1)).timestamp()
    import os

    os.utime(default_storage.path(orphan), (old, old))

    assert reports_purge_expired() == 1
    assert scanners_purge_expired() == 1
    assert intake_orphans_purge() == 1

    assert list(Scanner.objects.values_list("name", flat=True)) == ["neu"]
    assert default_storage.exists(item.original.name) and default_storage.exists(
        item.searchable.name
    )
    assert not default_storage.exists(orphan)
