"""Paper ballots: staff enter each sheet twice, two different people; matching entries count.

Flow per sheet (unit + sheet number): the first entry waits; a second entry by another member
of the process's department either matches (same person, same crosses: a `Ballot` with channel
paper and no receipt counts) or differs (both entries are flagged `mismatch`). The department's
lead, a third person, resolves a flagged or a lonely sheet by choosing the correct entry or by
entering the sheet once more.

A person who already has a ballot in the unit (online, or another sheet) keeps that one: the
paper sheet is refused and its entries are flagged `refused` for the record. The database
constraint (unit, voter_key) holds whatever happens at the same moment.

Paper entry is open while voting runs and RATHAUS_BUDGET_PAPER_GRACE_DAYS days after it closes,
until the results are published. Every entry and resolution is audited (without the person).
"""

import datetime
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import Role, User
from rathaus.audit.services import audit_record
from rathaus.registry.backends.base import ResidentRecord
from rathaus.registry.selectors import registry

from .models import (
    Ballot,
    BallotChannel,
    BudgetProcess,
    BudgetUnit,
    PaperBallotEntry,
    PaperEntryStatus,
)
from .processes import process_staff_member
from .voting import VotingError, ballot_choices_check, eligibility_problem, voter_key

OPEN_STATUSES = (PaperEntryStatus.PENDING, PaperEntryStatus.MISMATCH)


def paper_entry_open(*, process: BudgetProcess, at: datetime.datetime | None = None) -> bool:
    """From the opening of the vote to the end of the grace period, before the results."""
    at = at or timezone.now()
    grace = timedelta(days=settings.RATHAUS_BUDGET_PAPER_GRACE_DAYS)
    return (
        not process.imported
        and process.results_published_at is None
        and process.voting_opens <= at < process.voting_closes + grace
    )


def paper_lead(*, user: User, process: BudgetProcess) -> bool:
    """The leads of the process's department resolve flagged sheets."""
    return (
        user.is_active and process.department.memberships.filter(user=user, role=Role.LEAD).exists()
    )


def paper_person_find(
    *,
    family_name: str,
    given_names: str,
    date_of_birth: datetime.date,
    street: str,
    house_number: str,
    postcode: str,
) -> ResidentRecord | None:
    """The person on the sheet, if names, birth date and main address match the register."""
    register = registry()
    person = register.person_by_identity(
        family_name=family_name, given_names=given_names, date_of_birth=date_of_birth
    )
    if person is None:
        return None
    address = register.address_lookup(street=street, house_number=house_number, postcode=postcode)
    return person if address == person.address else None


def _check(*, unit: BudgetUnit, actor: User, person: ResidentRecord | None, proposal_ids):
    process = unit.process
    if not process_staff_member(user=actor, process=process):
        raise VotingError(
            _("Only staff of the responsible department enter paper ballots."), code="forbidden"
        )
    if not paper_entry_open(process=process):
        raise VotingError(_("Paper ballots can no longer be entered."), code="closed")
    if person is None:
        raise VotingError(
            _("The resident register has no one with this name, date of birth and address."),
            code="unknown_person",
        )
    problem = eligibility_problem(process=process, unit=unit, person=person)
    if problem:
        raise VotingError(problem, code="not_eligible")
    return ballot_choices_check(process=process, unit=unit, proposal_ids=proposal_ids)


def _entry_create(*, unit, sheet_number, actor, person, chosen) -> PaperBallotEntry:
    entry = PaperBallotEntry.objects.create(
        unit=unit,
        sheet_number=sheet_number,
        voter_key=voter_key(process=unit.process, register_id=person.register_id),
        entered_by=actor,
    )
    entry.proposals.set(chosen)
    return entry


def _same(a: PaperBallotEntry, b: PaperBallotEntry) -> bool:
    return a.voter_key == b.voter_key and set(a.proposals.values_list("pk", flat=True)) == set(
        b.proposals.values_list("pk", flat=True)
    )


def _count(entry: PaperBallotEntry) -> Ballot | None:
    """Count the entry as the person's ballot; None if the person already has one."""
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                unit=entry.unit,
                voter_key=entry.voter_key,
                channel=BallotChannel.PAPER,
                receipt_hash=None,
                cast_on=timezone.localdate(),
            )
    except IntegrityError:
        return None
    ballot.proposals.set(entry.proposals.all())
    return ballot


def _settle(entries: list[PaperBallotEntry], chosen: PaperBallotEntry, actor: User | None):
    """Count `chosen` for the sheet (or refuse it: already voted); the others are settled."""
    ballot = _count(chosen)
    for entry in entries:
        if ballot is None:
            entry.status = PaperEntryStatus.REFUSED
        elif entry.pk == chosen.pk or _same(entry, chosen):
            entry.status, entry.ballot = PaperEntryStatus.COUNTED, ballot
        else:
            entry.status = PaperEntryStatus.DISCARDED
        entry.resolved_by = actor
        entry.save(update_fields=["status", "ballot", "resolved_by"])
    return ballot


def _sheet_entries(*, unit: BudgetUnit, sheet_number: str) -> list[PaperBallotEntry]:
    return list(
        PaperBallotEntry.objects.filter(unit=unit, sheet_number=sheet_number).order_by("pk")
    )


def _audit(*, actor, action: str, unit: BudgetUnit, sheet_number: str, status: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="budget.budgetunit",
        object_id=str(unit.pk),
        data={"sheet": sheet_number, "status": status},
    )


def paper_entry_add(
    *,
    unit: BudgetUnit,
    actor: User,
    sheet_number: str,
    person: ResidentRecord | None,
    proposal_ids: Iterable,
) -> PaperBallotEntry:
    """Enter one paper sheet; returns the entry with its status (pending, counted, mismatch,
    refused). VotingError, with nothing stored, if the entry is not allowed."""
    sheet_number = sheet_number.strip()
    if not sheet_number:
        raise VotingError(_("Enter the number of the ballot sheet."), code="sheet")
    chosen = _check(unit=unit, actor=actor, person=person, proposal_ids=proposal_ids)
    with transaction.atomic():
        # One sheet at a time per unit: the second entry must see the first.
        BudgetUnit.objects.select_for_update().get(pk=unit.pk)
        entries = _sheet_entries(unit=unit, sheet_number=sheet_number)
        if any(e.entered_by_id == actor.pk for e in entries):
            raise VotingError(
                _("You have entered this sheet already; a colleague enters it the second time."),
                code="same_person",
            )
        if any(e.status != PaperEntryStatus.PENDING for e in entries):
            raise VotingError(
                _("This sheet has been dealt with already (%(status)s).")
                % {"status": entries[0].get_status_display()},
                code="done",
            )
        entry = _entry_create(
            unit=unit, sheet_number=sheet_number, actor=actor, person=person, chosen=chosen
        )
        if entries:
            first = entries[0]
            if _same(first, entry):
                _settle([first, entry], entry, None)
            else:
                for item in (first, entry):
                    item.status = PaperEntryStatus.MISMATCH
                    item.save(update_fields=["status"])
        entry.refresh_from_db()
        _audit(
            actor=actor,
            action="budget.paper_entered",
            unit=unit,
            sheet_number=sheet_number,
            status=entry.status,
        )
    return entry


def paper_sheet_resolve(
    *,
    unit: BudgetUnit,
    actor: User,
    sheet_number: str,
    entry_id: int | None = None,
    person: ResidentRecord | None = None,
    proposal_ids: Iterable = (),
) -> PaperBallotEntry:
    """The lead settles a flagged or lonely sheet: the entry `entry_id` counts, or (without it)
    the lead's own entry of the sheet. Returns the counted (or refused) entry."""
    process = unit.process
    if not paper_lead(user=actor, process=process):
        raise VotingError(
            _("Only the lead of the responsible department resolves paper ballots."),
            code="forbidden",
        )
    if not paper_entry_open(process=process):
        raise VotingError(_("Paper ballots can no longer be entered."), code="closed")
    with transaction.atomic():
        BudgetUnit.objects.select_for_update().get(pk=unit.pk)
        entries = _sheet_entries(unit=unit, sheet_number=sheet_number)
        if not entries or any(e.status not in OPEN_STATUSES for e in entries):
            raise VotingError(_("This sheet has nothing to resolve."), code="done")
        if any(e.entered_by_id == actor.pk for e in entries):
            raise VotingError(
                _("A third person resolves a sheet: you have entered it yourself."),
                code="same_person",
            )
        if entry_id is not None:
            chosen = next((e for e in entries if e.pk == entry_id), None)
            if chosen is None:
                raise VotingError(_("Choose one of the entries of this sheet."), code="entry")
        else:
            ballot = _check(unit=unit, actor=actor, person=person, proposal_ids=proposal_ids)
            chosen = _entry_create(
                unit=unit, sheet_number=sheet_number, actor=actor, person=person, chosen=ballot
            )
            entries.append(chosen)
        _settle(entries, chosen, actor)
        chosen.refresh_from_db()
        _audit(
            actor=actor,
            action="budget.paper_resolved",
            unit=unit,
            sheet_number=sheet_number,
            status=chosen.status,
        )
    return chosen


def paper_sheets_open(*, process: BudgetProcess) -> QuerySet[PaperBallotEntry]:
    """Entries waiting for a second entry or for the lead (mismatches)."""
    return (
        PaperBallotEntry.objects.filter(unit__process=process, status__in=OPEN_STATUSES)
        .select_related("unit", "entered_by")
        .prefetch_related("proposals")
        .order_by("unit__district", "sheet_number", "pk")
    )


def paper_sheets_refused(*, process: BudgetProcess) -> QuerySet[PaperBallotEntry]:
    """Entries of sheets refused because the person had voted already (for the record)."""
    return (
        PaperBallotEntry.objects.filter(unit__process=process, status=PaperEntryStatus.REFUSED)
        .select_related("unit", "entered_by")
        .order_by("unit__district", "sheet_number", "pk")
    )
