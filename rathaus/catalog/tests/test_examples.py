"""Every example submission in catalog/<slug>/examples/ goes through the real portal views.

Valid examples must end in a case (with the expected fee); invalid ones must stop at the expected
step with the expected message next to the expected field, and store nothing.
"""

import datetime
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.tests.factories import UserFactory
from rathaus.applications.models import Application, Attachment
from rathaus.applications.tests import upload_samples
from rathaus.applications.tests.conftest import citizen_client
from rathaus.cases.models import Case

EXAMPLES = sorted(Path(settings.RATHAUS_CATALOG_DIR).glob("*/examples/*.yaml"))
SAMPLE_FILES = {
    "pdf": ("nachweis.pdf", upload_samples.pdf_blank),
    "jpeg": ("foto.jpg", upload_samples.jpeg_with_gps),
    "png": ("scan.png", upload_samples.png_with_text),
}


def test_every_service_has_valid_and_invalid_examples():
    services = {p.parent.name for p in Path(settings.RATHAUS_CATALOG_DIR).glob("*/service.yaml")}
    assert len(services) >= 5
    for slug in services:
        names = [p.name for p in EXAMPLES if p.parent.parent.name == slug]
        assert any(n.startswith("valid_") for n in names), slug
        assert any(n.startswith("invalid_") for n in names), slug


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_example_submission(path, city):
    example = yaml.safe_load(path.read_text(encoding="utf-8"))
    slug = path.parent.parent.name
    person = example.get("user") or {}
    user = UserFactory(register_id=person.get("register_id", ""))
    level = LevelOfAssurance[person.get("assurance", "basic").upper()]
    client = citizen_client(user, level)
    expect = example["expect"]
    with translation.override("en"):
        response = client.post(reverse("applications:start", args=[slug]))
        assert response.status_code == 302, response.content.decode()[:500]
        application = Application.objects.get(applicant=user)
        spec = application.service_version.spec
        step_of = {field["id"]: step["id"] for step, field in spec.fields()}
        for step_id, data in example["steps"].items():
            files = {
                field_id: SimpleUploadedFile(SAMPLE_FILES[kind][0], SAMPLE_FILES[kind][1]())
                for field_id, kind in (example.get("files") or {}).items()
                if step_of.get(field_id) == step_id
            }
            url = reverse("applications:step", args=[application.public_id, step_id])
            response = client.post(url, {**_dated(data), **files})
            if response.status_code == 422:
                assert expect["outcome"] == "invalid", _errors(response)
                assert step_id == expect["step"]
                errors = response.context["form"].errors
                assert expect["field"] in errors, _errors(response)
                assert any(expect["message"] in str(e) for e in errors[expect["field"]]), _errors(
                    response
                )
                assert not Case.objects.exists()
                return
            assert response.status_code == 302, (step_id, response.status_code)
        assert expect["outcome"] != "invalid", f"expected an error on {expect.get('step')}"
        response = client.post(
            reverse("applications:review", args=[application.public_id]),
            {"idempotency_key": "7b0a1c9e-8a53-4a43-9d0e-2f7a3c1d5e6b"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    if expect["outcome"] == "submitted" and case.status == "decided":
        # The service's rules approved it at once (§ 35a VwVfG).
        assert case.decision.automated and case.decision.outcome == "approved"
    else:
        assert case.status == expect["outcome"]
    assert str(case.fee) == expect["fee"] if "fee" in expect else case.fee is None
    expected_files = set((example.get("files") or {}).keys())
    assert set(Attachment.objects.values_list("field_id", flat=True)) == expected_files


RELATIVE_DATE = re.compile(r"^\{today([+-])(\d+)\}$")


def _dated(data: dict) -> dict:
    """Dates relative to today ("{today+14}") become real dates, so examples never go stale."""
    result = {}
    for key, value in (data or {}).items():
        match = RELATIVE_DATE.match(str(value))
        if match:
            days = int(match.group(2)) * (1 if match.group(1) == "+" else -1)
            value = (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")
        result[key] = value
    return result


def _errors(response) -> dict:
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}
