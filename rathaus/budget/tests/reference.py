"""The rules written the plain way, for the tests: one money value per voter, exact fractions,
every project looked at in every round, and add1 one step at a time. Slow, but each line can
be checked against the definition; the product's rules must give exactly the same results."""

from fractions import Fraction

from rathaus.budget.pabulib import Election


def _approvals(election: Election):
    costs = {p.project_id: Fraction(p.cost) for p in election.projects}
    ballots = [ballot.approved for ballot in election.ballots]
    votes = {pid: sum(1 for ballot in ballots if pid in ballot) for pid in costs}
    return costs, ballots, votes


def equal_shares_reference(election: Election, *, share: Fraction) -> list[str]:
    """MES with cost utilities, every voter starting with `share` (currency units)."""
    costs, ballots, votes = _approvals(election)
    money = [share] * len(ballots)

    def order(pid):  # ties: lower cost, more votes, lower id
        return (costs[pid], -votes[pid], pid)

    winners = sorted((pid for pid in costs if votes[pid] and not costs[pid]), key=order)
    left = {pid for pid in costs if votes[pid] and costs[pid]}
    while True:
        best = None
        for pid in left:
            supporters = [i for i, ballot in enumerate(ballots) if pid in ballot]
            if sum(money[i] for i in supporters) < costs[pid]:
                continue
            # The smallest payment cap q with sum(min(money, q)) == cost.
            paid, payers = Fraction(0), len(supporters)
            for budget in sorted(money[i] for i in supporters):
                cap = (costs[pid] - paid) / payers
                if cap <= budget:
                    break
                paid += budget
                payers -= 1
            rho = cap / costs[pid]
            if best is None or (rho, order(pid)) < (best[0], order(best[1])):
                best = (rho, pid, cap)
        if best is None:
            return winners
        _, pid, cap = best
        for i, ballot in enumerate(ballots):
            if pid in ballot:
                money[i] -= min(money[i], cap)
        winners.append(pid)
        left.remove(pid)


def add1_reference(election: Election) -> tuple[list[str], int]:
    """MES with add1, one unit per step: (winners, units added to each voter's share)."""
    costs, ballots, votes = _approvals(election)
    budget = Fraction(election.budget)
    if not ballots:
        return [], 0
    candidates = [pid for pid in costs if votes[pid] and costs[pid]]
    previous = sorted(pid for pid in costs if votes[pid] and not costs[pid])
    step = 0
    while True:
        winners = equal_shares_reference(election, share=budget / len(ballots) + step)
        spent = sum(costs[pid] for pid in winners)
        if spent > budget:
            return previous, step - 1
        if all(pid in winners or spent + costs[pid] > budget for pid in candidates):
            return winners, step
        previous, step = winners, step + 1


def greedy_reference(election: Election, *, variant: str = "skip", min_votes: int = 0) -> list:
    costs, _, votes = _approvals(election)
    left = Fraction(election.budget)
    winners = []
    for pid in sorted(costs, key=lambda pid: (-votes[pid], costs[pid], pid)):
        if votes[pid] < max(1, min_votes):
            continue
        if costs[pid] <= left:
            winners.append(pid)
            left -= costs[pid]
        elif variant == "stop":
            break
    return winners
