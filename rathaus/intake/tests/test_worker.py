"""A real `manage.py db_worker` killed with SIGKILL in the middle of OCR: once a worker is back,
the letter is processed, and every effect happens exactly once.

PostgreSQL only: the worker is another process and needs a database it can share (the SQLite
test database lives in memory). CI runs it in its PostgreSQL pass.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.cases.models import CaseEvent
from rathaus.cases.services import case_assign
from rathaus.intake.models import IntakeItem, Status, Step
from rathaus.intake.services import intake_recover
from rathaus.outbox.models import OutgoingEmail

from .conftest import receive, staff
from .corpus import SENTENCES
from .samples import letter_png

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LEASE_SECONDS = 2


def _worker(tmp_path, settings) -> subprocess.Popen:
    """`manage.py db_worker` with production settings on the test database and files."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{db['PASSWORD']}@", 1)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RATHAUS_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        RATHAUS_VAR_DIR=str(tmp_path / "worker-var"),
        RATHAUS_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        # The keys and seal of this test (the system checks ask for them).
        RATHAUS_TOKEN_KEYS_DIR=str(settings.RATHAUS_TOKEN_KEYS_DIR),
        RATHAUS_SEAL_KEY_FILE=settings.RATHAUS_SEAL_KEY_FILE,
        RATHAUS_SEAL_CERT_FILE=settings.RATHAUS_SEAL_CERT_FILE,
        RATHAUS_SEAL_CHAIN_FILE=settings.RATHAUS_SEAL_CHAIN_FILE,
        RATHAUS_SEAL_KEY_PASSPHRASE=settings.RATHAUS_SEAL_KEY_PASSPHRASE,
        RATHAUS_PAYEE_NAME="Stadtkasse Wuppertal",
        RATHAUS_PAYEE_IBAN="DE48123456780000042026",
        RATHAUS_INTAKE_LEASE_SECONDS=str(LEASE_SECONDS),
        RATHAUS_LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        start_new_session=True,  # its own process group, with OCRmyPDF's processes
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill(worker: subprocess.Popen) -> None:
    """SIGKILL to the worker and every process it started, as when its machine dies."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def _wait_for(condition, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def _tesseract_reading(worker: subprocess.Popen) -> bool:
    """Whether the worker has started to read with Tesseract: it loads the library into its
    own process for its first page (Linux /proc)."""
    maps = f"/proc/{worker.pid}/maps"
    with contextlib.suppress(OSError), open(maps, encoding="utf-8", errors="replace") as handle:
        return "libtesseract" in handle.read()
    return False


def test_a_worker_killed_during_ocr_leaves_the_letter_to_the_next_worker_exactly_once(
    departments, classifier, make_case, settings, tmp_path
):
    settings.TASKS = DB_QUEUE
    case = make_case()
    worker_user = staff(case.department)
    case_assign(case=case, assignee=worker_user, actor=worker_user)
    scan = letter_png(
        ["Erika Mustermann, Hauptstraße 5, 42103 Wuppertal", f"Aktenzeichen {case.reference}"]
        + SENTENCES["objection"]
    )
    item = IntakeItem.objects.get(pk=receive(scan, "widerspruch.png").item_id)
    assert (item.status, item.step) == (Status.PROCESSING, Step.PREFLIGHT)

    first = _worker(tmp_path, settings)
    try:
        _wait_for(
            lambda: (
                first.poll() is None
                and IntakeItem.objects.filter(pk=item.pk, step=Step.OCR)
                .exclude(claim_token="")
                .exists()
            ),
            timeout=90,
            what="the worker to start OCR",
        )
        # Killed while Tesseract is reading the page, however quick it is.
        _wait_for(
            lambda: _tesseract_reading(first),
            timeout=30,
            what="Tesseract to read the page",
            interval=0.01,
        )
    except AssertionError:
        raise AssertionError(first.stderr.read()[-3000:].decode()) from None
    finally:
        _kill(first)

    item.refresh_from_db()
    assert (item.status, item.step, item.attempts) == (Status.PROCESSING, Step.OCR, 1)
    assert item.ocr_text == "" and not item.searchable
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.LETTER_RECEIVED).exists()

    # Nothing happens while the dead worker's lease runs; then the reconciliation queues the
    # step again (the daily job, `intake_reconcile` from cron or `intake_watch` every minute).
    assert intake_recover() == 0
    _wait_for(
        lambda: IntakeItem.objects.get(pk=item.pk).claimed_until < timezone.now(),
        timeout=LEASE_SECONDS * 5,
        what="the lease to run out",
    )
    assert intake_recover() == 1

    second = _worker(tmp_path, settings)
    try:
        done = _wait_for(
            lambda: IntakeItem.objects.filter(pk=item.pk).exclude(status=Status.PROCESSING).first(),
            timeout=180,
            what="the second worker to finish the letter",
        )
    finally:
        _kill(second)
    assert done.status == Status.ROUTED, done.dead_letter_reason
    assert "Widerspruch" in done.ocr_text and done.searchable
    assert done.matched_case == case and done.department == case.department
    # Exactly once: one timeline entry, one e-mail to the caseworker, one routing.
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.LETTER_RECEIVED).count() == 1
    assert OutgoingEmail.objects.filter(subject__contains=case.reference).count() == 1
    assert AuditEntry.objects.filter(action="intake.routed").count() == 1
    assert AuditEntry.objects.filter(action="intake.matched").count() == 1
