"""Counting, publishing, the published Pabulib file and the import of Pabulib files."""

import datetime
import random
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rathaus.budget.models import Ballot, BudgetProcess, PaperBallotEntry, Rule, UnitResult
from rathaus.budget.pabulib import (
    Ballot as PbBallot,
)
from rathaus.budget.pabulib import (
    Election,
    PabulibError,
    Project,
    election_parse,
    pabulib_sha256,
)
from rathaus.budget.publication import recompute_command, unit_election
from rathaus.budget.results import (
    ResultError,
    election_import,
    results_count,
    results_publish,
)
from rathaus.budget.rules import rule_apply

from .voting_fixtures import LENA

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def _ballots(process, *, voters: int = 60, seed: int = 3) -> dict[str, list[set[str]]]:
    """Random approval ballots in every unit; returns them by unit name as sets of numbers."""
    rng = random.Random(seed)
    cast: dict[str, list[set[str]]] = {}
    for unit in process.units.all():
        projects = list(unit.proposals.all())
        for voter in range(voters):
            chosen = rng.sample(projects, rng.randint(1, min(3, len(projects))))
            ballot = Ballot.objects.create(
                unit=unit, voter_key=f"key-{voter}", channel="online", cast_on=timezone.localdate()
            )
            ballot.proposals.set(chosen)
            cast.setdefault(unit.name, []).append({str(p.number) for p in chosen})
    return cast


def _closed(process):
    process.voting_closes = timezone.now() - datetime.timedelta(minutes=1)
    process.save()
    return process


def _direct(process, unit_name: str, ballots: list[set[str]]):
    """The same election built by hand, counted by rules.rule_apply directly."""
    unit = process.units.get(name=unit_name)
    election = Election(
        meta={"budget": str(unit.budget), "vote_type": "approval"},
        projects=tuple(
            Project(project_id=str(p.number), cost=Decimal(p.cost))
            for p in unit.proposals.order_by("number")
        ),
        ballots=tuple(
            PbBallot(voter_id=str(i), projects=tuple(sorted(b))) for i, b in enumerate(ballots)
        ),
    )
    return rule_apply(election=election, rule=process.rule, **process.rule_parameters)


@pytest.mark.parametrize(
    "rule, parameters",
    [("equal-shares", {}), ("greedy", {"variant": "stop"}), ("greedy", {"min_votes": 25})],
)
def test_the_count_equals_a_direct_rule_apply_and_the_file_recomputes_it(
    voting, clerks, rule, parameters
):
    voting.rule, voting.rule_parameters = rule, parameters
    voting.save()
    cast = _ballots(voting)
    rows = results_count(process=_closed(voting), actor=clerks[0])
    assert len(rows) == 2
    for row in rows:
        direct = _direct(voting, row.unit.name, cast[row.unit.name])
        assert [w["id"] for w in row.winners] == list(direct.winners)
        assert row.spent == direct.spent and row.voters == 60
        assert row.voters_with_funded_project == direct.voters_with_funded_project
        assert row.funded_supports == direct.funded_supports
        # The published file: read back and counted again, the same winners.
        data = bytes(row.pb_data)
        assert row.pb_sha256 == pabulib_sha256(data)
        election = election_parse(data=data)
        again = rule_apply(election=election, rule=rule, **parameters)
        assert again.winners == direct.winners
        assert {p.project_id for p in election.projects if p.selected == 1} == set(direct.winners)
        votes = {p.project_id: int(p.extra["votes"]) for p in election.projects}
        assert [w["votes"] for w in row.winners] == [votes[w] for w in direct.winners]


def test_votes_for_a_project_hidden_while_voting_still_count(voting, clerks):
    cast = _ballots(voting, voters=20)
    unit = voting.units.get(name=next(iter(cast)))
    hidden = unit.proposals.filter(ballots__isnull=False).first()
    hidden.hidden_at, hidden.hidden_reason = timezone.now(), "test"
    hidden.save()
    election, by_id = unit_election(unit=unit)
    assert by_id[str(hidden.number)] == hidden
    votes = {p.project_id: int(p.extra["votes"]) for p in election.projects}
    assert votes[str(hidden.number)] == sum(str(hidden.number) in b for b in cast[unit.name])
    assert len(election.ballots) == 20


def test_the_published_file_names_no_voter_and_no_time(voting, clerks):
    _ballots(voting, voters=5)
    rows = results_count(process=_closed(voting), actor=clerks[0])
    keys = set(Ballot.objects.values_list("voter_key", flat=True))
    for row in rows:
        text = bytes(row.pb_data).decode()
        assert not any(key in text for key in keys)
        assert LENA not in text
        meta = election_parse(data=bytes(row.pb_data)).meta
        assert meta["vote_type"] == "approval" and meta["rule"] == "equalshares/add1"
        assert meta["num_votes"] == "5" and meta["max_length"] == "3"
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", meta["date_end"])
        assert not re.search(r"\d\d:\d\d", text)  # days only, never a time
        voter_ids = [b.voter_id for b in election_parse(data=bytes(row.pb_data)).ballots]
        assert voter_ids == [str(i) for i in range(1, 6)]


def test_counting_waits_for_the_close_and_open_paper_entries(voting, clerks):
    with pytest.raises(ResultError) as refused:
        results_count(process=voting, actor=clerks[0])
    assert refused.value.code == "open"
    _closed(voting)
    PaperBallotEntry.objects.create(
        unit=voting.units.first(), sheet_number="9", voter_key="k", entered_by=clerks[0]
    )
    with pytest.raises(ResultError) as refused:
        results_count(process=voting, actor=clerks[0])
    assert refused.value.code == "paper"
    assert not UnitResult.objects.exists()


def test_publishing_needs_a_count_and_freezes_the_results(voting, clerks):
    _ballots(voting, voters=4)
    _closed(voting)
    with pytest.raises(ResultError):
        results_publish(process=voting, actor=clerks[0])
    results_count(process=voting, actor=clerks[0])
    results_publish(process=voting, actor=clerks[0])
    voting.refresh_from_db()
    assert voting.results_published_at is not None
    with pytest.raises(ResultError):
        results_count(process=voting, actor=clerks[0])


def test_only_staff_of_the_department_count(voting, lena_user=None):
    from rathaus.accounts.models import User

    outsider = User.objects.create_user("aussen@example.org", "pw")
    with pytest.raises(ResultError):
        results_count(process=_closed(voting), actor=outsider)


def test_the_recompute_command_names_the_rule_and_its_parameters():
    assert recompute_command(rule="equal-shares", parameters={}, file_name="a.pb") == (
        "manage.py budget_results a.pb --rule equal-shares"
    )
    assert recompute_command(rule="equal-shares", parameters={"add1": False}, file_name="a.pb") == (
        "manage.py budget_results a.pb --rule equal-shares --no-add1"
    )
    assert recompute_command(
        rule="greedy", parameters={"variant": "stop", "min_share": "1/20"}, file_name="a.pb"
    ) == ("manage.py budget_results a.pb --rule greedy --variant stop --min-votes 5%")


def test_an_imported_election_is_counted_by_every_rule(voting):
    data = (SAMPLES / "approval.pb").read_bytes()
    process = election_import(data=data, department=voting.department, actor=None)
    assert process.imported and process.units.count() == 1
    election = election_parse(data=data)
    for rule in (Rule.EQUAL_SHARES, Rule.GREEDY):
        row = UnitResult.objects.get(unit__process=process, rule=rule)
        assert [w["id"] for w in row.winners] == list(
            rule_apply(election=election, rule=rule).winners
        )
        assert bytes(row.pb_data) == data and row.pb_sha256 == pabulib_sha256(data)
    # The same file again is the same import.
    assert election_import(data=data, department=voting.department, actor=None) == process


def test_a_bad_file_gives_the_line_and_stores_nothing(voting):
    before = BudgetProcess.objects.count()
    bad = b"META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;abc\n"
    with pytest.raises(PabulibError) as refused:
        election_import(data=bad, department=voting.department, actor=None)
    assert refused.value.line == 7
    with pytest.raises(Exception):  # noqa: B017  (RuleError: not approval ballots)
        election_import(
            data=(SAMPLES / "ordinal.pb").read_bytes(), department=voting.department, actor=None
        )
    assert BudgetProcess.objects.count() == before


def test_the_import_command(voting, tmp_path):
    out = StringIO()
    call_command(
        "budget_import",
        str(SAMPLES / "approval.pb"),
        "--department",
        voting.department.code,
        stdout=out,
    )
    assert "equal-shares:" in out.getvalue()
    bad = tmp_path / "bad.pb"
    bad.write_bytes(b"META\nkey;value\nbudget;x\n")
    with pytest.raises(CommandError, match="Zeile 3"):
        call_command("budget_import", str(bad), "--department", voting.department.code)
    with pytest.raises(CommandError):
        call_command("budget_import", str(bad), "--department", "999")
