"""Greedy by votes: the variants, the vote threshold, tie-breaking and the result figures."""

from decimal import Decimal
from fractions import Fraction

import pytest

from rathaus.budget.pabulib import election_parse
from rathaus.budget.rules import RuleError, greedy_select, rule_apply

from .elections import SAMPLES, election_make, election_random
from .reference import greedy_reference

# Budget 100. By votes: A (4 votes, 60), B (3, 50: does not fit after A), C (2, 30), D (1, 10).
ELECTION = election_make(
    budget=100,
    projects={"A": 60, "B": 50, "C": 30, "D": 10},
    votes=["A,B,C,D", "A,B", "A,B,C", "A", ""],
)


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the messages."""


def test_skip_passes_over_a_project_that_does_not_fit():
    assert greedy_select(election=ELECTION).winners == ("A", "C", "D")


def test_stop_ends_at_the_first_project_that_does_not_fit():
    assert greedy_select(election=ELECTION, variant="stop").winners == ("A",)


def test_the_result_reports_the_money_and_who_got_something():
    result = greedy_select(election=ELECTION)
    assert result.rule == "greedy"
    assert result.parameters == {"variant": "skip", "min_votes": 0}
    assert (result.budget, result.spent) == (Decimal(100), Decimal(100))
    assert result.voters == 5
    # Voters 1-4 support A; the fifth cast an empty ballot.
    assert result.voters_with_funded_project == 4
    assert result.share_of_voters_with_funded_project == Fraction(4, 5)
    # Funded supports: voter 1 A,C,D; voter 2 A; voter 3 A,C; voter 4 A.
    assert result.average_funded_projects_per_voter == Fraction(7, 5)


def test_a_minimum_of_votes_leaves_out_less_supported_projects():
    assert greedy_select(election=ELECTION, min_votes=2).winners == ("A", "C")
    assert greedy_select(election=ELECTION, min_votes=4).winners == ("A",)


def test_a_minimum_share_of_voters_counts_exactly():
    # C has 2 of 5 votes: exactly 40 % of the voters.
    assert greedy_select(election=ELECTION, min_share=Fraction(2, 5)).winners == ("A", "C")
    just_above = Fraction(2, 5) + Fraction(1, 10**12)
    assert greedy_select(election=ELECTION, min_share=just_above).winners == ("A",)


def test_a_project_without_votes_is_never_funded_but_one_without_cost_is():
    election = election_make(budget=10, projects={"A": 5, "nobody": 1, "free": 0}, votes=["A,free"])
    # A and free have one vote each; the lower cost goes first.
    assert greedy_select(election=election).winners == ("free", "A")


def test_equal_votes_go_to_the_lower_cost_then_to_the_lower_id():
    election = election_make(
        budget=100,
        projects={"9": 50, "10": 50, "x": 40},
        votes=["9,10,x", "9,10,x"],
    )
    # All have two votes: x is cheapest; "10" comes before "9" as text.
    assert greedy_select(election=election).winners == ("x", "10")


def test_choose_one_ballots_are_counted_like_approvals():
    election = election_parse(data=(SAMPLES / "choose-1.pb").read_bytes())
    # A has two votes, B one (and no longer fits), C none.
    assert greedy_select(election=election).winners == ("A",)
    assert greedy_select(election=election, variant="skip").voters == 4


@pytest.mark.parametrize("name", ["cumulative.pb", "ordinal.pb", "scoring.pb"])
def test_ballots_other_than_approvals_are_refused(name):
    election = election_parse(data=(SAMPLES / name).read_bytes())
    with pytest.raises(RuleError, match="count approval ballots"):
        greedy_select(election=election)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"variant": "random"}, "Unknown greedy variant random"),
        ({"min_votes": -1}, "minimum of votes"),
        ({"min_share": Fraction(3, 2)}, "minimum of votes"),
    ],
)
def test_bad_parameters_are_refused(parameters, message):
    with pytest.raises(RuleError, match=message):
        greedy_select(election=ELECTION, **parameters)


def test_rules_are_chosen_by_name():
    assert rule_apply(election=ELECTION, rule="greedy", variant="stop").winners == ("A",)
    with pytest.raises(RuleError, match="Unknown rule approval-voting"):
        rule_apply(election=ELECTION, rule="approval-voting")


@pytest.mark.parametrize("seed", range(150))
def test_random_elections_give_what_the_plain_rule_gives(seed):
    election = election_random(seed)
    for variant in ("skip", "stop"):
        for min_votes in (0, 3):
            result = greedy_select(election=election, variant=variant, min_votes=min_votes)
            expected = greedy_reference(election, variant=variant, min_votes=min_votes)
            assert list(result.winners) == expected
