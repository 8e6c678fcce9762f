"""Voting in the citizens' budget: eligibility, the ballot, casting it online, receipts.

A voter is known to the ballot table only by `voter_key`: HMAC-SHA256 of the process and the
person's register id under a secret (RATHAUS_BUDGET_VOTER_KEY_SECRET, else one derived from
SECRET_KEY). Online and paper ballots of one person get the same key, so the unique constraint
(unit, voter_key) holds one ballot per person and unit whatever the channel. A changed online
ballot updates its row in one transaction under a row lock: the last one counts.

The receipt code is random, shown once; only its SHA-256 is stored, so anyone holding the code
can check that the ballot is counted, and nobody else can tell whose ballot it is.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rathaus.accounts.models import LevelOfAssurance, User
from rathaus.core.retention import register_purger
from rathaus.registry.backends.base import ResidentRecord
from rathaus.registry.selectors import registry

from .errors import BudgetError
from .models import (
    Ballot,
    BallotChannel,
    BudgetProcess,
    BudgetUnit,
    PaperBallotEntry,
    Phase,
    Proposal,
)
from .processes import process_units
from .proposals import ballot_proposals

VOTER_KEY_SALT = "rathaus.budget.voter_key"
# Crockford's base32 without I, L, O, U: nothing to confuse when typed from a note.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 20  # 100 bits


class VotingError(BudgetError):
    """A ballot that cannot be counted; the message is translated and can be shown."""


def voter_key(*, process: BudgetProcess, register_id: str) -> str:
    """The person's pseudonym in this process (the same online and on paper)."""
    secret = settings.RATHAUS_BUDGET_VOTER_KEY_SECRET or settings.SECRET_KEY
    return salted_hmac(
        VOTER_KEY_SALT, f"{process.pk}:{register_id.strip()}", secret=secret, algorithm="sha256"
    ).hexdigest()


def voting_open(*, process: BudgetProcess, at: datetime.datetime | None = None) -> bool:
    return not process.imported and process.phase(at) == Phase.VOTING


def closing_day(*, process: BudgetProcess) -> datetime.date:
    """The last day of voting: the age limit is reached on this day."""
    return timezone.localdate(process.voting_closes - timedelta(microseconds=1))


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def eligibility_problem(
    *, process: BudgetProcess, unit: BudgetUnit, person: ResidentRecord | None
) -> str:
    """Why the person may not vote in the unit ("" if they may): resident with the main
    address in the city (for a district unit: in the district), old enough on the last day."""
    if person is None:
        return _(
            "Only residents of the city vote in the citizens' budget, and the resident register "
            "has no main address for you."
        )
    if unit.district and person.address.district != unit.district:
        return _("Only residents of %(district)s vote on this budget.") % {
            "district": unit.district
        }
    last_day = closing_day(process=process)
    if _age_on(person.date_of_birth, last_day) < process.minimum_age:
        return _("Only people who are %(age)d or older on %(day)s vote in this budget.") % {
            "age": process.minimum_age,
            "day": last_day.strftime("%d.%m.%Y"),
        }
    return ""


def voter_person(*, user: User) -> ResidentRecord | None:
    """The logged-in person in the resident register, or None."""
    if not user.is_authenticated or not user.register_id:
        return None
    return registry().person_by_id(register_id=user.register_id)


def voter_units(*, process: BudgetProcess, person: ResidentRecord | None) -> list[BudgetUnit]:
    """The units the person may vote in: the city, then their district."""
    return [
        u
        for u in process_units(process=process)
        if not eligibility_problem(process=process, unit=u, person=person)
    ]


def ballot_choices_check(
    *, process: BudgetProcess, unit: BudgetUnit, proposal_ids: Iterable
) -> list[Proposal]:
    """The chosen projects if they make a valid ballot; VotingError otherwise."""
    try:
        wanted = {int(pk) for pk in proposal_ids}
    except (TypeError, ValueError):
        raise VotingError(
            _("The ballot names a project that is not on it."), code="unknown"
        ) from None
    chosen = list(ballot_proposals(unit=unit).filter(pk__in=wanted))
    if len(chosen) != len(wanted):
        raise VotingError(_("The ballot names a project that is not on it."), code="unknown")
    if len(chosen) < process.min_projects:
        raise VotingError(
            _("Choose at least %(count)d projects.") % {"count": process.min_projects}
            if process.min_projects != 1
            else _("Choose at least one project."),
            code="too_few",
        )
    if process.max_projects is not None and len(chosen) > process.max_projects:
        raise VotingError(
            _("Choose at most %(count)d projects; you chose %(chosen)d.")
            % {"count": process.max_projects, "chosen": len(chosen)},
            code="too_many",
        )
    total = sum(p.cost for p in chosen)
    if process.cost_cap and total > unit.budget:
        raise VotingError(
            _(
                "The chosen projects cost %(total)s euros together, more than the budget of "
                "%(budget)s euros. Remove a project."
            )
            % {
                "total": f"{total:,}".replace(",", "."),
                "budget": f"{unit.budget:,}".replace(",", "."),
            },
            code="over_budget",
        )
    return chosen


def receipt_hash(code: str) -> str:
    """The stored form of a receipt code, whatever spaces, dashes or case it was typed with."""
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode("ascii", "replace")).hexdigest()


def _receipt_new() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def ballot_cast(
    *,
    unit: BudgetUnit,
    user: User,
    assurance: LevelOfAssurance | None,
    proposal_ids: Iterable,
    at: datetime.datetime | None = None,
) -> str:
    """Count the logged-in person's online ballot (replacing an earlier one) and return the
    receipt code, which is not stored. VotingError, with nothing changed, if it cannot count."""
    process = unit.process
    if not voting_open(process=process, at=at):
        raise VotingError(_("Voting in this citizens' budget is not open."), code="closed")
    if assurance is None or assurance < process.assurance:
        raise VotingError(
            _("Voting needs a login with the level of assurance “%(level)s”.")
            % {"level": LevelOfAssurance(process.assurance).label},
            code="assurance",
        )
    person = voter_person(user=user)
    problem = eligibility_problem(process=process, unit=unit, person=person)
    if problem:
        raise VotingError(problem, code="not_eligible")
    chosen = ballot_choices_check(process=process, unit=unit, proposal_ids=proposal_ids)
    key = voter_key(process=process, register_id=person.register_id)
    code = _receipt_new()
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().filter(unit=unit, voter_key=key).first()
        if ballot is None:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(
                        unit=unit,
                        voter_key=key,
                        channel=BallotChannel.ONLINE,
                        receipt_hash=receipt_hash(code),
                        cast_on=timezone.localdate(),
                    )
            except IntegrityError:
                # Someone (another tab, another web process) cast at the same moment and
                # committed first: take their row and let this, the later ballot, count.
                ballot = Ballot.objects.select_for_update().get(unit=unit, voter_key=key)
                ballot = _ballot_replace(ballot, code)
        else:
            ballot = _ballot_replace(ballot, code)
        ballot.proposals.set(chosen)
    return code


def _ballot_replace(ballot: Ballot, code: str) -> Ballot:
    if ballot.channel != BallotChannel.ONLINE:
        raise VotingError(
            _(
                "Your paper ballot in this budget has been counted; it cannot be replaced by an "
                "online ballot."
            ),
            code="paper",
        )
    ballot.receipt_hash = receipt_hash(code)
    ballot.cast_on = timezone.localdate()
    ballot.save(update_fields=["receipt_hash", "cast_on"])
    return ballot


def ballot_of_voter(*, unit: BudgetUnit, user: User) -> Ballot | None:
    """The person's counted ballot in the unit (to show what they chose), or None."""
    person = voter_person(user=user)
    if person is None:
        return None
    key = voter_key(process=unit.process, register_id=person.register_id)
    return Ballot.objects.filter(unit=unit, voter_key=key).first()


def receipt_check(*, process: BudgetProcess, code: str) -> Ballot | None:
    """The counted ballot with this receipt code in the process, or None."""
    if not code.strip():
        return None
    return (
        Ballot.objects.filter(unit__process=process, receipt_hash=receipt_hash(code))
        .select_related("unit")
        .first()
    )


@register_purger(
    name="budget.voter_keys",
    description="voter pseudonyms of ballots, and paper ballot entries, after the results",
)
def ballot_keys_purge() -> int:
    """Erase the voter keys of ballots and delete the paper entries, a while after the results
    of their process were published; the ballots stay, anonymous, for the published count."""
    cutoff = timezone.now() - timedelta(days=settings.RATHAUS_BUDGET_VOTER_KEY_RETENTION_DAYS)
    published = {"unit__process__results_published_at__lt": cutoff}
    with transaction.atomic():
        erased = Ballot.objects.filter(voter_key__isnull=False, **published).update(voter_key=None)
        deleted, _ = PaperBallotEntry.objects.filter(**published).delete()
    return erased + deleted
