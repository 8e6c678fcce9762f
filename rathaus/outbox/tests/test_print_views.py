import pytest
from django.test import Client
from django.urls import reverse

from rathaus.accounts.tests.factories import DepartmentFactory, UserFactory
from rathaus.applications.tests.upload_samples import pdf_blank
from rathaus.audit.models import AuditEntry
from rathaus.cases.tests.conftest import staff
from rathaus.outbox.models import BatchStatus, Letter, LetterStatus, PrintBatch
from rathaus.outbox.services import letter_queue, print_batch_create

pytestmark = pytest.mark.django_db

ADDRESS = ["Herrn Max Mustermann", "Hofaue 12", "42103 Wuppertal"]


@pytest.fixture
def print_staff(settings):
    return staff(DepartmentFactory(code=settings.RATHAUS_PRINT_DEPARTMENT, slug="druck"))


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _queue() -> Letter:
    return letter_queue(pdf=pdf_blank(), title="Bescheid", recipient_lines=ADDRESS)


def test_print_staff_make_download_and_post_a_batch(print_staff):
    _queue()
    _queue()
    client = _client(print_staff)
    page = client.get(reverse("outbox:print"))
    assert page.status_code == 200
    assert "2 Briefe warten auf den Druck." in page.content.decode()
    response = client.post(reverse("outbox:batch_create"), follow=True)
    batch = PrintBatch.objects.get()
    assert f"Druckauftrag {batch.pk} ist fertig (Briefe: 2)" in response.content.decode()
    pdf = client.get(reverse("outbox:batch_file", args=[batch.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    manifest = client.get(reverse("outbox:batch_file", args=[batch.pk, "manifest"]))
    assert b"42103" in b"".join(manifest.streaming_content)
    assert AuditEntry.objects.filter(action="print_batch.downloaded_pdf").count() == 1
    client.post(reverse("outbox:batch_mark", args=[batch.pk, "printed"]))
    client.post(reverse("outbox:batch_mark", args=[batch.pk, "posted"]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.POSTED
    # Posting twice is refused with a message, not an error page.
    again = client.post(reverse("outbox:batch_mark", args=[batch.pk, "posted"]), follow=True)
    assert again.status_code == 200 and "bereits" in again.content.decode()


def test_with_nothing_waiting_no_empty_batch_is_made(print_staff):
    response = _client(print_staff).post(reverse("outbox:batch_create"), follow=True)
    assert "Kein Brief wartet auf den Druck." in response.content.decode()
    assert not PrintBatch.objects.exists()


def test_unknown_batch_and_unknown_actions_are_refused(print_staff):
    _queue()
    batch = print_batch_create(actor=None)
    client = _client(print_staff)
    assert client.post(reverse("outbox:batch_mark", args=[999, "printed"])).status_code == 404
    assert client.post(reverse("outbox:batch_mark", args=[batch.pk, "ready"])).status_code == 403
    assert client.get(reverse("outbox:batch_file", args=[batch.pk, "letters"])).status_code == 403
    assert client.get(reverse("outbox:batch_mark", args=[batch.pk, "printed"])).status_code == 405
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY


@pytest.mark.parametrize("role", ["anonymous", "citizen", "caseworker", "administrator"])
def test_everyone_else_is_kept_out_and_changes_nothing(print_staff, role):
    _queue()
    waiting = _queue()
    batch = print_batch_create(actor=None)
    Letter.objects.filter(pk=waiting.pk).update(status=LetterStatus.QUEUED, batch=None)
    user = {
        "anonymous": None,
        "citizen": UserFactory(),
        "caseworker": staff(DepartmentFactory(code="104")),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }[role]
    if role == "administrator":
        from rathaus.accounts.tests.factories import totp_enable

        totp_enable(user)
    client = _client(user)
    requests = [
        ("get", reverse("outbox:print")),
        ("post", reverse("outbox:batch_create")),
        ("post", reverse("outbox:batch_mark", args=[batch.pk, "printed"])),
        ("get", reverse("outbox:batch_file", args=[batch.pk, "pdf"])),
        ("get", reverse("outbox:batch_file", args=[batch.pk, "manifest"])),
    ]
    for method, url in requests:
        response = getattr(client, method)(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
    assert PrintBatch.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY
    assert Letter.objects.filter(status=LetterStatus.QUEUED).count() == 1
    assert not AuditEntry.objects.filter(action__startswith="print_batch.downloaded").exists()
