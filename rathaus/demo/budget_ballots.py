"""Demo ballots for the demo citizens' budget: residents of the demo register who have no
account vote online with seeded random choices, so that the count and the results page have
something to show. Residents with an account are left to vote themselves. Idempotent."""

import random

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.budget.models import Ballot, BallotChannel, BudgetProcess
from rathaus.budget.proposals import ballot_proposals
from rathaus.budget.voting import eligibility_problem, receipt_hash, voter_key
from rathaus.registry.models import Resident
from rathaus.registry.selectors import registry


@transaction.atomic
def demo_budget_ballots_load(process: BudgetProcess) -> int:
    """Cast the demo ballots that are missing; returns how many were cast."""
    rng = random.Random(2027)  # noqa: S311  (demo data, seeded on purpose)
    with_account = set(User.objects.exclude(register_id="").values_list("register_id", flat=True))
    register = registry()
    cast = 0
    for register_id in Resident.objects.order_by("register_id").values_list(
        "register_id", flat=True
    ):
        person = register.person_by_id(register_id=register_id)
        key = voter_key(process=process, register_id=register_id)
        for unit in process.units.all():
            projects = list(ballot_proposals(unit=unit))
            # Draw for every resident, so that the choices stay the same whoever has an account.
            size = rng.randint(1, min(3, len(projects))) if projects else 0
            chosen = rng.sample(projects, size)
            if (
                not chosen
                or register_id in with_account
                or eligibility_problem(process=process, unit=unit, person=person)
                or Ballot.objects.filter(unit=unit, voter_key=key).exists()
            ):
                continue
            if process.cost_cap and sum(p.cost for p in chosen) > unit.budget:
                chosen = chosen[:1]
            ballot = Ballot.objects.create(
                unit=unit,
                voter_key=key,
                channel=BallotChannel.ONLINE,
                receipt_hash=receipt_hash(f"demo-{process.pk}-{unit.pk}-{register_id}"),
                cast_on=timezone.localdate(),
            )
            ballot.proposals.set(chosen)
            cast += 1
    return cast
