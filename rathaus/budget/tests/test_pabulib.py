"""Reading and writing Pabulib files: every vote type, round trips, broken files, limits."""

import hashlib
from decimal import Decimal
from fractions import Fraction

import pytest

from rathaus.budget.pabulib import (
    Ballot,
    Election,
    PabulibError,
    Project,
    election_parse,
    election_write,
    pabulib_sha256,
    pabulib_text,
)

from .elections import SAMPLES, election_make, pabulib_files


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the parser's messages."""


def _sample(name: str) -> Election:
    return election_parse(data=(SAMPLES / name).read_bytes())


def test_an_approval_file_reads_with_all_its_columns():
    election = _sample("approval.pb")
    assert election.vote_type == "approval"
    assert election.budget == Decimal("1000.50")
    assert election.meta["comment"] == '#1: a value with "quotes" and a ; semicolon'
    assert election.project_columns == (
        "project_id",
        "cost",
        "votes",
        "name",
        "category",
        "selected",
    )
    p1, p2, p3, p4 = election.projects
    assert (p1.project_id, p1.cost, p1.name, p1.selected) == (
        "p1",
        Decimal(600),
        "Spielplatz am Markt",
        1,
    )
    assert p1.extra == {"votes": "4", "category": "sport,children"}
    assert (p2.name, p2.cost) == ("Bänke; mehr Bänke", Decimal("400.50"))
    assert p3.extra["category"] == "" and p3.selected == 0
    assert p4.extra["category"] == "None"  # kept as written; Pabulib's "no value"
    assert [b.voter_id for b in election.ballots] == ["1", "2", "3", "4", "5", "6"]
    assert election.ballots[2].projects == ("p2", "p3", "p1")
    assert election.ballots[2].approved == {"p1", "p2", "p3"}
    assert election.ballots[2].extra == {"age": "23", "sex": "", "voting_method": "internet"}
    assert election.ballots[4].projects == ()  # an empty ballot still counts as a voter
    assert election.ballots[0].points is None


def test_choose_one_ballots_name_at_most_one_project():
    election = _sample("choose-1.pb")
    assert election.vote_type == "choose-1"
    assert [b.projects for b in election.ballots] == [("A",), ("B",), ("A",), ()]


def test_cumulative_ballots_carry_points_per_project():
    election = _sample("cumulative.pb")
    first, second, third = election.ballots
    assert first.projects == ("1", "2") and first.points == (Decimal(3), Decimal(2))
    assert second.points == (Decimal(5),)
    assert third.projects == ("3", "2", "1") and third.points == (1, 1, 1)
    assert first.extra == {"age": "30"}


def test_ordinal_ballots_keep_the_ranking():
    election = _sample("ordinal.pb")
    assert [b.projects for b in election.ballots] == [("z", "x", "y"), ("x",), ("y", "z")]
    assert election.project_columns == ("project_id", "cost")
    assert election.projects[0].name == ""


def test_scoring_ballots_may_give_fractional_points():
    election = _sample("scoring.pb")
    assert election.ballots[0].points == (Decimal("2.5"), Decimal(0))
    assert election.projects[1].cost == Decimal("7.25")


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.pb")))
def test_samples_read_back_equal_after_writing(name):
    election = _sample(name)
    written = election_write(election=election)
    assert election_parse(data=written) == election
    assert election_write(election=election_parse(data=written)) == written


@pytest.mark.parametrize("path", pabulib_files(), ids=lambda p: p.stem)
def test_real_elections_read_and_read_back_equal(path):
    data = path.read_bytes()
    election = election_parse(data=data)
    assert len(election.projects) == int(election.meta["num_projects"])
    assert len(election.ballots) == int(election.meta["num_votes"])
    written = election_write(election=election)
    assert election_parse(data=written) == election
    # Same text apart from line ends and a missing last line end.
    assert written.decode().splitlines() == data.decode("utf-8-sig").splitlines()


@pytest.mark.parametrize("vote_type", ["approval", "choose-1", "cumulative", "ordinal"])
def test_every_vote_type_is_among_the_real_elections(vote_type):
    if not pabulib_files():
        pytest.skip("the shared Pabulib folder is absent")
    assert pabulib_files(vote_types=(vote_type,))


def _fraction(number) -> Fraction:
    """pabutools' numbers (whole numbers or gmpy2 fractions) as a Python fraction."""
    return Fraction(int(number.numerator), int(number.denominator))


def _pabutools_reads(election: Election):
    from pabutools.election.pabulib import parse_pabulib_from_string

    instance, profile = parse_pabulib_from_string(election_write(election=election).decode())
    costs = {p.name: _fraction(p.cost) for p in instance}
    ballots = [{p.name for p in ballot} for ballot in profile]
    return instance, costs, ballots


@pytest.mark.parametrize(
    "path",
    [*sorted(SAMPLES.glob("*.pb")), *[p for p in pabulib_files() if p.stat().st_size < 150_000]],
    ids=lambda p: p.stem,
)
def test_pabutools_reads_the_written_files_alike(path):
    election = election_parse(data=path.read_bytes())
    instance, costs, ballots = _pabutools_reads(election)
    assert _fraction(instance.budget_limit) == election.budget
    assert costs == {p.project_id: Fraction(p.cost) for p in election.projects}
    assert ballots == [set(b.projects) for b in election.ballots]


def _meta(**changes) -> str:
    meta = {"description": "x", "num_projects": "2", "num_votes": "2", "budget": "100"}
    meta["vote_type"] = "approval"
    meta.update(changes)
    return "META\nkey;value\n" + "".join(f"{k};{v}\n" for k, v in meta.items() if v is not None)


PROJECTS = "PROJECTS\nproject_id;cost;name\n1;60;Eins\n2;50;Zwei\n"
VOTES = "VOTES\nvoter_id;vote\nv1;1,2\nv2;2\n"
GOOD = _meta() + PROJECTS + VOTES  # META is lines 1-7, PROJECTS 8-11, VOTES 12-15


def test_the_good_file_of_the_broken_ones_reads():
    assert len(election_parse(data=GOOD.encode()).ballots) == 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "expected the section META"),
        (PROJECTS + VOTES, 1, "expected the section META"),
        ("META\nkey;val\n", 2, "header of META lacks the column(s) value"),
        ("META\nkey;value;more\n", 2, "header must be key;value"),
        ("META\n", 1, "META has no header line"),
        (_meta(vote_type="plurality") + PROJECTS + VOTES, 7, "unknown vote_type plurality"),
        (_meta(budget="-5") + PROJECTS + VOTES, 6, "budget must be a non-negative number"),
        (_meta(budget="1e9") + PROJECTS + VOTES, 6, "budget must be a non-negative number"),
        (_meta() + "budget;7\n" + PROJECTS + VOTES, 8, "empty or repeated META key"),
        (_meta() + "lonely\n" + PROJECTS + VOTES, 8, "1 fields, but the header names 2"),
        (_meta() + VOTES, 8, "expected the section PROJECTS"),
        (_meta() + "PROJECTS\nproject_id;name\n", 9, "lacks the column(s) cost"),
        (_meta() + "PROJECTS\nproject_id;cost;cost\n", 9, "empty or repeated column"),
        (_meta() + PROJECTS.replace("2;50;Zwei", "2;50"), 11, "2 fields, but the header names 3"),
        (_meta() + PROJECTS.replace("2;50", "2;50 Euro"), 11, "cost of project 2 must be"),
        (_meta() + PROJECTS.replace("2;50", "2;-50"), 11, "cost of project 2 must be"),
        (_meta() + PROJECTS.replace("2;50", "1;50") + VOTES, 11, "project id 1 appears twice"),
        (_meta() + PROJECTS.replace("2;50", '"2,3";50'), 11, "empty or contains a comma"),
        (_meta() + PROJECTS, 12, "expected the section VOTES"),
        (_meta() + PROJECTS + "VOTES\nvoter_id;points\n", 13, "lacks the column(s) vote"),
        (_meta() + PROJECTS + VOTES.replace("v2;2", "v2;3"), 15, "unknown project 3"),
        (_meta() + PROJECTS + VOTES.replace("v2;2", "v2;2,2"), 15, "names a project twice"),
        (_meta() + PROJECTS + VOTES.replace("v2;2", "v2;2,"), 15, "unknown project"),
        (_meta() + PROJECTS + VOTES.replace("v2;2", "v1;2"), 15, "v1 is empty or appears twice"),
        (_meta() + PROJECTS + VOTES + "META\n", 16, "VOTES must be the last section"),
        (_meta(num_votes="3") + PROJECTS + VOTES, None, "num_votes is 3, but the file has 2"),
        (_meta(num_projects="1") + PROJECTS + VOTES, None, "num_projects is 1, but"),
        (_meta(budget=None) + PROJECTS + VOTES, None, "META lacks the key budget"),
        (_meta(vote_type="choose-1") + PROJECTS + VOTES, 14, "more than one project"),
        (
            _meta(vote_type="cumulative") + PROJECTS + VOTES,
            13,
            "cumulative ballots need the column points",
        ),
        (
            _meta(vote_type="cumulative") + PROJECTS + "VOTES\nvoter_id;vote;points\nv1;1,2;3\n",
            14,
            "one non-negative number per voted project",
        ),
        (
            _meta(vote_type="scoring") + PROJECTS + "VOTES\nvoter_id;vote;points\nv1;1;x\n",
            14,
            "one non-negative number per voted project",
        ),
        (_meta() + PROJECTS.replace("Zwei", '"Zwei\nDrei"') + VOTES, 12, "contains a line break"),
        (_meta() + PROJECTS.replace("Zwei", '"Zwei') + VOTES, 15, "cannot be read"),
        (_meta() + PROJECTS.replace("Zwei", "Zw\0ei") + VOTES, 11, "control character"),
        (_meta() + PROJECTS.replace("Zwei", "Z" * 200_000) + VOTES, 11, "cannot be read"),
        (_meta() + "PROJECTS\nproject_id;cost;selected\n1;5;ja\n", 10, "selected must be"),
    ],
)
def test_a_broken_file_is_refused_with_its_line(text, line, message):
    with pytest.raises(PabulibError) as caught:
        election_parse(data=text.encode())
    assert caught.value.line == line
    assert message in str(caught.value)
    if line is not None:
        assert str(caught.value).startswith(f"line {line}: ")


def test_text_that_is_not_utf8_is_refused_with_its_line():
    data = (_meta() + PROJECTS.replace("Zwei", "Zw\xe4i") + VOTES).encode("latin-1")
    with pytest.raises(PabulibError, match="not UTF-8") as caught:
        election_parse(data=data)
    assert caught.value.line == 11


def test_a_byte_order_mark_and_windows_line_ends_are_accepted():
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    assert election_parse(data=data) == election_parse(data=GOOD.encode())


def test_spaces_around_values_are_not_part_of_them():
    # The format's own example writes "key; value".
    spaced = GOOD.replace(";", "; ").replace("v1; 1,2", "v1; 1, 2")
    assert election_parse(data=spaced.encode()) == election_parse(data=GOOD.encode())


@pytest.mark.parametrize(
    ("limit", "line", "message"),
    [
        ({"max_bytes": 100}, None, "larger than 0 MB"),
        ({"max_projects": 1}, 11, "more than 1 projects"),
        ({"max_voters": 1}, 15, "more than 1 voters"),
        ({"max_vote_entries": 2}, 15, "more than 2 votes in all"),
    ],
)
def test_a_file_over_a_limit_is_refused_before_it_fills_the_memory(limit, line, message):
    with pytest.raises(PabulibError, match=message) as caught:
        election_parse(data=GOOD.encode(), **limit)
    assert caught.value.line == line


def test_the_default_limits_admit_a_whole_city():
    from rathaus.budget import pabulib

    # Warsaw 2026, the largest real election here: 3 MB, 61,668 voters, 287,475 votes.
    assert pabulib.MAX_BYTES > 10 * 3_160_653
    assert pabulib.MAX_VOTERS > 4 * 61_668
    assert pabulib.MAX_VOTE_ENTRIES > 10 * 287_475


def test_a_huge_file_is_refused_without_reading_it_whole():
    with pytest.raises(PabulibError, match="larger than 50 MB"):
        election_parse(data=b"META\n" + b" " * (50 * 1024 * 1024))


def test_the_checksum_is_the_sha256_of_the_written_file():
    election = _sample("approval.pb")
    data = election_write(election=election)
    assert pabulib_sha256(data) == hashlib.sha256(data).hexdigest()
    # Equal elections give equal files, so anyone can recompute the published checksum.
    again = election_write(election=election_parse(data=data))
    assert pabulib_sha256(again) == pabulib_sha256(data)


def test_an_election_built_in_code_reads_back_equal():
    election = election_make(
        budget="1234.5", projects={"a": 100, "b": "0.25", "c": 0}, votes=["a,b", "", "c,a"]
    )
    assert election_parse(data=election_write(election=election)) == election


def test_costs_are_written_without_exponents():
    election = Election(
        meta={"budget": "1000", "vote_type": "approval"},
        projects=(Project(project_id="1", cost=Decimal("1E+3")),),
        ballots=(Ballot(voter_id="1", projects=("1",)),),
        project_columns=("project_id", "cost"),
    )
    assert b"\n1;1000\n" in election_write(election=election)
    assert election_parse(data=election_write(election=election)) == election


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ballots": (Ballot(voter_id="1", projects=("zz",)),)}, "unknown or repeated project"),
        ({"ballots": (Ballot(voter_id="1", projects=("a", "a")),)}, "unknown or repeated"),
        ({"ballots": (Ballot("1", ()), Ballot("1", ()))}, "empty, duplicate"),
        ({"projects": (Project(project_id="a", cost=Decimal(-1)),)}, "non-negative Decimal"),
        ({"projects": (Project(project_id="a,b", cost=Decimal(1)),)}, "with a comma"),
        ({"projects": (Project(project_id="a", cost=Decimal(1), name="x\ny"),)}, "line break"),
        ({"projects": (Project(project_id="a", cost=Decimal(1), name=" x"),)}, "surrounding"),
        ({"meta": {"budget": "100", "vote_type": "approval", "num_votes": "7"}}, "num_votes"),
        ({"meta": {"budget": "many", "vote_type": "approval"}}, "budget"),
        ({"project_columns": ("project_id",)}, "cost missing"),
        ({"ballots": (Ballot(voter_id="1", projects=(), extra={"age": "5"}),)}, "extra fields"),
    ],
)
def test_an_election_that_would_not_read_back_equal_cannot_be_made(change, message):
    fields = {
        "meta": {"budget": "100", "vote_type": "approval"},
        "projects": (Project(project_id="a", cost=Decimal(1)),),
        "ballots": (Ballot(voter_id="1", projects=("a",)),),
        "project_columns": ("project_id", "cost", "name"),
    }
    fields.update(change)
    with pytest.raises(ValueError, match=message):
        Election(**fields)


def test_free_text_becomes_a_valid_value():
    assert pabulib_text("  Spiel\x00platz\r\nam   Markt\u2028 ") == "Spielplatz am Markt"
