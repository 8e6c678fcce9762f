"""Citizens' budget processes: reading them for the public and staff, and changing them.

Staff set processes up in the Django admin; `process_update` is the one way a process changes,
so that the counting rule and the ballot's settings stay as they were once voting opens.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from rathaus.accounts.models import Department, User
from rathaus.audit.services import audit_record

from .models import BudgetProcess, BudgetUnit

# What voters were promised when voting opened: how they vote and how the votes are counted.
LOCKED_FIELDS = (
    "rule",
    "rule_parameters",
    "min_projects",
    "max_projects",
    "cost_cap",
    "minimum_age",
    "assurance",
    "voting_opens",
    "voting_closes",
)


def process_public_list() -> QuerySet[BudgetProcess]:
    """The processes the public sees (imported Pabulib elections have their own pages)."""
    return BudgetProcess.objects.filter(imported=False).order_by("-voting_opens")


def process_get(*, slug: str) -> BudgetProcess:
    """A public process by its short name; raises BudgetProcess.DoesNotExist."""
    return process_public_list().get(slug=slug)


def process_units(*, process: BudgetProcess) -> list[BudgetUnit]:
    """The city unit first, then the districts by name."""
    return sorted(process.units.all(), key=lambda u: (u.district != "", u.name))


def process_staff_member(*, user: User, process: BudgetProcess) -> bool:
    """Members of the process's department (and administrators) run and moderate it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.memberships.filter(department=process.department).exists()


def process_staff_list(*, user: User) -> QuerySet[BudgetProcess]:
    """Processes whose proposals the user may see in the back office: as the responsible
    department or as a department a proposal was given to for review."""
    processes = process_public_list()
    if user.is_superuser:
        return processes
    departments = Department.objects.filter(memberships__user=user)
    return processes.filter(
        Q(department__in=departments) | Q(units__proposals__review_department__in=departments)
    ).distinct()


def process_public_or_404(*, slug: str) -> BudgetProcess:
    """For a public page: the process `slug` (`process_get`), Http404 when there is none."""
    try:
        return process_get(slug=slug)
    except BudgetProcess.DoesNotExist:
        raise Http404 from None


def process_for_staff(*, user: User, slug: str, reviewing: bool = False) -> BudgetProcess:
    """For a back-office page: the process `slug`, or Http404 / PermissionDenied.

    Only its own staff (`process_staff_member`) run a process; anyone else gets 403. With
    `reviewing`, departments reviewing one of its proposals may open it too
    (`process_staff_list`), and a process the user may not see is a 404.
    """
    if reviewing:
        if not user.is_authenticated:
            raise PermissionDenied
        try:
            return process_staff_list(user=user).get(slug=slug)
        except BudgetProcess.DoesNotExist:
            raise Http404 from None
    process = get_object_or_404(BudgetProcess, slug=slug)
    if not process_staff_member(user=user, process=process):
        raise PermissionDenied
    return process


def process_locked_changes(*, process: BudgetProcess, data: dict) -> list[str]:
    """The locked fields `data` would change, when the process's rule is locked."""
    if process.pk is None:
        return []
    stored = BudgetProcess.objects.get(pk=process.pk)
    if not stored.rule_locked():
        return []
    return [name for name in LOCKED_FIELDS if name in data and data[name] != getattr(stored, name)]


@transaction.atomic
def process_update(*, process: BudgetProcess, data: dict, actor: User) -> BudgetProcess:
    """Save a new or changed process; refuse changing the rule or the ballot once voting opened."""
    locked = process_locked_changes(process=process, data=data)
    if locked:
        labels = ", ".join(str(BudgetProcess._meta.get_field(name).verbose_name) for name in locked)
        raise ValidationError(
            _("Voting has opened: the rule and the ballot can no longer change (%(fields)s).")
            % {"fields": labels},
            code="locked",
        )
    created = process.pk is None
    for name, value in data.items():
        setattr(process, name, value)
    process.full_clean()
    process.save()
    audit_record(
        actor=actor,
        action="budget.process_created" if created else "budget.process_changed",
        object_type="budget.budgetprocess",
        object_id=str(process.pk),
        data={"fields": sorted(data)},
    )
    return process
