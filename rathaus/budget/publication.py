"""A unit's ballots as a Pabulib election (pabulib.org/format), to count and to publish.

The published file holds what anyone needs to recompute the result and nothing that names a
voter: META (the process, the unit, the ballot's rules, the counting rule, dates as days), the
projects with cost, name, votes and whether they were selected, and the ballots in random order
under new voter ids 1, 2, 3, ... (no voter key, no register id, no channel, no timestamps).
"""

import secrets
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from . import models
from .models import BudgetUnit, Proposal, Rule
from .pabulib import Ballot, Election, Project, pabulib_text
from .proposals import ballot_proposals
from .voting import closing_day

PROJECT_COLUMNS = ("project_id", "cost", "name", "votes", "selected")


def pabulib_rule(*, rule: str, parameters: dict) -> dict[str, str]:
    """The rule as Pabulib names it in META (`rule`, and the threshold where there is one)."""
    if rule == Rule.EQUAL_SHARES:
        add1 = parameters.get("add1", True)
        return {"rule": "equalshares/add1" if add1 else "equalshares"}
    meta = {"rule": "greedy-no-skip" if parameters.get("variant") == "stop" else "greedy"}
    if parameters.get("min_votes"):
        meta = {
            "rule": "greedy-threshold",
            "min_project_score_threshold": str(parameters["min_votes"]),
        }
    return meta


def recompute_command(*, rule: str, parameters: dict, file_name: str) -> str:
    """The command that recomputes the result from the published file."""
    words = ["manage.py", "budget_results", file_name, "--rule", rule]
    if rule == Rule.EQUAL_SHARES and not parameters.get("add1", True):
        words.append("--no-add1")
    if rule == Rule.GREEDY:
        if parameters.get("variant", "skip") != "skip":
            words += ["--variant", parameters["variant"]]
        if parameters.get("min_votes"):
            words += ["--min-votes", str(parameters["min_votes"])]
        elif parameters.get("min_share"):
            percent = Fraction(parameters["min_share"]) * 100
            text = str(percent.numerator) if percent.denominator == 1 else str(float(percent))
            words += ["--min-votes", f"{text}%"]
    return " ".join(words)


def pb_file_name(*, unit: BudgetUnit) -> str:
    district = f"-{unit.district}" if unit.district else ""
    return f"{unit.process.slug}{district}.pb".replace(" ", "_").lower()


def unit_election(*, unit: BudgetUnit) -> tuple[Election, dict[str, Proposal]]:
    """The unit's counted ballots as an election (no `selected` yet), and its projects by id."""
    process = unit.process
    proposals = {p.pk: p for p in ballot_proposals(unit=unit)}
    # One query over the ballot-project pairs: a prefetch would put every ballot id of a
    # city-wide vote into one IN list, beyond SQLite's limit of bound parameters.
    pairs = models.Ballot.proposals.through.objects.filter(ballot__unit=unit).values_list(
        "ballot_id", "proposal_id"
    )
    chosen_by_ballot: dict[int, list[int]] = {
        pk: [] for pk in unit.ballots.values_list("pk", flat=True)
    }
    for ballot_id, proposal_id in pairs.iterator():
        chosen_by_ballot.setdefault(ballot_id, []).append(proposal_id)
    missing = {pk for chosen in chosen_by_ballot.values() for pk in chosen} - proposals.keys()
    # A project hidden after voting opened still has its votes counted.
    proposals.update((p.pk, p) for p in Proposal.objects.filter(pk__in=missing))
    ordered = sorted(proposals.values(), key=lambda p: p.number)
    votes = {p.pk: 0 for p in ordered}
    approvals = []
    for chosen in chosen_by_ballot.values():
        for pk in chosen:
            votes[pk] += 1
        approvals.append(
            tuple(str(number) for number in sorted(proposals[pk].number for pk in chosen))
        )
    secrets.SystemRandom().shuffle(approvals)
    meta = {
        "description": pabulib_text(f"{process.title}: {unit.name}"),
        "country": "Germany",
        "unit": pabulib_text(settings.RATHAUS_CITY_NAME),
        **({"subunit": pabulib_text(unit.district)} if unit.district else {}),
        "instance": str(closing_day(process=process).year),
        "num_projects": str(len(ordered)),
        "num_votes": str(len(approvals)),
        "budget": str(unit.budget),
        "vote_type": "approval",
        **pabulib_rule(rule=process.rule, parameters=process.rule_parameters),
        "date_begin": timezone.localdate(process.voting_opens).strftime("%d.%m.%Y"),
        "date_end": closing_day(process=process).strftime("%d.%m.%Y"),
        "min_length": str(process.min_projects),
        **({"max_length": str(process.max_projects)} if process.max_projects else {}),
        **({"max_sum_cost": str(unit.budget)} if process.cost_cap else {}),
        "currency": "EUR",
        "language": "de",
    }
    election = Election(
        meta=meta,
        projects=tuple(
            Project(
                project_id=str(p.number),
                cost=Decimal(p.cost),
                name=pabulib_text(p.title),
                extra={"votes": str(votes[p.pk])},
            )
            for p in ordered
        ),
        ballots=tuple(
            Ballot(voter_id=str(position), projects=approved)
            for position, approved in enumerate(approvals, start=1)
        ),
        project_columns=("project_id", "cost", "name", "votes"),
    )
    return election, {str(p.number): p for p in ordered}


def election_with_selected(*, election: Election, winners) -> Election:
    """The election with the `selected` column: 1 for the funded projects, 0 for the others."""
    funded = set(winners)
    return replace(
        election,
        projects=tuple(
            replace(p, selected=1 if p.project_id in funded else 0) for p in election.projects
        ),
        project_columns=PROJECT_COLUMNS,
    )
