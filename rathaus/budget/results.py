"""Counting, publishing and importing results of the citizens' budget.

`results_count` builds a Pabulib election per unit from the counted ballots
(publication.unit_election), applies the process's rule with its parameters (rules.rule_apply)
and stores a `UnitResult` with the published file and its SHA-256: the file is what was
counted. `results_publish` makes them public. `election_import` stores a Pabulib file as an
imported process with one unit, counted by every rule, to compare the rules on past elections.
"""

import datetime
import hashlib
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import Department, User
from rathaus.audit.services import audit_record

from .errors import BudgetError
from .models import BudgetProcess, BudgetUnit, PaperBallotEntry, Rule, UnitResult
from .pabulib import Election, election_parse, election_write, pabulib_sha256
from .paper import OPEN_STATUSES
from .processes import process_staff_member
from .publication import election_with_selected, unit_election
from .rules import BudgetResult, RuleError, rule_apply

# The rules an imported election is counted by, with the parameters the page names.
IMPORT_RULES = ((Rule.EQUAL_SHARES, {}), (Rule.GREEDY, {"variant": "skip"}))


class ResultError(BudgetError):
    """A count or publication that is not possible now; the message is translated."""


def _winners(*, election: Election, result: BudgetResult) -> list[dict]:
    votes: dict[str, int] = {p.project_id: 0 for p in election.projects}
    for ballot in election.ballots:
        for pid in ballot.approved:
            votes[pid] += 1
    return [
        {
            "id": pid,
            "name": election.project(pid).name,
            "cost": str(election.project(pid).cost),
            "votes": votes[pid],
        }
        for pid in result.winners
    ]


def _result_store(
    *, unit: BudgetUnit, election: Election, result: BudgetResult, data: bytes, rule: str
) -> UnitResult:
    row, _created = UnitResult.objects.update_or_create(
        unit=unit,
        rule=rule,
        defaults={
            "rule_parameters": {k: _json(v) for k, v in result.parameters.items()},
            "winners": _winners(election=election, result=result),
            "budget": result.budget,
            "spent": result.spent,
            "voters": result.voters,
            "voters_with_funded_project": result.voters_with_funded_project,
            "funded_supports": result.funded_supports,
            "details": {k: _json(v) for k, v in result.details.items()},
            "computed_at": timezone.now(),
            "pb_data": data,
            "pb_sha256": pabulib_sha256(data),
        },
    )
    return row


def _json(value):
    return value if isinstance(value, (int, str, bool, float, type(None))) else str(value)


def results_count(
    *, process: BudgetProcess, actor: User, at: datetime.datetime | None = None
) -> list[UnitResult]:
    """Count every unit by the process's rule (again, until the results are published)."""
    at = at or timezone.now()
    if not process_staff_member(user=actor, process=process):
        raise ResultError(_("Only staff of the responsible department count the votes."))
    with transaction.atomic():
        process = BudgetProcess.objects.select_for_update().get(pk=process.pk)
        if process.imported or at < process.voting_closes:
            raise ResultError(_("The votes are counted after voting has closed."), code="open")
        if process.results_published_at is not None:
            raise ResultError(_("The results are published and can no longer change."))
        waiting = PaperBallotEntry.objects.filter(
            unit__process=process, status__in=OPEN_STATUSES
        ).count()
        if waiting:
            raise ResultError(
                _(
                    "%(count)d paper ballot entries still wait for a second entry or for the "
                    "lead's decision."
                )
                % {"count": waiting},
                code="paper",
            )
        rows = []
        for unit in process.units.all():
            election, _projects = unit_election(unit=unit)
            try:
                result = rule_apply(election=election, rule=process.rule, **process.rule_parameters)
            except (RuleError, TypeError) as exc:
                raise ResultError(
                    _("The rule cannot be applied: %(problem)s") % {"problem": exc}
                ) from None
            data = election_write(
                election=election_with_selected(election=election, winners=result.winners)
            )
            rows.append(
                _result_store(
                    unit=unit, election=election, result=result, data=data, rule=process.rule
                )
            )
            UnitResult.objects.filter(unit=unit).exclude(rule=process.rule).delete()
        audit_record(
            actor=actor,
            action="budget.results_counted",
            object_type="budget.budgetprocess",
            object_id=str(process.pk),
            data={r.unit.name: {"winners": [w["id"] for w in r.winners]} for r in rows},
        )
    return rows


def results_publish(*, process: BudgetProcess, actor: User) -> BudgetProcess:
    """Publish the counted results (from then on they do not change)."""
    if not process_staff_member(user=actor, process=process):
        raise ResultError(_("Only staff of the responsible department publish the results."))
    with transaction.atomic():
        process = BudgetProcess.objects.select_for_update().get(pk=process.pk)
        if process.results_published_at is not None:
            raise ResultError(_("The results are published already."))
        units = process.units.count()
        counted = UnitResult.objects.filter(unit__process=process, rule=process.rule).count()
        if not units or counted < units:
            raise ResultError(_("Count the votes before publishing the results."))
        process.results_published_at = timezone.now()
        process.save(update_fields=["results_published_at"])
        audit_record(
            actor=actor,
            action="budget.results_published",
            object_type="budget.budgetprocess",
            object_id=str(process.pk),
        )
    return process


def process_results(*, process: BudgetProcess) -> QuerySet[UnitResult]:
    """The results of the process's units (by its rule; an import: by every rule)."""
    results = UnitResult.objects.filter(unit__process=process).select_related("unit")
    if not process.imported:
        results = results.filter(rule=process.rule)
    return results.order_by("unit__district", "unit__name", "rule")


def _import_date(meta: dict, key: str) -> datetime.date | None:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%Y"):
        try:
            return datetime.datetime.strptime(meta.get(key, ""), pattern).date()
        except ValueError:
            continue
    return None


def election_import(*, data: bytes, department: Department, actor: User | None) -> BudgetProcess:
    """Store a Pabulib file as an imported process with one unit, counted by every rule.

    PabulibError (with the line) or RuleError for a file that cannot be read or counted, with
    nothing stored. Importing the same file again returns the process of the first import.
    """
    election = election_parse(data=data)
    counted = []
    for rule, parameters in IMPORT_RULES:
        counted.append((rule, rule_apply(election=election, rule=rule, **parameters)))
    digest = hashlib.sha256(data).hexdigest()
    slug = f"import-{digest[:16]}"
    meta = election.meta
    name = " ".join(
        v
        for v in (meta.get("country"), meta.get("unit"), meta.get("subunit"), meta.get("instance"))
        if v
    )
    title = (meta.get("description") or name or _("Imported election"))[:200]
    begin = _import_date(meta, "date_begin") or timezone.localdate()
    end = _import_date(meta, "date_end") or begin
    opens = timezone.make_aware(datetime.datetime.combine(begin, datetime.time()))
    closes = max(
        opens + datetime.timedelta(days=1),
        timezone.make_aware(datetime.datetime.combine(end, datetime.time(23, 59))),
    )
    with transaction.atomic():
        existing = BudgetProcess.objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        process = BudgetProcess.objects.create(
            slug=slug,
            title=title,
            description=_("Imported from a Pabulib file (SHA-256 %(sha)s).") % {"sha": digest},
            department=department,
            proposals_open=opens - datetime.timedelta(days=2),
            proposals_close=opens - datetime.timedelta(days=1),
            review_close=opens - datetime.timedelta(days=1),
            voting_opens=opens,
            voting_closes=closes,
            results_published_at=timezone.now(),
            min_projects=0,
            rule=Rule.EQUAL_SHARES,
            imported=True,
        )
        unit = BudgetUnit.objects.create(
            process=process,
            name=(meta.get("subunit") or meta.get("unit") or title)[:200],
            district="",
            budget=int(election.budget),
        )
        for rule, result in counted:
            _result_store(unit=unit, election=election, result=result, data=data, rule=rule)
        audit_record(
            actor=actor,
            action="budget.election_imported",
            object_type="budget.budgetprocess",
            object_id=str(process.pk),
            data={"sha256": digest, "budget": str(Decimal(election.budget))},
        )
    return process
