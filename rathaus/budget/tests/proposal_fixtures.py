"""Fixtures for the proposals, review and moderation tests: a process in any phase, its people.

Import the fixtures a test module needs (`from .proposal_fixtures import ...`).
"""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from rathaus.accounts.models import Department, Membership, Role, User
from rathaus.accounts.tests.factories import totp_enable
from rathaus.budget.models import BudgetProcess, BudgetUnit, Phase, Proposal

DAY = datetime.timedelta(days=1)

# Where "now" lies for a process in each phase: days from proposals_open.
_OFFSETS = {
    Phase.UPCOMING: 10,
    Phase.PROPOSALS: -1,
    Phase.REVIEW: -12,
    Phase.VOTING: -25,
    Phase.COUNTING: -40,
}


def process_make(*, phase: Phase = Phase.PROPOSALS, slug: str = "testbudget", department=None):
    """A process with a city unit (100,000 €) and a district unit Elberfeld (20,000 €)."""
    start = timezone.now() + _OFFSETS[phase] * DAY
    department = (
        department
        or Department.objects.get_or_create(
            code="104", defaults={"slug": "verkehr", "name": "Straßen und Verkehr"}
        )[0]
    )
    process = BudgetProcess.objects.create(
        slug=slug,
        title="Bürgerbudget Test",
        department=department,
        proposals_open=start,
        proposals_close=start + 7 * DAY,
        review_close=start + 14 * DAY,
        voting_opens=start + 20 * DAY,
        voting_closes=start + 30 * DAY,
        rule="equal-shares",
    )
    BudgetUnit.objects.create(process=process, name="Gesamte Stadt", budget=100_000)
    BudgetUnit.objects.create(
        process=process, name="Elberfeld", district="Elberfeld", budget=20_000
    )
    return process


def proposal_make(unit: BudgetUnit, **fields) -> Proposal:
    number = Proposal.objects.filter(unit=unit).count() + 1
    values = {"title": f"Vorschlag {number}", "description": "Bänke", "estimated_cost": 5000}
    values.update(fields)
    return Proposal.objects.create(unit=unit, number=number, **values)


def jpeg_with_gps(*, size=(64, 48)) -> bytes:
    """A JPEG carrying GPS coordinates, a camera name and an orientation in its EXIF."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Testkamera"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 15.0, 22.5)
    gps[3] = "E"
    gps[4] = (7.0, 9.0, 3.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(*, size=(20, 10), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def department(db):
    return Department.objects.get_or_create(
        code="104", defaults={"slug": "verkehr", "name": "Straßen und Verkehr"}
    )[0]


@pytest.fixture
def other_department(db):
    return Department.objects.get_or_create(
        code="302", defaults={"slug": "jugend", "name": "Jugend"}
    )[0]


@pytest.fixture
def process(department):
    return process_make(phase=Phase.PROPOSALS, department=department)


@pytest.fixture
def citizen(db):
    return User.objects.create_user("bürgerin@example.org", "pw", first_name="Erika")


@pytest.fixture
def clerk(department):
    user = User.objects.create_user("sachbearbeitung@stadt.example", "pw")
    Membership.objects.create(user=user, department=department, role=Role.CASEWORKER)
    totp_enable(user)  # the staff MFA middleware demands it
    return user


@pytest.fixture
def outsider_clerk(other_department):
    user = User.objects.create_user("jugend@stadt.example", "pw")
    Membership.objects.create(user=user, department=other_department, role=Role.CASEWORKER)
    totp_enable(user)
    return user
