"""Fixtures for the voting, paper ballot and results tests: a process in its voting phase with
feasible projects, voters from the demo register, and staff of the responsible department.

Import the fixtures a test module needs (`from .voting_fixtures import ...`).
"""

import pytest

from rathaus.accounts.models import LevelOfAssurance, Membership, Role, User
from rathaus.accounts.tests.factories import totp_enable
from rathaus.budget.models import Phase, Proposal, ProposalStatus

from .proposal_fixtures import process_make

# Demo register: Lena Schäfer (Elberfeld), Thomas Krüger (Barmen), his son Paul (born 2012).
LENA, THOMAS, PAUL = "100001", "100005", "100007"
LENA_ON_PAPER = {
    "family_name": "Schäfer",
    "given_names": "Lena",
    "date_of_birth": "14.03.1990",
    "street": "Luisenstraße",
    "house_number": "71",
    "postcode": "42103",
}
SUBSTANTIAL = LevelOfAssurance.SUBSTANTIAL


def feasible(unit, *, title: str, cost: int, **fields) -> Proposal:
    number = Proposal.objects.filter(unit=unit).count() + 1
    return Proposal.objects.create(
        unit=unit,
        number=number,
        title=title,
        description="Ein Projekt für alle.",
        estimated_cost=cost,
        city_cost=cost,
        status=ProposalStatus.FEASIBLE,
        **fields,
    )


@pytest.fixture
def voting(city):
    """A process in its voting phase: city unit (100,000 €) with four projects, Elberfeld
    (20,000 €) with two."""
    process = process_make(phase=Phase.VOTING, slug="abstimmung")
    process.max_projects = 3
    process.cost_cap = True
    process.save()
    city_unit = process.units.get(district="")
    elberfeld = process.units.get(district="Elberfeld")
    feasible(city_unit, title="Spielplatz Nordpark", cost=40_000)
    feasible(city_unit, title="Trinkbrunnen", cost=30_000)
    feasible(city_unit, title="Radbügel", cost=20_000)
    feasible(city_unit, title="Lesesessel Stadtbibliothek", cost=50_000)
    feasible(elberfeld, title="Bank am Ölberg", cost=5_000)
    feasible(elberfeld, title="Blühstreifen", cost=12_000)
    return process


def _citizen(email: str, register_id: str) -> User:
    return User.objects.create_user(email, "pw", register_id=register_id, first_name="X")


@pytest.fixture
def lena(db):
    return _citizen("lena@example.org", LENA)


@pytest.fixture
def thomas(db):
    return _citizen("thomas@example.org", THOMAS)


@pytest.fixture
def paul(db):
    return _citizen("paul@example.org", PAUL)


@pytest.fixture
def stranger(db):
    """An account not linked to the resident register."""
    return User.objects.create_user("gast@example.org", "pw")


def staff_make(process, email: str, role: str = Role.CASEWORKER) -> User:
    user = User.objects.create_user(email, "pw", first_name=email.split("@")[0].title())
    Membership.objects.create(user=user, department=process.department, role=role)
    totp_enable(user)
    return user


@pytest.fixture
def clerks(voting):
    """Two caseworkers and the lead of the process's department."""
    return (
        staff_make(voting, "anna@stadt.example"),
        staff_make(voting, "ben@stadt.example"),
        staff_make(voting, "chefin@stadt.example", Role.LEAD),
    )


def ids(unit, *titles) -> list[int]:
    return list(unit.proposals.filter(title__in=titles).values_list("pk", flat=True))
