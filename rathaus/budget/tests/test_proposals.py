"""Proposals: the phase, bad input, photos without metadata, numbering per unit, retention."""

import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image

from rathaus.budget.images import image_clean
from rathaus.budget.models import Phase, Proposal, ProposalImage, ProposalStatus
from rathaus.budget.proposals import (
    ImageUpload,
    ballot_proposals,
    proposal_submit,
    proposals_purge_expired,
)

from .proposal_fixtures import jpeg_with_gps, png_bytes, process_make, proposal_make


def _submit(unit, author, **fields):
    values = {"title": "Neue Bänke", "description": "Am Spielplatz", "estimated_cost": 4000}
    values.update(fields)
    return proposal_submit(unit=unit, author=author, **values)


def _stored_files() -> list[str]:
    try:
        return default_storage.listdir("budget/images")[1]
    except FileNotFoundError:
        return []


def test_proposals_are_numbered_per_unit(process, citizen):
    city, district = process.units.order_by("district")
    assert [_submit(city, citizen).number for _ in range(3)] == [1, 2, 3]
    assert _submit(district, citizen).number == 1


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.REVIEW, Phase.VOTING])
def test_proposals_outside_the_proposals_phase_are_refused(english, db, citizen, phase):
    process = process_make(phase=phase)
    with pytest.raises(ValidationError, match="proposals phase"):
        _submit(process.units.first(), citizen)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "title and a description"),
        ({"estimated_cost": 0}, "positive"),
        ({"estimated_cost": 100_001}, "more than the budget"),
        ({"latitude": Decimal("51.2")}, "both latitude and longitude"),
        ({"latitude": Decimal("91"), "longitude": Decimal("7")}, "not a place on Earth"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_stored(
    english, process, citizen, fields, message
):
    with pytest.raises(ValidationError, match=message):
        _submit(process.units.get(district=""), citizen, **fields)
    assert not Proposal.objects.exists()


def test_a_picture_without_description_is_refused_and_no_file_is_written(english, process, citizen):
    upload = ImageUpload(image=image_clean(data=png_bytes()), alt_text=" ")
    with pytest.raises(ValidationError, match="Describe every picture"):
        _submit(process.units.first(), citizen, images=[upload])
    assert not Proposal.objects.exists()
    assert _stored_files() == []


def test_more_than_three_pictures_are_refused(english, process, citizen):
    upload = ImageUpload(image=image_clean(data=png_bytes()), alt_text="Ein Platz")
    with pytest.raises(ValidationError, match="At most 3"):
        _submit(process.units.first(), citizen, images=[upload] * 4)
    assert _stored_files() == []


def test_gps_and_camera_data_are_gone_from_the_stored_picture(process, citizen):
    original = jpeg_with_gps()
    assert b"Testkamera" in original
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the GPS block is there
    upload = ImageUpload(image=image_clean(data=original), alt_text="Der Spielplatz")
    proposal = _submit(process.units.first(), citizen, images=[upload])

    image = proposal.images.get()
    stored = image.file.read()
    assert b"Testkamera" not in stored
    assert b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as after:
        assert after.format == "JPEG"
        assert not after.getexif()
        assert "icc_profile" not in after.info and "xmp" not in after.info
        # Turned upright as the orientation said, before the orientation was dropped.
        assert after.size == (48, 64) == (image.width, image.height)


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Erika Mustermann")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    clean = image_clean(data=out.getvalue())
    assert b"Erika" not in clean.content
    assert clean.extension == "png"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 not a picture",
        b"GIF89a" + b"\0" * 100,
        jpeg_with_gps()[:200],  # cut off: damaged
        b"\x89PNG\r\n\x1a\n" + b"\0" * 50,
    ],
    ids=["pdf", "gif", "truncated-jpeg", "broken-png"],
)
def test_files_that_are_not_jpeg_or_png_pictures_are_refused(data):
    with pytest.raises(ValidationError) as error:
        image_clean(data=data)
    assert error.value.code == "invalid_image"


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.RATHAUS_BUDGET_IMAGE_MAX_PIXELS = 100
    with pytest.raises(ValidationError) as error:
        image_clean(data=png_bytes(size=(20, 10)))
    assert error.value.code == "too_many_pixels"


def test_too_large_uploads_are_refused(settings):
    settings.RATHAUS_BUDGET_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        image_clean(data=png_bytes(size=(200, 200), mode="RGB") + b"\0" * 200)
    assert error.value.code == "too_large"


def test_large_pictures_are_scaled_down(settings):
    settings.RATHAUS_BUDGET_IMAGE_MAX_EDGE = 10
    clean = image_clean(data=png_bytes(size=(40, 20)))
    assert (clean.width, clean.height) == (10, 5)


def test_a_failing_picture_write_leaves_no_files_and_no_proposal(process, citizen, monkeypatch):
    upload = ImageUpload(image=image_clean(data=png_bytes()), alt_text="Ein Platz")
    original_create = ProposalImage.objects.create
    calls = []

    def create_then_fail(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original_create(**kwargs)

    monkeypatch.setattr(ProposalImage.objects, "create", create_then_fail)
    with pytest.raises(RuntimeError):
        _submit(process.units.first(), citizen, images=[upload, upload])
    assert not Proposal.objects.exists()
    assert _stored_files() == []


def test_only_feasible_visible_proposals_are_on_the_ballot(process):
    from django.utils import timezone

    unit = process.units.first()
    feasible = proposal_make(unit, status=ProposalStatus.FEASIBLE, city_cost=3000)
    proposal_make(unit, status=ProposalStatus.FEASIBLE, city_cost=3000, hidden_at=timezone.now())
    proposal_make(unit, status=ProposalStatus.NOT_FEASIBLE)
    proposal_make(unit)
    assert list(ballot_proposals(unit=unit)) == [feasible]


def test_purger_removes_photos_authors_and_hidden_proposals_after_the_retention(
    process, citizen, settings
):
    import datetime

    from django.utils import timezone

    upload = ImageUpload(image=image_clean(data=png_bytes()), alt_text="Ein Platz")
    kept = _submit(process.units.first(), citizen, images=[upload])
    hidden = _submit(process.units.first(), citizen)
    hidden.hidden_at = timezone.now()
    hidden.save()
    assert proposals_purge_expired() == 0  # no results yet

    process.results_published_at = timezone.now() - datetime.timedelta(
        days=settings.RATHAUS_BUDGET_PROPOSAL_RETENTION_DAYS + 1
    )
    process.save()
    assert proposals_purge_expired() > 0
    kept.refresh_from_db()
    assert kept.author is None and not kept.images.exists()
    assert not Proposal.objects.filter(pk=hidden.pk).exists()
    assert _stored_files() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_proposals_get_distinct_numbers(citizen):
    process = process_make(phase=Phase.PROPOSALS)
    unit = process.units.first()
    errors = []

    def submit():
        try:
            _submit(unit, citizen)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Proposal.objects.filter(unit=unit).values_list("number", flat=True))
    assert numbers == list(range(1, 13))


def test_demo_budget_is_idempotent_and_in_the_voting_phase(city):
    from rathaus.demo.budget import demo_budget_load

    process = demo_budget_load()
    assert demo_budget_load().pk == process.pk
    assert process.phase() == Phase.VOTING
    assert sorted(process.units.values_list("district", flat=True)) == ["", "Barmen", "Elberfeld"]
    city_unit = process.units.get(district="")
    assert ballot_proposals(unit=city_unit).count() == 3
    assert Proposal.objects.filter(unit__process=process, hidden_at__isnull=False).count() == 1
