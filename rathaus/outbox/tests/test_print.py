"""Central print: letters wait in the outbox, a batch merges them with a cover sheet and a
manifest, print staff mark it printed and posted, and no letter is ever lost or printed twice."""

import csv
import datetime
import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pikepdf
import pytest
from django.db import connection
from django.utils import timezone

from rathaus.accounts.tests.factories import UserFactory
from rathaus.applications.tests.upload_samples import pdf_blank
from rathaus.audit.models import AuditEntry
from rathaus.cases.models import CaseEvent
from rathaus.outbox.models import BatchStatus, Letter, LetterStatus, PrintBatch
from rathaus.outbox.services import (
    LetterError,
    letter_queue,
    print_batch_create,
    print_batch_mark,
    print_purge_expired,
)

pytestmark = pytest.mark.django_db

ADDRESS = ["Frau Erika Beispiel", "Luisenstraße 7", "42103 Wuppertal"]


def _queue(pages: int = 1, **kwargs) -> Letter:
    return letter_queue(pdf=pdf_blank(pages), title="Bescheid", recipient_lines=ADDRESS, **kwargs)


def _files(settings) -> set[str]:
    root = settings.MEDIA_ROOT
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


@pytest.mark.parametrize(
    ("pdf", "lines", "code"),
    [
        (b"%PDF-1.7 broken", ADDRESS, "pdf"),
        (b"", ADDRESS, "pdf"),
        (None, ["Frau Erika Beispiel", "42103 Wuppertal"], "address"),
        (None, ["Frau Erika Beispiel", "Luisenstraße 7", "Wuppertal"], "postcode"),
        (None, [*ADDRESS, "a", "b", "c", "d"], "address"),
    ],
)
def test_a_letter_that_cannot_be_posted_is_refused_and_leaves_nothing(settings, pdf, lines, code):
    with pytest.raises(LetterError) as error:
        letter_queue(
            pdf=pdf_blank() if pdf is None else pdf, title="Bescheid", recipient_lines=lines
        )
    assert error.value.code == code
    assert str(error.value.message)
    assert not Letter.objects.exists()
    assert _files(settings) == set()


def test_a_batch_merges_the_waiting_letters_with_a_cover_sheet_and_a_manifest(make_case):
    case = make_case()
    letters = [_queue(2, case=case), _queue(1), _queue(3)]
    batch = print_batch_create(actor=None)
    assert batch.letter_count == 3
    with batch.file.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        cover_pages = len(pdf.pages) - 6
        assert cover_pages >= 1
        assert batch.page_count == len(pdf.pages)
    with batch.manifest.open("rb") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read().decode("utf-8"))))
    assert [r["reference"] for r in rows] == [case.reference, "", ""]
    assert [int(r["pages"]) for r in rows] == [2, 1, 3]
    assert [int(r["first_page"]) for r in rows] == [
        cover_pages + 1,
        cover_pages + 3,
        cover_pages + 4,
    ]
    assert {r["postcode"] for r in rows} == {"42103"}
    for letter in letters:
        letter.refresh_from_db()
        assert (letter.status, letter.batch) == (LetterStatus.BATCHED, batch)
    # Nothing waits any more: no empty batch.
    assert print_batch_create(actor=None) is None
    assert PrintBatch.objects.count() == 1


def test_a_failing_batch_leaves_every_letter_waiting_and_no_file(settings):
    good = _queue()
    broken = _queue()
    broken.file.storage.delete(broken.file.name)  # the print copy went missing
    files_before = _files(settings)
    with pytest.raises(FileNotFoundError):
        print_batch_create(actor=None)
    assert not PrintBatch.objects.exists()
    assert set(Letter.objects.values_list("status", flat=True)) == {LetterStatus.QUEUED}
    assert _files(settings) == files_before
    assert Letter.objects.filter(pk=good.pk, batch=None).exists()


def test_print_staff_mark_a_batch_printed_then_posted_and_the_timeline_shows_it(make_case):
    case = make_case()
    _queue(case=case)
    staff = UserFactory()
    batch = print_batch_create(actor=staff)
    with pytest.raises(LetterError):
        print_batch_mark(batch=batch, status=BatchStatus.POSTED, actor=staff)
    print_batch_mark(batch=batch, status=BatchStatus.PRINTED, actor=staff)
    assert set(batch.letters.values_list("status", flat=True)) == {LetterStatus.PRINTED}
    assert not case.events.filter(kind=CaseEvent.Kind.LETTER_POSTED).exists()
    print_batch_mark(batch=batch, status=BatchStatus.POSTED, actor=staff)
    assert set(batch.letters.values_list("status", flat=True)) == {LetterStatus.POSTED}
    assert case.events.filter(kind=CaseEvent.Kind.LETTER_POSTED).count() == 1
    with pytest.raises(LetterError):
        print_batch_mark(batch=batch, status=BatchStatus.POSTED, actor=staff)
    assert list(
        AuditEntry.objects.filter(object_type="outbox.printbatch").values_list("action", flat=True)
    ) == ["print_batch.created", "print_batch.printed", "print_batch.posted"]


def test_print_copies_are_deleted_after_the_retention_period(settings):
    _queue()
    batch = print_batch_create(actor=None)
    print_batch_mark(batch=batch, status=BatchStatus.PRINTED, actor=None)
    print_batch_mark(batch=batch, status=BatchStatus.POSTED, actor=None)
    waiting = _queue()
    assert print_purge_expired() == 0
    PrintBatch.objects.filter(pk=batch.pk).update(
        posted_at=timezone.now()
        - datetime.timedelta(days=settings.RATHAUS_PRINT_RETENTION_DAYS + 1)
    )
    assert print_purge_expired() == 2  # the letter and its batch
    assert list(Letter.objects.all()) == [waiting]
    assert _files(settings) == {waiting.file.name}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_batches_made_at_the_same_moment_never_share_or_lose_a_letter():
    letters = {_queue().pk for _ in range(40)}
    count = 4
    barrier = threading.Barrier(count)

    def make(_: int) -> list[int]:
        barrier.wait()
        try:
            batches = []
            while (batch := print_batch_create(actor=None, limit=7)) is not None:
                batches.append(batch.pk)
            return batches
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        made = [pk for batches in pool.map(make, range(count)) for pk in batches]

    assert len(made) == len(set(made))
    in_batches = [
        pk
        for batch in PrintBatch.objects.all()
        for pk in batch.letters.values_list("pk", flat=True)
    ]
    assert sorted(in_batches) == sorted(letters)  # each letter exactly once
    assert sum(PrintBatch.objects.values_list("letter_count", flat=True)) == len(letters)
    assert not Letter.objects.filter(status=LetterStatus.QUEUED).exists()
