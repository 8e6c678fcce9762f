"""The bad-upload corpus through the portal: every file is refused with a 4xx and a message,
and nothing is stored (no attachment row, no file)."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rathaus.applications.models import Application, Attachment

from . import upload_samples as samples
from .test_flow import ADDRESS_IN_ZONE

pytestmark = pytest.mark.django_db

CORPUS = {
    "html with pdf extension": ("bescheid.pdf", samples.html_page),
    "svg with script": ("foto.png", samples.svg_with_script),
    "zip renamed to pdf": ("antrag.pdf", samples.zip_archive),
    "zip bomb": ("bomb.pdf", samples.zip_bomb),
    "pixel bomb png": ("scan.png", lambda: samples.png_bomb(10000, 10000)),
    "encrypted pdf": ("gesperrt.pdf", samples.pdf_encrypted),
    "pdf with javascript": ("aktiv.pdf", samples.pdf_with_javascript_open_action),
    "pdf with embedded file": ("anhang.pdf", samples.pdf_with_embedded_file),
    "broken pdf": ("kaputt.pdf", lambda: samples.pdf_blank()[:200]),
    "gif": ("bild.jpg", samples.gif),
    "oversized pdf": ("gross.pdf", lambda: samples.pdf_blank() + b"%" * (1024 * 1024)),
    "empty file": ("leer.pdf", lambda: b""),
    "path traversal name with html": ("../../../etc/passwd.pdf", samples.html_page),
}


@pytest.fixture
def at_upload_step(citizen, small_service):
    citizen.post(reverse("applications:start", args=[small_service.slug]))
    application = Application.objects.get()
    step = lambda name, data: citizen.post(  # noqa: E731
        reverse("applications:step", args=[application.public_id, name]), data
    )
    step("kind", {"kind": "change"})
    step("address", ADDRESS_IN_ZONE)
    return citizen, application


@pytest.mark.parametrize("case", list(CORPUS), ids=list(CORPUS))
def test_a_bad_upload_is_refused_and_nothing_is_stored(at_upload_step, case):
    client, application = at_upload_step
    name, make = CORPUS[case]
    upload = SimpleUploadedFile(name, make(), content_type="application/pdf")
    url = reverse("applications:step", args=[application.public_id, "proof"])
    response = client.post(url, {"proof": upload})
    assert 400 <= response.status_code < 500
    errors = response.context["form"].errors["proof"]
    assert errors and all(str(e) for e in errors)
    assert 'id="id_proof-error"' in response.content.decode()
    assert not Attachment.objects.exists()
    application.refresh_from_db()
    assert "proof" not in application.answers
    media = settings.MEDIA_ROOT
    stored = [f for _, _, files in os.walk(media) for f in files] if os.path.isdir(media) else []
    assert stored == []


def test_a_good_upload_of_each_kind_is_stored_under_a_generated_name(at_upload_step):
    client, application = at_upload_step
    url = reverse("applications:step", args=[application.public_id, "proof"])
    for name, content in [
        ("../../nachweis.pdf", samples.pdf_blank()),
        ("foto.jpg", samples.jpeg_with_gps()),
        ("scan.png", samples.png_with_text()),
    ]:
        response = client.post(url, {"proof": SimpleUploadedFile(name, content)})
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        stem = attachment.file.name.rsplit("/", 1)[1].split(".")[0]
        assert uuid.UUID(stem)
        assert ".." not in attachment.display_name and "/" not in attachment.display_name
