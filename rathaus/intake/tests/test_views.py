"""The back office: mail inbox, letter page with scan, post room, triage, dead letters, and who
may do what (permission matrix)."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from rathaus.accounts.models import Role
from rathaus.accounts.tests.factories import UserFactory, totp_enable
from rathaus.audit.models import AuditEntry
from rathaus.classifier.models import TrainingExample
from rathaus.intake.models import IntakeItem, Status
from rathaus.intake.services import item_classify_by_staff

from .conftest import receive, staff
from .samples import born_digital_pdf

pytestmark = pytest.mark.django_db

TEXT = "Erika Mustermann\nHauptstraße 5\n42103 Wuppertal\nIch melde meinen Hund Bello an.\nGruß"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def letter(departments, post_room):
    """A letter the post room sent to the tax office (201)."""
    item = IntakeItem.objects.get(pk=receive(born_digital_pdf(TEXT), "hund.pdf").item_id)
    return item_classify_by_staff(item=item, document_type="dog_tax", actor=post_room)


@pytest.fixture
def tax_office(departments):
    return staff(departments["201"])


def test_the_department_reads_a_letter_from_its_mail_inbox(letter, tax_office):
    client = _client(tax_office)

    inbox = client.get(reverse("intake:inbox")).content.decode()
    assert reverse("intake:item", args=[letter.public_id]) in inbox
    assert "Hundesteuer" in inbox and "Erika Mustermann" in inbox

    page = client.get(reverse("intake:item", args=[letter.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ich melde meinen Hund Bello an." in html  # the recognised text
    assert "42103" in html  # the extracted sender
    assert "hat die Dokumentart" in html  # why it is here
    assert AuditEntry.objects.filter(action="intake.item_viewed").count() == 1


def test_the_scan_opens_inline_and_the_original_downloads_and_both_are_logged(letter, tax_office):
    client = _client(tax_office)

    scan = client.get(reverse("intake:scan", args=[letter.public_id, "pdf"]))
    original = client.get(reverse("intake:scan", args=[letter.public_id, "original"]))

    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    assert scan["Content-Disposition"].startswith("inline")
    assert original["Content-Disposition"].startswith("attachment")
    with letter.original.open("rb") as stored:
        assert b"".join(original.streaming_content) == stored.read()
    assert AuditEntry.objects.filter(action="intake.scan_viewed").count() == 2


def test_the_department_marks_a_letter_done(letter, tax_office):
    client = _client(tax_office)

    response = client.post(reverse("intake:done", args=[letter.public_id]))

    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.done_by) == (Status.DONE, tax_office)
    done = client.get(reverse("intake:inbox") + "?department=201&erledigt=1").content.decode()
    assert reverse("intake:item", args=[letter.public_id]) in done


def test_a_letter_sent_to_another_department_teaches_the_classifier(letter, tax_office):
    client = _client(tax_office)

    response = client.post(
        reverse("intake:classify", args=[letter.public_id]), {"document_type": "complaint"}
    )

    letter.refresh_from_db()
    assert (letter.department.code, letter.document_type) == ("010", "complaint")
    # The tax office no longer sees it.
    assert response.status_code == 302 and response["Location"].endswith("/amt/post/")
    assert client.get(reverse("intake:item", args=[letter.public_id])).status_code == 404
    assert TrainingExample.objects.get(source="correction").label == "complaint"


def test_sending_on_without_a_type_shows_the_error(letter, tax_office):
    response = _client(tax_office).post(
        reverse("intake:classify", args=[letter.public_id]), {"document_type": ""}
    )

    assert response.status_code == 422
    assert "<title>Fehler:" in response.content.decode()
    letter.refresh_from_db()
    assert letter.department.code == "201"


def test_the_post_room_uploads_several_files_and_triages_them(departments, post_room):
    client = _client(post_room)
    files = [
        SimpleUploadedFile("a.pdf", born_digital_pdf(TEXT)),
        SimpleUploadedFile("b.pdf", born_digital_pdf("Zweiter Brief")),
        SimpleUploadedFile("a-kopie.pdf", born_digital_pdf(TEXT)),
    ]

    response = client.post(reverse("intake:upload"), {"files": files}, follow=True)

    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    assert "2" in message and "1" in message  # two new files, one received before
    assert IntakeItem.objects.count() == 2
    triage = client.get(reverse("intake:triage")).content.decode()
    waiting = IntakeItem.objects.filter(status=Status.TRIAGE)
    assert waiting.count() == 2
    assert all(reverse("intake:item", args=[i.public_id]) in triage for i in waiting)

    item = waiting.first()
    client.post(
        reverse("intake:classify", args=[item.public_id]),
        {"document_type": "registration", "department": ""},
    )
    item.refresh_from_db()
    assert (item.status, item.department.code) == (Status.ROUTED, "102")
    assert item.operator == post_room


def test_an_upload_without_files_or_with_a_too_large_one_stores_nothing(
    departments, post_room, settings
):
    client = _client(post_room)

    empty = client.post(reverse("intake:upload"), {})
    settings.RATHAUS_INTAKE_MAX_MB = 0
    large = client.post(
        reverse("intake:upload"), {"files": [SimpleUploadedFile("gross.pdf", b"%PDF" * 10)]}
    )

    for response in (empty, large):
        assert response.status_code == 422
        assert "site-error-summary" in response.content.decode()
    assert "gross.pdf" in large.content.decode()
    assert not IntakeItem.objects.exists()


def test_the_post_room_reprocesses_dead_letters(departments, post_room, settings):
    settings.RATHAUS_INTAKE_MAX_PAGES = 0
    item = IntakeItem.objects.get(pk=receive(born_digital_pdf(TEXT)).item_id)
    other = IntakeItem.objects.get(pk=receive(born_digital_pdf("Anderer Brief")).item_id)
    client = _client(post_room)

    page = client.get(reverse("intake:dead_letters")).content.decode()
    assert "höchstens 0" in page or "at most 0" in page

    settings.RATHAUS_INTAKE_MAX_PAGES = 10
    client.post(reverse("intake:reprocess", args=[item.public_id]))
    item.refresh_from_db()
    assert item.status == Status.TRIAGE
    client.post(reverse("intake:reprocess_all"))
    other.refresh_from_db()
    assert other.status == Status.TRIAGE


def test_the_post_room_sees_the_reconciliation(departments, post_room):
    receive(born_digital_pdf(TEXT))
    receive(born_digital_pdf(TEXT))

    html = _client(post_room).get(reverse("intake:post_room")).content.decode()

    assert "Abgleich" in html or "Reconciliation" in html
    assert ">2<" in html and ">1<" in html


def test_the_separator_sheet_carries_the_code(departments, post_room, tmp_path):
    response = _client(post_room).get(reverse("intake:separator_sheet"))

    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "trennblatt.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(  # noqa: S603
        ["/usr/bin/pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    decoded = subprocess.run(  # noqa: S603
        ["/usr/bin/zbarimg", "--quiet", "--raw", "--nodbus", str(tmp_path / "p.png")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert decoded.stdout.strip() == "RATHAUS-TRENNBLATT"


# --- Permission matrix -----------------------------------------------------------------------


def _by_item(name, *extra):
    return lambda item: reverse(name, args=[item.public_id, *extra])


ACTIONS = {
    "inbox": ("get", lambda item: reverse("intake:inbox"), {}),
    "item": ("get", _by_item("intake:item"), {}),
    "scan": ("get", _by_item("intake:scan", "pdf"), {}),
    "original": ("get", _by_item("intake:scan", "original"), {}),
    "classify": ("post", _by_item("intake:classify"), {"document_type": "complaint"}),
    "done": ("post", _by_item("intake:done"), {}),
    "reprocess": ("post", _by_item("intake:reprocess"), {}),
    "post_room": ("get", lambda item: reverse("intake:post_room"), {}),
    "upload": (
        "post",
        lambda item: reverse("intake:upload"),
        {"files": lambda: SimpleUploadedFile("x.pdf", born_digital_pdf("x"))},
    ),
    "triage": ("get", lambda item: reverse("intake:triage"), {}),
    "dead_letters": ("get", lambda item: reverse("intake:dead_letters"), {}),
    "reprocess_all": ("post", lambda item: reverse("intake:reprocess_all"), {}),
    "separator_sheet": ("get", lambda item: reverse("intake:separator_sheet"), {}),
}
ROLES = ["anonymous", "citizen", "other_department", "administrator", "post_room"]
# What the post room may do with a letter that it has sent to a department: only its own pages.
POST_ROOM_ALLOWED = {
    "inbox",
    "post_room",
    "upload",
    "triage",
    "dead_letters",
    "reprocess_all",
    "separator_sheet",
}


def _state() -> list:
    return list(
        IntakeItem.objects.order_by("pk").values_list("status", "department__code", "done_at")
    )


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_forbidden_cells_of_the_permission_matrix_change_nothing(letter, departments, role, action):
    user = {
        "anonymous": None,
        "citizen": UserFactory(),
        "other_department": staff(departments["104"]),
        "administrator": UserFactory(is_staff=True, is_superuser=True),
        "post_room": staff(departments["400"]),
    }[role]
    if role == "administrator":
        totp_enable(user)
    if role == "post_room" and action in POST_ROOM_ALLOWED:
        pytest.skip("allowed: the post room's own pages")
    if role == "other_department" and action in ("inbox", "separator_sheet"):
        pytest.skip("allowed: every department has a mail inbox and may print separator sheets")
    before = _state()
    method, url, data = ACTIONS[action]
    data = {key: value() if callable(value) else value for key, value in data.items()}

    response = getattr(_client(user), method)(url(letter), data)

    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404), response.status_code
        assert "Mustermann" not in response.content.decode()
    assert _state() == before


def test_the_matched_case_department_sees_the_letter_too(departments, make_case, post_room):
    case = make_case()
    item = IntakeItem.objects.get(
        pk=receive(born_digital_pdf(f"Betreff: {case.reference}\nIch melde mich um.")).item_id
    )
    item_classify_by_staff(item=item, document_type="complaint", actor=post_room)
    worker = staff(case.department, role=Role.CASEWORKER)

    page = _client(worker).get(reverse("intake:item", args=[item.public_id]))

    assert page.status_code == 200
    assert reverse("cases:detail", args=[case.reference]) in page.content.decode()
    inbox = _client(worker).get(reverse("intake:inbox") + f"?department={case.department.code}")
    assert reverse("intake:item", args=[item.public_id]) in inbox.content.decode()


def test_a_broken_routing_table_is_explained_and_nothing_changes(
    letter, tax_office, settings, tmp_path
):
    (tmp_path / "intake.yaml").write_text("triage_department: '400'\ntypes: {}\n")
    settings.RATHAUS_CATALOG_DIR = tmp_path
    client = _client(tax_office)

    page = client.get(reverse("intake:item", args=[letter.public_id])).content.decode()
    response = client.post(
        reverse("intake:classify", args=[letter.public_id]), {"document_type": "complaint"}
    )

    assert "intake.yaml" in page
    assert response.status_code == 503
    letter.refresh_from_db()
    assert letter.department.code == "201"


def test_a_scan_file_that_went_missing_is_not_found(letter, tax_office):
    from django.core.files.storage import default_storage

    default_storage.delete(letter.searchable.name)

    response = _client(tax_office).get(reverse("intake:scan", args=[letter.public_id, "pdf"]))

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="intake.scan_viewed").exists()


def test_the_transfer_note_is_a_sealed_pdf_for_those_who_may_see_the_letter(
    letter, tax_office, departments, tmp_path
):
    client = _client(tax_office)
    page = client.get(reverse("intake:item", args=[letter.public_id])).content.decode()
    url = reverse("intake:transfer_note", args=[letter.public_id])
    assert url in page

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/ByteRange" in response.content
    (tmp_path / "note.pdf").write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 (our own file)
        ["pdftotext", str(tmp_path / "note.pdf"), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    letter.refresh_from_db()
    assert letter.sha256 in "".join(text.split())
    assert "hund.pdf" in text and "SHA-256" in text
    assert AuditEntry.objects.filter(action="intake.transfer_note").count() == 1

    assert _client(staff(departments["104"])).get(url).status_code == 404


def test_without_a_usable_seal_the_transfer_note_says_so(letter, tax_office, settings, english):
    settings.RATHAUS_SEAL_KEY_FILE = ""
    url = reverse("intake:transfer_note", args=[letter.public_id])
    response = _client(tax_office).get(url, follow=True)
    assert response.status_code == 200
    assert "transfer note cannot be produced" in response.content.decode()
    assert not AuditEntry.objects.filter(action="intake.transfer_note").exists()
