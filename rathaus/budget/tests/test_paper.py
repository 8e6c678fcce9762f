"""Paper ballots: double entry by two people, mismatches resolved by the lead, a person who
voted online keeps that ballot, entry only while allowed, every step audited."""

import datetime

import pytest
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.budget.models import Ballot, BallotChannel, PaperBallotEntry, PaperEntryStatus
from rathaus.budget.paper import paper_entry_add, paper_person_find, paper_sheet_resolve
from rathaus.budget.voting import VotingError, ballot_cast

from .voting_fixtures import LENA_ON_PAPER, SUBSTANTIAL, ids

pytestmark = pytest.mark.django_db


def _lena():
    person = dict(LENA_ON_PAPER, date_of_birth=datetime.date(1990, 3, 14))
    return paper_person_find(**person)


def _enter(unit, actor, sheet, *titles, person=None):
    return paper_entry_add(
        unit=unit,
        actor=actor,
        sheet_number=sheet,
        person=person or _lena(),
        proposal_ids=ids(unit, *titles),
    )


def _city(process):
    return process.units.get(district="")


def test_the_person_is_found_by_name_birth_date_and_main_address(city):
    assert _lena().register_id == "100001"
    wrong_address = dict(LENA_ON_PAPER, date_of_birth=datetime.date(1990, 3, 14), house_number="9")
    assert paper_person_find(**wrong_address) is None
    wrong_birthday = dict(LENA_ON_PAPER, date_of_birth=datetime.date(1990, 3, 15))
    assert paper_person_find(**wrong_birthday) is None


def test_two_matching_entries_by_two_people_count_as_one_paper_ballot(voting, clerks):
    anna, ben, _lead = clerks
    unit = _city(voting)
    first = _enter(unit, anna, "A-17", "Trinkbrunnen")
    assert first.status == PaperEntryStatus.PENDING
    assert not Ballot.objects.exists()
    second = _enter(unit, ben, " A-17 ", "Trinkbrunnen")
    assert second.status == PaperEntryStatus.COUNTED
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.receipt_hash) == (BallotChannel.PAPER, None)
    assert [p.title for p in ballot.proposals.all()] == ["Trinkbrunnen"]
    assert set(PaperBallotEntry.objects.values_list("status", flat=True)) == {"counted"}
    assert AuditEntry.objects.filter(action="budget.paper_entered").count() == 2
    assert "100001" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_the_same_person_cannot_enter_a_sheet_twice(voting, clerks):
    anna, _ben, _lead = clerks
    unit = _city(voting)
    _enter(unit, anna, "A-1", "Trinkbrunnen")
    with pytest.raises(VotingError) as refused:
        _enter(unit, anna, "A-1", "Trinkbrunnen")
    assert refused.value.code == "same_person"
    assert PaperBallotEntry.objects.count() == 1


def test_a_mismatch_is_flagged_and_the_lead_chooses_the_correct_entry(voting, clerks):
    anna, ben, lead = clerks
    unit = _city(voting)
    _enter(unit, anna, "B-2", "Trinkbrunnen")
    wrong = _enter(unit, ben, "B-2", "Radbügel")
    assert wrong.status == PaperEntryStatus.MISMATCH
    assert not Ballot.objects.exists()
    # A third entry by a caseworker is not the way: the lead decides.
    carol = clerks[0].__class__.objects.create_user("carol@stadt.example", "pw")
    carol.memberships.create(department=voting.department, role="caseworker")
    with pytest.raises(VotingError):
        _enter(unit, carol, "B-2", "Trinkbrunnen")
    with pytest.raises(VotingError) as refused:
        paper_sheet_resolve(unit=unit, actor=anna, sheet_number="B-2", entry_id=wrong.pk)
    assert refused.value.code == "forbidden"
    right = PaperBallotEntry.objects.get(entered_by=anna)
    chosen = paper_sheet_resolve(unit=unit, actor=lead, sheet_number="B-2", entry_id=right.pk)
    assert chosen.status == PaperEntryStatus.COUNTED
    wrong.refresh_from_db()
    assert (wrong.status, wrong.resolved_by) == (PaperEntryStatus.DISCARDED, lead)
    assert [p.title for p in Ballot.objects.get().proposals.all()] == ["Trinkbrunnen"]
    assert AuditEntry.objects.filter(action="budget.paper_resolved").count() == 1


def test_the_lead_may_enter_a_flagged_sheet_again_but_not_one_they_entered(voting, clerks):
    anna, ben, lead = clerks
    unit = _city(voting)
    _enter(unit, anna, "C-3", "Trinkbrunnen")
    _enter(unit, ben, "C-3", "Radbügel")
    chosen = paper_sheet_resolve(
        unit=unit,
        actor=lead,
        sheet_number="C-3",
        person=_lena(),
        proposal_ids=ids(unit, "Radbügel", "Trinkbrunnen"),
    )
    assert chosen.entered_by == lead and chosen.status == PaperEntryStatus.COUNTED
    assert {p.title for p in Ballot.objects.get().proposals.all()} == {"Radbügel", "Trinkbrunnen"}
    assert set(PaperBallotEntry.objects.exclude(pk=chosen.pk).values_list("status", flat=True)) == {
        PaperEntryStatus.DISCARDED
    }
    # A lead who entered a sheet is not the third person for it.
    _enter(unit, lead, "C-4", "Trinkbrunnen", person=_lena())
    with pytest.raises(VotingError) as refused:
        paper_sheet_resolve(unit=unit, actor=lead, sheet_number="C-4", entry_id=None)
    assert refused.value.code in {"same_person", "done"}


def test_a_paper_ballot_of_someone_who_voted_online_is_refused_and_flagged(voting, clerks, lena):
    anna, ben, _lead = clerks
    unit = _city(voting)
    code = ballot_cast(
        unit=unit, user=lena, assurance=SUBSTANTIAL, proposal_ids=ids(unit, "Radbügel")
    )
    _enter(unit, anna, "D-4", "Trinkbrunnen")
    second = _enter(unit, ben, "D-4", "Trinkbrunnen")
    assert second.status == PaperEntryStatus.REFUSED
    ballot = Ballot.objects.get()
    assert ballot.channel == BallotChannel.ONLINE
    assert [p.title for p in ballot.proposals.all()] == ["Radbügel"]
    assert ballot.receipt_hash and code
    # A second sheet of a person whose paper ballot counted is refused the same way.
    _enter(unit, anna, "D-5", "Trinkbrunnen")
    assert _enter(unit, ben, "D-5", "Trinkbrunnen").status == PaperEntryStatus.REFUSED
    assert Ballot.objects.count() == 1


def test_paper_entry_closes_after_the_grace_period_and_with_the_results(voting, clerks, settings):
    anna, _ben, _lead = clerks
    unit = _city(voting)
    settings.RATHAUS_BUDGET_PAPER_GRACE_DAYS = 3
    voting.voting_closes = timezone.now() - datetime.timedelta(days=2)
    voting.save()
    _enter(unit, anna, "E-1", "Trinkbrunnen")  # within the grace period
    voting.voting_closes = timezone.now() - datetime.timedelta(days=4)
    voting.save()
    with pytest.raises(VotingError) as refused:
        _enter(unit, anna, "E-2", "Trinkbrunnen")
    assert refused.value.code == "closed"
    settings.RATHAUS_BUDGET_PAPER_GRACE_DAYS = 30
    voting.results_published_at = timezone.now()
    voting.save()
    with pytest.raises(VotingError):
        _enter(unit, anna, "E-3", "Trinkbrunnen")
    assert PaperBallotEntry.objects.count() == 1


def test_bad_sheets_are_refused_with_nothing_stored(voting, clerks):
    anna, _ben, _lead = clerks
    unit = _city(voting)
    elberfeld = voting.units.get(district="Elberfeld")
    thomas = paper_person_find(
        family_name="Krüger",
        given_names="Thomas",
        date_of_birth=datetime.date(1978, 11, 2),
        street="Werth",
        house_number="87",
        postcode="42275",
    )
    cases = [
        (dict(unit=unit, sheet="", titles=("Trinkbrunnen",)), "sheet"),
        (dict(unit=unit, sheet="F-1", titles=("Trinkbrunnen",), person=False), "unknown_person"),
        (
            dict(unit=elberfeld, sheet="F-2", titles=("Bank am Ölberg",), person=thomas),
            "not_eligible",
        ),
        (dict(unit=unit, sheet="F-3", titles=()), "too_few"),
        (
            dict(
                unit=unit,
                sheet="F-4",
                titles=("Spielplatz Nordpark", "Trinkbrunnen", "Lesesessel Stadtbibliothek"),
            ),
            "over_budget",
        ),
    ]
    for case, code in cases:
        person = case.get("person")
        with pytest.raises(VotingError) as refused:
            paper_entry_add(
                unit=case["unit"],
                actor=anna,
                sheet_number=case["sheet"],
                person=None if person is False else (person or _lena()),
                proposal_ids=ids(case["unit"], *case["titles"]),
            )
        assert refused.value.code == code
    outsider = clerks[0].__class__.objects.create_user("fremd@stadt.example", "pw")
    with pytest.raises(VotingError) as refused:
        _enter(unit, outsider, "F-5", "Trinkbrunnen")
    assert refused.value.code == "forbidden"
    assert not PaperBallotEntry.objects.exists()
