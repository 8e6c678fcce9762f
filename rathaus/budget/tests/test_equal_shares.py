"""The Method of Equal Shares with add1: worked examples, tie-breaking, exactness, and the fast
implementation against the plain one on random elections."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from rathaus.budget.pabulib import election_parse
from rathaus.budget.rules import (
    RuleError,
    _EqualShares,
    _Profile,
    equal_shares_select,
    greedy_select,
)

from .elections import SAMPLES, election_make, election_random
from .reference import add1_reference, equal_shares_reference

# The standard example of proportionality: 10 voters, budget 600, so 60 per voter. Six voters
# want X1, X2, X3, four want Y1, Y2; every project costs 200.
MAJORITY = election_make(
    budget=600,
    projects={"X1": 200, "X2": 200, "X3": 200, "Y1": 200, "Y2": 200},
    votes=["X1,X2,X3"] * 6 + ["Y1,Y2"] * 4,
)


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the messages."""


def test_greedy_gives_the_majority_everything():
    assert greedy_select(election=MAJORITY).winners == ("X1", "X2", "X3")


def test_equal_shares_without_completion_funds_each_group_by_its_money():
    # X1: six voters pay 33.33 each (ρ = 1/6) and keep 26.67, too little for X2 (160 < 200).
    # Y1: four voters pay 50 each (ρ = 1/4). 400 of 600 are spent.
    result = equal_shares_select(election=MAJORITY, add1=False)
    assert result.winners == ("X1", "Y1")
    assert result.spent == Decimal(400)
    assert result.share_per_voter == 60
    assert result.details == {"mes_runs": 1}


def test_add1_raises_the_shares_until_the_budget_is_used_proportionally():
    # With 67 per voter the X voters keep 33.67 after X1 and can pay X2 (202 >= 200): X1, X2,
    # then Y1 spend exactly 600. With 66 they could not (196 < 200), and the outcome X1, Y1
    # was not exhaustive (X2 would still fit).
    result = equal_shares_select(election=MAJORITY)
    assert result.winners == ("X1", "X2", "Y1")
    assert result.spent == result.budget == Decimal(600)
    assert result.share_per_voter == 67
    assert result.details["add1_increment"] == 7
    assert result.details["add1_end"] == "exhaustive"
    assert result.parameters == {"completion": "add1"}
    assert result.voters_with_funded_project == 10
    assert result.average_funded_projects_per_voter == Fraction(6 * 2 + 4 * 1, 10)


def test_add1_keeps_the_last_outcome_within_the_budget():
    # Budget 80 for 3 voters (26.67 each). C (cost 40, voters 2 and 3) is bought first at
    # ρ = 1/2. A (30, voter 3) and B (50, voter 1) each need their single supporter to pay all,
    # which voter 3 can do from a share of 50 on, as voter 1 can for B. Shares below 50 give
    # only C, which is not exhaustive (A would still fit). The share 80/3 + 24 >= 50 buys C, A
    # and B: 120, over the budget. So the result is C, with 80/3 + 23 per voter.
    election = election_make(
        budget=80, projects={"A": 30, "B": 50, "C": 40}, votes=["B", "C", "A,C"]
    )
    result = equal_shares_select(election=election)
    assert result.winners == ("C",)
    assert result.details["add1_increment"] == 23
    assert result.details["add1_end"] == "over budget"
    assert result.share_per_voter == Fraction(80, 3) + 23


def test_an_equal_share_goes_to_the_lower_cost_first():
    # 3 voters, 30 each. P (60; voters 1, 2) and R (40; voters 2, 3) both have ρ = 1/2.
    # R first: voter 2 keeps 10, and P can no longer be paid (30 + 10 < 60).
    election = election_make(budget=90, projects={"P": 60, "R": 40}, votes=["P", "P,R", "R"])
    assert equal_shares_select(election=election, add1=False).winners == ("R",)


def test_an_equal_share_and_cost_go_to_more_votes():
    # 8 voters, 25 each; voter 4 votes for nothing. W (100; voters 5-8) takes all their money
    # first (ρ = 1/4). Then P (50; voters 1, 2) and Q (50; voters 2, 3, 5) both cost their two
    # paying supporters 25 each (ρ = 1/2): Q has three votes, so Q goes first and P can no
    # longer be paid.
    election = election_make(
        budget=200,
        projects={"P": 50, "Q": 50, "W": 100},
        votes=["P", "P,Q", "Q", "", "Q,W", "W", "W", "W"],
    )
    assert equal_shares_select(election=election, add1=False).winners == ("W", "Q")


def test_an_equal_share_cost_and_vote_count_go_to_the_lower_id():
    # 3 voters, 30 each; a and b cost 50 and have two supporters each (ρ = 1/2). a first:
    # voter 2 keeps 5, and b can no longer be paid (5 + 30 < 50).
    election = election_make(budget=90, projects={"b": 50, "a": 50}, votes=["a", "a,b", "b"])
    assert equal_shares_select(election=election, add1=False).winners == ("a",)


def test_money_that_exactly_covers_a_cost_buys_it():
    # 6 voters, 0.80 each. B (0.30; voters 2, 4, 6) and A (2.10; voters 1, 3, 5) come first at
    # ρ = 1/3 (B first: lower cost), leaving voter 1 with 0.10 and voter 2 with 0.70: exactly
    # the 0.80 that C (voters 1, 2) costs, to the cent.
    election = election_make(
        budget="4.80",
        projects={"A": "2.10", "B": "0.30", "C": "0.80"},
        votes=["A,C", "B,C", "A", "B", "A", "B"],
    )
    result = equal_shares_select(election=election, add1=False)
    assert result.winners == ("B", "A", "C")
    assert result.spent == Decimal("3.20")


def test_shares_are_exact_fractions():
    election = election_make(budget=100, projects={"A": 100}, votes=["A", "A", "A"])
    result = equal_shares_select(election=election, add1=False)
    assert result.share_per_voter == Fraction(100, 3)
    assert result.winners == ("A",)


def test_free_projects_with_votes_come_first_and_projects_without_votes_never():
    election = election_make(
        budget=100, projects={"A": 50, "free": 0, "nobody": 10}, votes=["A,free", "A"]
    )
    assert equal_shares_select(election=election).winners == ("free", "A")


def test_an_election_without_voters_funds_nothing():
    election = election_make(budget=100, projects={"A": 50}, votes=[])
    result = equal_shares_select(election=election)
    assert result.winners == ()
    assert result.share_per_voter is None
    assert result.share_of_voters_with_funded_project == 0


@pytest.mark.parametrize("name", ["cumulative.pb", "ordinal.pb", "scoring.pb"])
def test_ballots_other_than_approvals_are_refused(name):
    election = election_parse(data=(SAMPLES / name).read_bytes())
    with pytest.raises(RuleError, match="count approval ballots"):
        equal_shares_select(election=election)


def test_long_add1_runs_skip_steps_that_cannot_change_the_outcome():
    # 30 voters, 50 each. Voter 1 alone wants "big" (1,000): only from a share of 1,000 on,
    # 950 steps of add1, does it fit beside "small" (500, the 29 others) and use the budget.
    election = election_make(
        budget=1500, projects={"big": 1000, "small": 500}, votes=["big"] + ["small"] * 29
    )
    result = equal_shares_select(election=election)
    assert result.winners == ("small", "big")
    assert result.details["add1_increment"] == add1_reference(election)[1] == 950
    assert result.details["mes_runs"] < 40


@pytest.mark.parametrize("seed", range(300))
def test_random_elections_give_what_the_plain_rule_gives(seed):
    election = election_random(seed)
    if election.ballots:
        share = Fraction(election.budget) / len(election.ballots)
        plain = equal_shares_select(election=election, add1=False)
        assert list(plain.winners) == equal_shares_reference(election, share=share)
    result = equal_shares_select(election=election)
    winners, step = add1_reference(election)
    assert (list(result.winners), result.details["add1_increment"]) == (winners, step)


def _long_add1_election(seed: int):
    """Few voters with expensive wishes: add1 takes hundreds of steps."""
    rng = random.Random(seed)
    ids = ["A", "B", "C", "D"][: rng.randint(2, 4)]
    costs = {pid: rng.choice([40, 90, 150, 220, 400, 555]) for pid in ids}
    votes = [",".join(p for p in ids if rng.random() < 0.5) for _ in range(rng.randint(2, 6))]
    return election_make(budget=rng.choice([100, 200, 300]), projects=costs, votes=votes)


@pytest.mark.parametrize("seed", range(40))
def test_long_add1_runs_give_what_stepping_one_by_one_gives(seed):
    election = _long_add1_election(seed)
    result = equal_shares_select(election=election)
    winners, step = add1_reference(election)
    assert (list(result.winners), result.details["add1_increment"]) == (winners, step)


@pytest.mark.parametrize("seed", range(60))
def test_a_certified_range_of_shares_has_one_outcome_throughout(seed):
    """The proof behind skipping: when the check at a larger share passes, every share in
    between gives exactly the same outcome."""
    rng = random.Random(seed)
    election = election_random(seed) if seed % 2 else _long_add1_election(seed)
    if not election.ballots:
        return
    engine = _EqualShares(_Profile(election))
    checked = 0
    for _ in range(6):
        first = rng.randint(0, 40)
        last = first + rng.randint(1, 60)
        if engine.run(last, reference=engine.run(first)).certified:
            checked += 1
            expected = engine.run(first).winners
            assert all(engine.run(step).winners == expected for step in range(first, last + 1))
    assert checked or seed % 2  # the long elections always offer certified ranges


def test_the_rules_decide_without_floating_point_numbers():
    import ast
    import inspect

    from rathaus.budget import rules

    found = []
    for node in ast.walk(ast.parse(inspect.getsource(rules))):
        division = isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Div)
        literal = isinstance(node, ast.Constant) and isinstance(node.value, float)
        conversion = isinstance(node, ast.Name) and node.id in {"float", "round"}
        if division or literal or conversion:
            found.append(node.lineno)
    assert found == []
