"""Online voting: eligibility, the ballot's rules, changing the ballot, receipts, retention."""

import datetime

import pytest
from django.utils import timezone

from rathaus.accounts.models import LevelOfAssurance
from rathaus.budget.models import Ballot, BallotChannel, PaperBallotEntry
from rathaus.budget.proposals import ballot_proposals
from rathaus.budget.voting import (
    VotingError,
    ballot_cast,
    ballot_keys_purge,
    receipt_check,
    voter_key,
    voter_person,
    voter_units,
)

from .voting_fixtures import LENA, SUBSTANTIAL, ids

pytestmark = pytest.mark.django_db


def _cast(unit, user, *titles, assurance=SUBSTANTIAL, at=None):
    return ballot_cast(
        unit=unit, user=user, assurance=assurance, proposal_ids=ids(unit, *titles), at=at
    )


def _city(process):
    return process.units.get(district="")


def _refused(code: str, unit, user, *titles, **kwargs) -> None:
    before = list(Ballot.objects.values_list("pk", "receipt_hash"))
    with pytest.raises(VotingError) as refused:
        _cast(unit, user, *titles, **kwargs)
    assert refused.value.code == code
    assert str(refused.value)
    assert list(Ballot.objects.values_list("pk", "receipt_hash")) == before


def test_a_resident_votes_and_the_receipt_code_checks_the_ballot(voting, lena):
    code = _cast(_city(voting), lena, "Trinkbrunnen", "Radbügel")
    ballot = Ballot.objects.get()
    assert ballot.channel == BallotChannel.ONLINE
    assert {p.title for p in ballot.proposals.all()} == {"Trinkbrunnen", "Radbügel"}
    assert ballot.cast_on == timezone.localdate()
    # Only a hash of the code is stored; typing it in lower case with spaces still finds it.
    assert code not in ballot.receipt_hash
    assert receipt_check(process=voting, code=code.lower().replace("-", " ")) == ballot
    assert receipt_check(process=voting, code="AAAA-BBBB-CCCC-DDDD-EEEE") is None


def test_the_voter_key_is_a_keyed_hash_never_the_register_id(voting, lena, settings):
    _cast(_city(voting), lena, "Trinkbrunnen")
    key = Ballot.objects.get().voter_key
    assert LENA not in key and len(key) == 64
    assert key == voter_key(process=voting, register_id=LENA)
    settings.RATHAUS_BUDGET_VOTER_KEY_SECRET = "a-dedicated-secret"
    assert voter_key(process=voting, register_id=LENA) != key


def test_changing_the_ballot_updates_the_same_row_and_the_old_receipt_expires(voting, lena):
    unit = _city(voting)
    first = _cast(unit, lena, "Trinkbrunnen")
    second = _cast(unit, lena, "Radbügel", "Spielplatz Nordpark")
    ballot = Ballot.objects.get()
    assert {p.title for p in ballot.proposals.all()} == {"Radbügel", "Spielplatz Nordpark"}
    assert receipt_check(process=voting, code=second) == ballot
    assert receipt_check(process=voting, code=first) is None


def test_a_district_resident_votes_in_the_city_and_in_their_district(voting, lena, thomas):
    assert [u.name for u in voter_units(process=voting, person=voter_person(user=lena))] == [
        "Gesamte Stadt",
        "Elberfeld",
    ]
    elberfeld = voting.units.get(district="Elberfeld")
    _cast(elberfeld, lena, "Bank am Ölberg")
    assert [u.name for u in voter_units(process=voting, person=voter_person(user=thomas))] == [
        "Gesamte Stadt"
    ]
    _refused("not_eligible", elberfeld, thomas, "Bank am Ölberg")


def test_nobody_outside_the_register_votes(voting, stranger):
    _refused("not_eligible", _city(voting), stranger, "Trinkbrunnen")


def test_under_age_on_the_closing_day_does_not_vote(voting, paul):
    closing = timezone.localdate(voting.voting_closes)
    born = datetime.date(2012, 9, 30)
    age = closing.year - born.year - ((closing.month, closing.day) < (born.month, born.day))
    voting.minimum_age = age + 1
    voting.save()
    _refused("not_eligible", _city(voting), paul, "Trinkbrunnen")
    voting.minimum_age = age
    voting.save()
    _cast(_city(voting), paul, "Trinkbrunnen")


def test_a_login_below_the_process_assurance_does_not_vote(voting, lena):
    _refused("assurance", _city(voting), lena, "Trinkbrunnen", assurance=LevelOfAssurance.BASIC)
    _refused("assurance", _city(voting), lena, "Trinkbrunnen", assurance=None)


def test_outside_the_voting_period_nothing_counts(voting, lena):
    unit = _city(voting)
    _refused("closed", unit, lena, "Trinkbrunnen", at=voting.voting_opens - datetime.timedelta(1))
    _refused("closed", unit, lena, "Trinkbrunnen", at=voting.voting_closes)


def test_too_few_too_many_and_over_the_budget_are_refused(voting, lena):
    unit = _city(voting)
    _refused("too_few", unit, lena)
    _refused(
        "too_many",
        unit,
        lena,
        "Trinkbrunnen",
        "Radbügel",
        "Spielplatz Nordpark",
        "Lesesessel Stadtbibliothek",
    )
    # 40,000 + 30,000 + 50,000 > 100,000 with the cost cap.
    _refused(
        "over_budget",
        unit,
        lena,
        "Trinkbrunnen",
        "Spielplatz Nordpark",
        "Lesesessel Stadtbibliothek",
    )
    voting.cost_cap = False
    voting.save()
    _cast(unit, lena, "Trinkbrunnen", "Spielplatz Nordpark", "Lesesessel Stadtbibliothek")


def test_projects_not_on_the_ballot_are_refused(voting, lena):
    unit = _city(voting)
    elberfeld = voting.units.get(district="Elberfeld")
    hidden = unit.proposals.get(title="Radbügel")
    hidden.hidden_at = timezone.now()
    hidden.save()
    assert hidden not in ballot_proposals(unit=unit)
    for wrong in ([hidden.pk], ids(elberfeld, "Bank am Ölberg"), ["x"], [10**9]):
        with pytest.raises(VotingError) as refused:
            ballot_cast(unit=unit, user=lena, assurance=SUBSTANTIAL, proposal_ids=wrong)
        assert refused.value.code == "unknown"
    assert not Ballot.objects.exists()


def test_a_counted_paper_ballot_cannot_be_replaced_online(voting, lena):
    unit = _city(voting)
    Ballot.objects.create(
        unit=unit,
        voter_key=voter_key(process=voting, register_id=LENA),
        channel=BallotChannel.PAPER,
        cast_on=timezone.localdate(),
    )
    with pytest.raises(VotingError) as refused:
        _cast(unit, lena, "Trinkbrunnen")
    assert refused.value.code == "paper"
    assert Ballot.objects.get().proposals.count() == 0


def test_voter_keys_are_erased_and_paper_entries_deleted_after_the_retention(
    voting, lena, clerks, settings
):
    unit = _city(voting)
    _cast(unit, lena, "Trinkbrunnen")
    PaperBallotEntry.objects.create(
        unit=unit, sheet_number="1", voter_key="k", entered_by=clerks[0]
    )
    assert ballot_keys_purge() == 0
    voting.results_published_at = timezone.now() - datetime.timedelta(
        days=settings.RATHAUS_BUDGET_VOTER_KEY_RETENTION_DAYS + 1
    )
    voting.save()
    assert ballot_keys_purge() == 2
    ballot = Ballot.objects.get()
    assert ballot.voter_key is None
    assert ballot.proposals.count() == 1  # the anonymous ballot stays for the published count
    assert not PaperBallotEntry.objects.exists()
    assert ballot_keys_purge() == 0


def test_demo_ballots_are_cast_once(city):
    from rathaus.demo.budget import demo_budget_load
    from rathaus.demo.budget_ballots import demo_budget_ballots_load

    process = demo_budget_load()
    cast = demo_budget_ballots_load(process)
    assert cast > 10 and Ballot.objects.count() == cast
    assert demo_budget_ballots_load(process) == 0
