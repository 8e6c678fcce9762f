"""One voter casting 200 ballots at the same moment from many web processes: PostgreSQL's row
lock and the unique constraint (unit, voter_key) leave exactly one ballot, one of those cast."""

import itertools
import threading

import pytest
from django.db import connection

from rathaus.budget.models import Ballot
from rathaus.budget.voting import ballot_cast, receipt_check

from .voting_fixtures import SUBSTANTIAL

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CASTS = 200
# PostgreSQL allows 100 connections by default, shared with other tests and tools: at most this
# many casts hold a connection at once; all 200 threads still start together at the barrier.
CONNECTIONS = 40


def test_200_parallel_casts_by_one_voter_leave_one_ballot(voting, lena):
    unit = voting.units.get(district="")
    projects = list(unit.proposals.order_by("number").values_list("pk", flat=True))
    # Every valid ballot: one to three projects within the budget (all pairs and singles fit).
    choices = [set(c) for n in (1, 2) for c in itertools.combinations(projects, n)]
    submitted = [choices[i % len(choices)] for i in range(CASTS)]
    barrier = threading.Barrier(CASTS)
    slots = threading.BoundedSemaphore(CONNECTIONS)
    codes: list[str] = []
    errors: list[BaseException] = []

    def cast(choice: set[int]) -> None:
        try:
            barrier.wait()
            with slots:
                try:
                    codes.append(
                        ballot_cast(
                            unit=unit, user=lena, assurance=SUBSTANTIAL, proposal_ids=choice
                        )
                    )
                finally:
                    connection.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=cast, args=(choice,)) for choice in submitted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(codes) == CASTS
    ballot = Ballot.objects.get()
    assert set(ballot.proposals.values_list("pk", flat=True)) in submitted
    # The last ballot's receipt is one of the codes handed out; the others are void.
    counted = [code for code in codes if receipt_check(process=voting, code=code)]
    assert len(counted) == 1
