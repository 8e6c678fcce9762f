"""Intake channels: stored once by content, duplicates counted; the drop folder, the API with
scanner tokens, and the commands around them."""

import io
import json
import os
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from rathaus.audit.models import AuditEntry
from rathaus.intake.dropfolder import ABANDONED_AFTER, DropFolder
from rathaus.intake.models import Channel, IntakeItem, Receipt, Scanner, Status
from rathaus.intake.services import IntakeRefused, scanner_create

from .conftest import receive
from .samples import born_digital_pdf

pytestmark = pytest.mark.django_db

LETTER = born_digital_pdf("Erika Mustermann\nIch bitte um eine Meldebescheinigung.\nGruß")


# --- Content addressing ----------------------------------------------------------------------


def test_the_same_file_twice_is_stored_once_and_the_second_arrival_counted(departments):
    first = receive(LETTER, "brief.pdf")
    second = receive(LETTER, "brief-nochmal.pdf", channel=Channel.UPLOAD)

    assert IntakeItem.objects.count() == 1
    assert (first.duplicate, second.duplicate) == (False, True)
    assert second.item_id == first.item_id
    assert Receipt.objects.filter(duplicate=True).count() == 1
    assert AuditEntry.objects.filter(action="intake.duplicate_received").count() == 1


def test_the_same_delivery_again_gets_its_first_receipt(departments):
    first = receive(LETTER, key="api:1:abc:0")
    again = receive(LETTER, key="api:1:abc:0")

    assert again.pk == first.pk
    assert Receipt.objects.count() == 1


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(departments, settings):
    settings.RATHAUS_INTAKE_MAX_MB = 0

    with pytest.raises(IntakeRefused):
        receive(LETTER)

    assert not IntakeItem.objects.exists()
    assert not Receipt.objects.exists()


def test_the_transfer_note_records_source_time_pages_hash_and_anomalies(departments):
    item = IntakeItem.objects.get(pk=receive(LETTER, "Scan 0001.pdf").item_id)

    note = item.transfer_note
    assert note["channel"] == "command"
    assert note["sha256"] == item.sha256
    assert note["size"] == len(LETTER)
    assert note["pages"] == 1
    assert note["file_name"] == "Scan 0001.pdf"
    assert note["anomalies"] == []
    assert note["received_at"].startswith(str(item.received_at.year))


# --- The drop folder -------------------------------------------------------------------------


@pytest.fixture
def drop(tmp_path, departments):
    return DropFolder(tmp_path / "drop", settle_seconds=0)


def _age(path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_the_drop_folder_stores_new_files_and_moves_them_to_processed(drop):
    (drop.root / "scan-1.pdf").write_bytes(LETTER)
    (drop.root / "scan-2.pdf").write_bytes(LETTER)
    (drop.root / "scan-3.pdf.part").write_bytes(b"half written")
    (drop.root / ".hidden").write_bytes(b"x")

    report = drop.poll()

    assert (report.stored, report.duplicates, report.rejected) == (1, 1, 0)
    assert sorted(p.name for p in drop.root.iterdir() if p.is_file()) == [
        ".hidden",
        "scan-3.pdf.part",
    ]
    processed = [p.name for day in (drop.root / "processed").iterdir() for p in day.iterdir()]
    assert len(processed) == 2 and all(
        name.endswith(("scan-1.pdf", "scan-2.pdf")) for name in processed
    )
    assert not list((drop.root / "processing").iterdir())
    assert Receipt.objects.filter(channel=Channel.DROP_FOLDER).count() == 2
    assert IntakeItem.objects.get().file_name in ("scan-1.pdf", "scan-2.pdf")


def test_a_file_still_being_written_waits_for_the_next_poll(tmp_path, departments):
    drop = DropFolder(tmp_path / "drop", settle_seconds=30)
    (drop.root / "scan.pdf").write_bytes(LETTER)

    assert not drop.poll()
    _age(drop.root / "scan.pdf", 60)
    assert drop.poll().stored == 1


def test_a_file_left_behind_by_a_crashed_watcher_is_stored_once(drop):
    # The watcher claimed two files and died: one before storing it, one after.
    stored_before = drop.root / "processing" / "c0ffee--vorher.pdf"
    stored_before.write_bytes(born_digital_pdf("Brief A"))
    receive(
        stored_before.read_bytes(), "vorher.pdf", channel=Channel.DROP_FOLDER, key="drop:c0ffee"
    )
    not_stored = drop.root / "processing" / "beef--nachher.pdf"
    not_stored.write_bytes(born_digital_pdf("Brief B"))
    for path in (stored_before, not_stored):
        _age(path, ABANDONED_AFTER.total_seconds() + 5)

    report = drop.poll()

    assert (report.stored, report.duplicates) == (2, 0)
    assert IntakeItem.objects.count() == 2
    assert Receipt.objects.count() == 2  # the first file was not counted twice
    assert not list((drop.root / "processing").iterdir())


def test_a_claimed_file_of_a_living_watcher_is_left_alone(drop):
    claimed = drop.root / "processing" / "a1--jetzt.pdf"
    claimed.write_bytes(LETTER)

    assert not drop.poll()
    assert claimed.exists()


def test_a_file_over_the_size_limit_goes_to_rejected_with_the_reason(drop, settings):
    settings.RATHAUS_INTAKE_MAX_MB = 0
    (drop.root / "riesig.pdf").write_bytes(LETTER)

    assert drop.poll().rejected == 1

    assert (drop.root / "rejected" / "riesig.pdf").read_bytes() == LETTER
    assert "RATHAUS_INTAKE_MAX_MB" in (drop.root / "rejected" / "riesig.pdf.reason.txt").read_text()
    assert not Receipt.objects.exists()


def test_processed_copies_are_removed_after_the_keep_days(drop):
    old = drop.root / "processed" / "2020-01-01"
    old.mkdir()
    (old / "x--scan.pdf").write_bytes(b"x")
    (drop.root / "scan.pdf").write_bytes(LETTER)
    drop.poll()

    assert drop.clean_processed(keep_days=14) == 1

    assert not old.exists()
    assert len(list((drop.root / "processed").iterdir())) == 1


def test_intake_watch_polls_the_configured_folder(tmp_path, departments, settings):
    settings.RATHAUS_INTAKE_DROP_DIR = str(tmp_path / "drop")
    (tmp_path / "drop").mkdir()
    (tmp_path / "drop" / "scan.pdf").write_bytes(LETTER)
    _age(tmp_path / "drop" / "scan.pdf", 60)
    out = io.StringIO()

    call_command("intake_watch", "--once", stdout=out)

    assert "stored 1" in out.getvalue()
    assert IntakeItem.objects.get().channel == Channel.DROP_FOLDER


def test_intake_watch_needs_a_folder(settings):
    settings.RATHAUS_INTAKE_DROP_DIR = ""

    with pytest.raises(CommandError, match="RATHAUS_INTAKE_DROP_DIR"):
        call_command("intake_watch", "--once")


# --- The API -----------------------------------------------------------------------------------


@pytest.fixture
def token(departments):
    _scanner, token = scanner_create(name="Scanstraße 1")
    return token


def _post(token: str | None, files: dict | None = None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().post(reverse("api_intake"), files or {}, **headers)


def _upload(data: bytes = LETTER, name: str = "scan.pdf"):
    return io.BytesIO(data), name


def test_a_scanner_posts_a_scan_and_reads_its_status(token):
    data, name = _upload()
    data.name = name

    response = _post(token, {"file": data})

    assert response.status_code == 201
    receipt = response.json()["receipts"][0]
    assert receipt["duplicate"] is False
    item = IntakeItem.objects.get(public_id=receipt["item"])
    assert (item.channel, item.scanner.name) == (Channel.API, "Scanstraße 1")
    status = Client().get(receipt["status_url"], HTTP_AUTHORIZATION=f"Bearer {token}")
    assert status.status_code == 200
    assert status.json()["status"] == Status.TRIAGE
    assert "Mustermann" not in status.content.decode()


def test_the_api_recognises_a_duplicate_and_a_repeated_request(token):
    def post(key=""):
        data = io.BytesIO(LETTER)
        data.name = "scan.pdf"
        return _post(token, {"file": data}, **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}))

    first = post("batch-7").json()["receipts"][0]
    repeated = post("batch-7").json()["receipts"][0]
    another = post().json()["receipts"][0]

    assert repeated == first
    assert another["duplicate"] is True and another["item"] == first["item"]
    assert Receipt.objects.count() == 2


@pytest.mark.parametrize("auth", [None, "wrong", "Basic abc"])
def test_the_api_refuses_without_a_valid_token(token, auth):
    data = io.BytesIO(LETTER)
    data.name = "scan.pdf"
    headers = {"HTTP_AUTHORIZATION": auth} if auth and " " in auth else {}
    response = _post(auth if auth and " " not in auth else None, {"file": data}, **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not IntakeItem.objects.exists()


def test_a_switched_off_scanner_is_refused(token):
    call_command("intake_scanner", "deactivate", "Scanstraße 1", stdout=io.StringIO())
    data = io.BytesIO(LETTER)
    data.name = "scan.pdf"

    assert _post(token, {"file": data}).status_code == 401


def test_the_api_explains_bad_requests(token, settings):
    assert _post(token).status_code == 400
    assert "file" in _post(token).json()["error"]
    assert Client().get(reverse("api_intake")).status_code == 405
    data = io.BytesIO(LETTER)
    data.name = "scan.pdf"
    assert _post(token, {"file": data}, HTTP_IDEMPOTENCY_KEY="a b").status_code == 400
    settings.RATHAUS_INTAKE_MAX_MB = 0
    data.seek(0)
    response = _post(token, {"file": data})
    assert response.status_code == 413
    assert not IntakeItem.objects.exists()


def test_a_scanner_sees_only_its_own_files(token):
    data = io.BytesIO(LETTER)
    data.name = "scan.pdf"
    url = _post(token, {"file": data}).json()["receipts"][0]["status_url"]
    _other, other_token = scanner_create(name="Poststelle Barmen")

    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {other_token}").status_code == 404


def test_the_scanner_command_prints_the_token_once_and_stores_its_hash(departments):
    out = io.StringIO()
    call_command("intake_scanner", "add", "Scanner Elberfeld", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]

    scanner = Scanner.objects.get(name="Scanner Elberfeld")
    assert token not in json.dumps(list(Scanner.objects.values()), default=str)
    assert scanner.token_hint == token[:6]
    listing = io.StringIO()
    call_command("intake_scanner", "list", stdout=listing)
    assert "Scanner Elberfeld" in listing.getvalue() and token not in listing.getvalue()
    with pytest.raises(CommandError):
        call_command("intake_scanner", "add", "Scanner Elberfeld", stdout=io.StringIO())
