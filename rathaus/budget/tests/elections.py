"""Elections for the tests: written by hand in a few lines, or drawn at random from a seed."""

import os
import random
from decimal import Decimal
from pathlib import Path

import pytest

from rathaus.budget.pabulib import Ballot, Election, Project


def _pabulib_dir() -> Path:
    """Real elections from Pabulib: $PABULIB_DIR, else the first `shared/pabulib` beside the
    checkout or one of its parent folders (the workplace keeps it at /work/shared/pabulib)."""
    if os.environ.get("PABULIB_DIR"):
        return Path(os.environ["PABULIB_DIR"])
    here = Path(__file__).resolve()
    for folder in [*here.parents[4:], Path("/work")]:
        candidate = folder / "shared" / "pabulib"
        if candidate.is_dir():
            return candidate
    return here.parents[4] / "shared" / "pabulib"


# CI has the folder; a checkout without it skips the tests that need it.
PABULIB_DIR = _pabulib_dir()
SAMPLES = Path(__file__).resolve().parent / "samples"


def pabulib_files(*, vote_types: tuple[str, ...] | None = None) -> list[Path]:
    """The shared Pabulib files (all, or those with one of `vote_types`), sorted by name."""
    if not PABULIB_DIR.is_dir():
        return []
    files = sorted(PABULIB_DIR.glob("*.pb"))
    if vote_types is None:
        return files
    return [f for f in files if _vote_type(f) in vote_types]


def _vote_type(path: Path) -> str:
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.startswith("vote_type;"):
                return line.split(";", 1)[1].strip()
            if line.strip() == "PROJECTS":
                break
    return ""


def pabulib_file(name: str) -> Path:
    path = PABULIB_DIR / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {PABULIB_DIR} (the shared Pabulib folder)")
    return path


def election_make(
    *,
    budget: int | str,
    projects: dict[str, int | str],
    votes: list[str] | list[tuple[str, ...]],
    vote_type: str = "approval",
) -> Election:
    """An approval election: `projects` maps ids to costs; each vote is "A,B" or a tuple."""
    ballots = []
    for number, vote in enumerate(votes, start=1):
        listed = tuple(p for p in vote.split(",") if p) if isinstance(vote, str) else tuple(vote)
        ballots.append(Ballot(voter_id=str(number), projects=listed))
    return Election(
        meta={
            "description": "Test",
            "country": "Germany",
            "unit": "Teststadt",
            "instance": "2026",
            "num_projects": str(len(projects)),
            "num_votes": str(len(ballots)),
            "budget": str(budget),
            "vote_type": vote_type,
            "rule": "equalshares/add1",
        },
        projects=tuple(
            Project(project_id=pid, cost=Decimal(str(cost)), name=f"Project {pid}")
            for pid, cost in projects.items()
        ),
        ballots=tuple(ballots),
    )


def election_random(seed: int) -> Election:
    """A small random approval election; the choices favour ties, shared supporters and
    voters who run out of money, where rules go wrong."""
    rng = random.Random(seed)
    count = rng.randint(1, 8)
    ids = rng.sample(["1", "2", "3", "7", "10", "11", "a", "B", "c"], count)
    prices = rng.choice([[10, 20, 30], [10, 15, 25, 40, 60], [7, 13, 29, 31], [100]])
    costs = {}
    for pid in ids:
        cost = Decimal(rng.choice(prices))
        if rng.random() < 0.15:
            cost += Decimal(rng.choice(["0.5", "0.25", "0.01"]))
        if rng.random() < 0.05:
            cost = Decimal(0)
        costs[pid] = cost
    voters = rng.randint(0, 30)
    popularity = {pid: rng.choice([0.1, 0.3, 0.5, 0.8]) for pid in ids}
    votes = []
    for _ in range(voters):
        votes.append(tuple(pid for pid in ids if rng.random() < popularity[pid]))
    total = sum(costs.values())
    budget = max(Decimal(1), (total * Decimal(rng.choice([20, 35, 50, 70, 90]))) // 100)
    return election_make(budget=budget, projects=costs, votes=votes)
