"""The counting rules of the citizens' budget: greedy by votes and the Method of Equal Shares.

Both rules work on approval ballots (Pabulib vote types `approval` and `choose-1`) and decide
with exact arithmetic: money is scaled to whole numbers and shares are exact fractions, so no
rounding can change a result. docs/budget-rules.md states the rules, their tie-breaking and how
anyone can check a result; the test suite compares them with pabutools, the reference
implementation of the research community, which the product never imports.

Method of Equal Shares (MES) with cost utilities: every voter starts with an equal share of the
budget. A project can be bought if its supporters together still have its cost; among those,
MES buys the one whose cost can be split most evenly: the smallest ρ such that every supporter
pays min(own money, ρ · cost) and the payments add up to the cost. Voters who cannot pay the
full share pay what they have. The "add1" completion then raises every voter's starting share
by one currency unit at a time and runs MES again, until the outcome is exhaustive (no further
project with votes would fit in the budget) or would overspend the budget; in the second case
the last outcome within the budget is the result. This is pabutools' `method_of_equal_shares`
with `voter_budget_increment=1`, the rule `equalshares/add1` of Pabulib.

How this implementation stays fast (Warsaw 2026, 61,668 voters: one MES run in a few tens of
milliseconds, add1 in seconds):

* A voter's money depends only on the funded projects the voter supports, so voters are held
  in classes with equal money (`_Run`); money is an integer over one common denominator.
* MES only looks again at projects whose last known ρ could still win the round (ρ never falls
  during a run), as pabutools does.
* add1 skips starting shares that provably give the same outcome (`_certified`): for a fixed
  order of funded projects, more starting money leaves every voter at least as much before
  every round, so every ρ is at most as large. If in every round the winner at share t1, taken
  with its ρ at t1, still beats every other project taken with its ρ at t2 > t1, then every
  share between t1 and t2 funds the same projects in the same order. One run at t2 checks
  that, and the shares between need no run of their own.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import gcd

import numpy as np
from django.utils.translation import gettext_lazy as _

from .pabulib import APPROVAL_VOTE_TYPES, Election

RULES = ("equal-shares", "greedy")
GREEDY_VARIANTS = ("skip", "stop")


class RuleError(ValueError):
    """A rule cannot be applied to this election; the message can be shown to the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class BudgetResult:
    """The outcome of a rule with the figures the results page shows."""

    rule: str
    parameters: dict
    # Project ids in the order the rule selected them.
    winners: tuple[str, ...]
    budget: Decimal
    spent: Decimal
    voters: int
    # Voters who support at least one funded project, and the funded projects summed over all
    # voters (a voter supporting three funded projects counts three).
    voters_with_funded_project: int
    funded_supports: int
    # Equal Shares: each voter's share of the budget in the run that gave the result (the
    # budget divided by the number of voters, plus what add1 added), in currency units.
    share_per_voter: Fraction | None = None
    details: dict = field(default_factory=dict)

    @property
    def share_of_voters_with_funded_project(self) -> Fraction:
        return (
            Fraction(self.voters_with_funded_project, self.voters) if self.voters else Fraction(0)
        )

    @property
    def average_funded_projects_per_voter(self) -> Fraction:
        return Fraction(self.funded_supports, self.voters) if self.voters else Fraction(0)


class _Profile:
    """An approval election as integers: costs and budget scaled to whole numbers."""

    def __init__(self, election: Election):
        if election.vote_type not in APPROVAL_VOTE_TYPES:
            raise RuleError(
                _(
                    "The rules count approval ballots (vote types approval and choose-1); "
                    "this election has %(type)s ballots."
                )
                % {"type": election.vote_type}
            )
        self.election = election
        self.ids = [p.project_id for p in election.projects]
        self.costs = [p.cost for p in election.projects]
        budget = election.budget
        decimals = max(-min(0, int(d.as_tuple().exponent)) for d in [budget, *self.costs])
        self.scale = 10**decimals
        self.budget = budget
        # Through Fraction: exact whatever the decimal context's precision.
        self.budget_units = int(Fraction(budget) * self.scale)
        self.cost_units = [int(Fraction(c) * self.scale) for c in self.costs]
        index = {pid: i for i, pid in enumerate(self.ids)}
        self.n = len(election.ballots)
        supporters: list[list[int]] = [[] for _ in self.ids]
        self.ballots: list[tuple[int, ...]] = []
        for voter, ballot in enumerate(election.ballots):
            approved = tuple(index[pid] for pid in ballot.projects)
            self.ballots.append(approved)
            for p in approved:
                supporters[p].append(voter)
        self.votes = [len(s) for s in supporters]
        self.supporters = [np.array(s, dtype=np.int32) for s in supporters]

    def result(
        self,
        *,
        rule: str,
        parameters: dict,
        winners: Sequence[int],
        share: Fraction | None = None,
        details: dict | None = None,
    ) -> BudgetResult:
        funded = set(winners)
        per_voter = [sum(1 for p in approved if p in funded) for approved in self.ballots]
        return BudgetResult(
            rule=rule,
            parameters=parameters,
            winners=tuple(self.ids[p] for p in winners),
            budget=self.budget,
            spent=sum((self.costs[p] for p in winners), Decimal(0)),
            voters=self.n,
            voters_with_funded_project=sum(1 for count in per_voter if count),
            funded_supports=sum(per_voter),
            share_per_voter=share,
            details=details or {},
        )


def greedy_select(
    *,
    election: Election,
    variant: str = "skip",
    min_votes: int = 0,
    min_share: Fraction | None = None,
) -> BudgetResult:
    """Fund projects by number of votes while the money lasts.

    Projects are taken in order of votes; equal votes go to the lower cost, then to the lower
    project id (compared as text). `skip` passes over a project that no longer fits and goes
    on; `stop` ends at the first one that does not fit. A project needs at least one vote, at
    least `min_votes` votes and, with `min_share`, votes from at least that share of voters.
    """
    if variant not in GREEDY_VARIANTS:
        raise RuleError(
            _("Unknown greedy variant %(variant)s (known: %(known)s).")
            % {"variant": variant, "known": ", ".join(GREEDY_VARIANTS)}
        )
    if min_share is not None:
        min_share = Fraction(min_share)
    if min_votes < 0 or (min_share is not None and not 0 <= min_share <= 1):
        raise RuleError(_("The minimum of votes must be a number of votes or a share from 0 to 1."))
    profile = _Profile(election)
    votes = profile.votes

    def eligible(p: int) -> bool:
        if votes[p] < max(1, min_votes):
            return False
        return min_share is None or votes[p] >= min_share * profile.n

    order = sorted(
        (p for p in range(len(profile.ids)) if eligible(p)),
        key=lambda p: (-votes[p], profile.cost_units[p], profile.ids[p]),
    )
    left = profile.budget_units
    winners = []
    for p in order:
        if profile.cost_units[p] <= left:
            winners.append(p)
            left -= profile.cost_units[p]
        elif variant == "stop":
            break
    parameters = {"variant": variant, "min_votes": min_votes}
    if min_share is not None:
        parameters["min_share"] = str(min_share)
    return profile.result(rule="greedy", parameters=parameters, winners=winners)


def equal_shares_select(*, election: Election, add1: bool = True) -> BudgetResult:
    """The Method of Equal Shares with cost utilities, by default with the add1 completion.

    Ties (equal ρ) go to the lower cost, then to more votes, then to the lower project id
    (compared as text).
    """
    profile = _Profile(election)
    engine = _EqualShares(profile)
    if add1:
        run, step, runs, ending = engine.add1()
        details = {"add1_increment": step, "add1_end": ending, "mes_runs": runs}
    else:
        run, step, details = engine.run(0), 0, {"mes_runs": 1}
    share = Fraction(profile.budget_units, profile.scale * profile.n) + step if profile.n else None
    return profile.result(
        rule="equal-shares",
        parameters={"completion": "add1" if add1 else "none"},
        winners=run.winners,
        share=share,
        details=details,
    )


def rule_apply(*, election: Election, rule: str, **parameters) -> BudgetResult:
    """Apply the rule named as in `RULES` with its parameters."""
    if rule == "equal-shares":
        return equal_shares_select(election=election, **parameters)
    if rule == "greedy":
        return greedy_select(election=election, **parameters)
    raise RuleError(
        _("Unknown rule %(rule)s (known: %(known)s).") % {"rule": rule, "known": ", ".join(RULES)}
    )


# ρ values are exact fractions held as (numerator, denominator) pairs of integers, compared by
# cross-multiplication. `_key` is ⌊ρ · 2^96⌋: an integer that orders the projects cheaply; a
# strictly larger key means a strictly larger ρ, and equal keys are compared exactly.
_KEY_BITS = 96


def _key(rho: tuple[int, int]) -> int:
    return (rho[0] << _KEY_BITS) // rho[1]


def _ahead(rho_a, rank_a: int, rho_b, rank_b: int) -> bool:
    """Whether a project with (ρ, tie rank) a is chosen before one with b."""
    left, right = rho_a[0] * rho_b[1], rho_b[0] * rho_a[1]
    return left < right or (left == right and rank_a < rank_b)


@dataclass
class _Outcome:
    """One MES run: the winners in order and the ρ each had when it was selected."""

    winners: list[int]
    rhos: list[tuple[int, int]]
    certified: bool = True


class _Evaluation:
    """ρ of one project in the current round, with what is needed to let it win."""

    __slots__ = ("budgets", "classes", "numerator", "payers", "rho", "rich")

    def __init__(self, rho, numerator, rich, classes, budgets, payers):
        self.rho = rho
        self.numerator = numerator  # share per rich supporter, over the run's denominator
        self.rich = rich  # how many supporters pay the full share
        self.classes = classes  # class ids of the supporters with money left
        self.budgets = budgets  # money per voter of each class, over the run's denominator
        self.payers = payers  # positions of the classes that pay the full share


class _EqualShares:
    def __init__(self, profile: _Profile):
        self.profile = profile
        n = profile.n
        # Money in units of 1 / (n * scale) currency: every voter starts with the whole budget
        # (in these units) and add1 adds n * scale units per step.
        self.costs = [c * n for c in profile.cost_units]
        self.start = profile.budget_units
        self.step_units = n * profile.scale
        votes = profile.votes
        self.rank = [0] * len(votes)
        for position, p in enumerate(
            sorted(
                range(len(votes)),
                key=lambda p: (profile.cost_units[p], -votes[p], profile.ids[p]),
            )
        ):
            self.rank[p] = position
        # Approved projects that cost nothing are funded before anything else; projects
        # without votes never.
        self.free = sorted(
            (p for p in range(len(votes)) if votes[p] and not self.costs[p]),
            key=self.rank.__getitem__,
        )
        self.candidates = [p for p in range(len(votes)) if votes[p] and self.costs[p]]

    def run(self, step: int, reference: _Outcome | None = None) -> _Outcome:
        return _Run(self, self.start + step * self.step_units, reference).outcome

    def _stops(self, outcome: _Outcome) -> str:
        """Whether add1 ends with this outcome: "over" budget, "exhaustive", or "" (go on)."""
        costs = self.profile.cost_units
        spent = sum(costs[p] for p in outcome.winners)
        limit = self.profile.budget_units
        if spent > limit:
            return "over"
        funded = set(outcome.winners)
        if all(p in funded or costs[p] + spent > limit for p in self.candidates):
            return "exhaustive"
        return ""

    def add1(self) -> tuple[_Outcome, int, int, str]:
        """The add1 completion: (outcome, units added to every voter's share, MES runs, and
        why it ended: "exhaustive", or "over budget" when the next step overspent).

        Equivalent to running MES for the steps 0, 1, 2, ... and stopping at the first
        exhaustive outcome, or at the first one over budget (whose predecessor is the result).
        Steps whose outcome is certified to equal a checked step's are not run: they are
        neither exhaustive nor over budget, as both depend on the funded projects only.
        """
        if not self.profile.n:
            return _Outcome(list(self.free), []), 0, 0, "exhaustive"
        step, current, runs = 0, self.run(0), 1
        stop = self._stops(current)
        if stop == "over":  # cannot happen with the plain budget; mirrors pabutools
            return _Outcome(list(self.free), []), 0, runs, "over budget"
        if stop:
            return current, step, runs, stop
        # Skipping pays where the outcome stays the same for many steps (Assen 2024: 843 steps,
        # 6 different outcomes); where it changes every few steps (Warsaw 2026), a failed check
        # costs a run for nothing. So a check is tried only after `patience` steps without a
        # change; the stride doubles while checks pass; a failed check is followed by a binary
        # search for the farthest step that passes (checks from one step are monotone: a
        # passing one certifies every smaller stride too), then the next step is run exactly.
        # Every failure doubles the patience (up to 8), every success halves it.
        stride, calm, patience = 1, 0, 1
        while True:
            if stride == 1:
                following = self.run(step + 1)
                runs += 1
                stop = self._stops(following)
                if stop == "over":
                    return current, step, runs, "over budget"
                calm = calm + 1 if following.winners == current.winners else 0
                step, current = step + 1, following
                if stop:
                    return current, step, runs, stop
                stride = 2 if calm >= patience else 1
                continue
            probe = self.run(step + stride, reference=current)
            runs += 1
            if probe.certified:
                step, current = step + stride, probe
                stride *= 2
                patience = max(1, patience // 2)
                continue
            passed, failed, farthest = 0, stride, current
            while failed - passed > 1:
                middle = (passed + failed) // 2
                probe = self.run(step + middle, reference=current)
                runs += 1
                if probe.certified:
                    passed, farthest = middle, probe
                else:
                    failed = middle
            step, current = step + passed, farthest
            stride, calm = 1, 0
            patience = min(8, patience * 2)


class _Run:
    """One run of MES with every voter starting at `start` money units.

    Voters with equal money form a class; class 0 holds those with no money left. A voter's
    class is an entry of `self.voter_class`, so moving the supporters of a winner is one numpy
    step. A class's money is `self.money[c] * self.factor[self.level[c]]` over the run's common
    denominator, which grows by a factor each time the rich supporters pay a share that is not
    a whole number of units. Money is exact: Python integers in numpy object arrays, which
    numpy computes with in C loops.
    """

    def __init__(self, engine: _EqualShares, start: int, reference: _Outcome | None):
        self.engine = engine
        profile = engine.profile
        self.supporters = profile.supporters
        self.costs = engine.costs
        self.rank = engine.rank
        self.voter_class = np.ones(profile.n, dtype=np.int32)
        self.classes = 2
        self.money = np.zeros(1024, dtype=object)
        self.money[1] = start
        self.level = np.zeros(1024, dtype=np.int32)
        self.factor = np.ones(1, dtype=object)
        self.denominator = 1
        self.outcome = self._select(reference)

    def _evaluate(self, p: int) -> _Evaluation | None:
        """ρ of project p now, or None if its supporters together cannot pay it any more."""
        supporters = self.supporters[p]
        classes = self.voter_class[supporters]
        if len(supporters) * 8 < self.classes:
            ids, counts = np.unique(classes, return_counts=True)
        else:
            counts = np.bincount(classes)
            ids = np.flatnonzero(counts)
            counts = counts[ids]
        if len(ids) and ids[0] == 0:  # no money left: they cannot pay and do not count
            ids, counts = ids[1:], counts[1:]
        counts = counts.astype(object)
        budgets = self.money[ids] * self.factor[self.level[ids]]
        price = self.costs[p] * self.denominator
        if (budgets * counts).sum() < price:
            return None  # even if everybody paid all they have (an empty sum is 0)
        # Supporters who cannot pay an equal share of the rest of the price pay all they have
        # ("poor"); the share grows as poor ones drop out, so repeat until nobody drops out.
        rich, paid = counts.sum(), 0
        payers = np.arange(len(ids))
        while True:
            # budget * rich < price - paid  ⟺  budget < ⌈(price - paid) / rich⌉ (whole numbers)
            dropping = budgets[payers] < -((paid - price) // rich)
            if not dropping.any():
                break
            poor = payers[dropping]
            paid += (budgets[poor] * counts[poor]).sum()
            rich -= counts[poor].sum()
            payers = payers[~dropping]
        numerator = price - paid  # the share per rich supporter is numerator / (rich * denom.)
        rho = (numerator, rich * self.denominator * self.costs[p])
        return _Evaluation(rho, numerator, rich, ids, budgets, payers)

    def _fund(self, winner: int, evaluation: _Evaluation) -> None:
        """Charge the winner's supporters and move them to their new classes."""
        common = gcd(evaluation.numerator, evaluation.rich)
        multiplier, share = evaluation.rich // common, evaluation.numerator // common
        payers = evaluation.payers
        # What the paying classes have left, over the new denominator (old one * multiplier).
        left = evaluation.budgets[payers] * multiplier - share
        if multiplier != 1:
            self.factor *= multiplier
            self.denominator *= multiplier
        self.factor = np.append(self.factor, np.ones(1, dtype=object))
        keep = left > 0
        left = left[keep]
        first, end = self.classes, self.classes + len(left)
        if end > len(self.money):
            grow = max(end, 2 * len(self.money)) - len(self.money)
            self.money = np.concatenate([self.money, np.zeros(grow, dtype=object)])
            self.level = np.concatenate([self.level, np.zeros(grow, dtype=np.int32)])
        self.money[first:end] = left
        self.level[first:end] = len(self.factor) - 1
        self.classes = end
        # Poor supporters, and rich ones left with nothing, go to class 0.
        mapping = np.zeros(end, dtype=np.int32)
        mapping[evaluation.classes[payers[keep]]] = np.arange(first, end)
        supporters = self.supporters[winner]
        self.voter_class[supporters] = mapping[self.voter_class[supporters]]

    def _select(self, reference: _Outcome | None) -> _Outcome:
        engine, rank = self.engine, self.rank
        winners = list(engine.free)
        rhos: list[tuple[int, int]] = []
        votes = engine.profile.votes
        # Lower bounds of ρ: a project's ρ never falls during a run, and it is 1 / votes when
        # every supporter can pay an equal share.
        self.bound = bound = {p: (1, votes[p]) for p in engine.candidates}
        self.key = key = {p: _key(bound[p]) for p in engine.candidates}
        remaining = set(engine.candidates)
        while True:
            best = best_rho = best_evaluation = best_key = None
            evaluated = set()
            for p in sorted(remaining, key=lambda p: (key[p], rank[p])):
                if best is not None:
                    if key[p] > best_key:
                        break  # this and all later ones have a larger ρ
                    if not _ahead(bound[p], rank[p], best_rho, rank[best]):
                        continue
                evaluation = self._evaluate(p)
                evaluated.add(p)
                if evaluation is None:
                    remaining.discard(p)
                    continue
                bound[p], key[p] = evaluation.rho, _key(evaluation.rho)
                if best is None or _ahead(evaluation.rho, rank[p], best_rho, rank[best]):
                    best, best_rho, best_evaluation, best_key = (
                        p,
                        evaluation.rho,
                        evaluation,
                        key[p],
                    )
            if reference is not None and not self._certified(
                reference, len(rhos), best, remaining, evaluated
            ):
                return _Outcome(winners, rhos, certified=False)
            if best is None:
                return _Outcome(winners, rhos)
            winners.append(best)
            rhos.append(best_rho)
            remaining.discard(best)
            self._fund(best, best_evaluation)

    def _certified(self, reference, round_, best, remaining, evaluated) -> bool:
        """Whether this round agrees with the reference run at a smaller start (see module)."""
        bound = self.bound
        if round_ == len(reference.rhos):
            return best is None  # the reference stopped here; this run must stop too
        winner = reference.winners[len(self.engine.free) + round_]
        if best != winner:
            return False
        rho, rank = reference.rhos[round_], self.rank
        for p in list(remaining):
            if p == winner or _ahead(rho, rank[winner], bound[p], rank[p]):
                continue
            if p in evaluated:
                return False
            evaluation = self._evaluate(p)
            if evaluation is None:
                remaining.discard(p)
                continue
            bound[p], self.key[p] = evaluation.rho, _key(evaluation.rho)
            if not _ahead(rho, rank[winner], evaluation.rho, rank[p]):
                return False
        return True
