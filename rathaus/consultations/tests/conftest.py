import datetime

import pytest
from django.utils import timezone

from rathaus.accounts.models import Department, Role
from rathaus.accounts.tests.factories import MembershipFactory, UserFactory, totp_enable
from rathaus.consultations.demo import consultation_demo_ensure
from rathaus.consultations.models import Consultation, Project


@pytest.fixture
def project(city) -> Project:
    """The demo city's project with an open consultation and four questions."""
    return consultation_demo_ensure()


@pytest.fixture
def consultation(project) -> Consultation:
    return project.consultation


@pytest.fixture
def questions(consultation):
    """single, multiple, scale, text — in this order."""
    return list(consultation.questions.order_by("position"))


@pytest.fixture
def resident(city):
    """Lena Schäfer, linked to the resident register."""
    return UserFactory(first_name="Lena", last_name="Schäfer", register_id="100001")


@pytest.fixture
def visitor(city):
    """An account without a link to the register."""
    return UserFactory(first_name="Max", last_name="Muster")


@pytest.fixture
def planner(city):
    """A caseworker of 104 Straßen und Verkehr, the project's department."""
    user = MembershipFactory(
        department=Department.objects.get(code="104"), role=Role.CASEWORKER
    ).user
    totp_enable(user)
    return user


@pytest.fixture
def outsider(city):
    """Staff of another department."""
    user = MembershipFactory(department=Department.objects.get(code="201")).user
    totp_enable(user)
    return user


def valid_answers(questions, *, scale: str = "4", text: str = "Mehr Grün") -> dict:
    single, multiple, scale_q, text_q = questions
    return {
        single.pk: str(single.options.first().pk),
        multiple.pk: [str(option.pk) for option in multiple.options.all()[:2]],
        scale_q.pk: scale,
        text_q.pk: text,
    }


def close(consultation: Consultation) -> None:
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(minutes=1)
    )
    consultation.refresh_from_db()
