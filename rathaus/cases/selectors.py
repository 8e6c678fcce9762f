from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rathaus.accounts.models import Department, User

from .models import Case
from .states import OPEN_STATES, CaseStatus


def staff_departments(*, user: User) -> QuerySet[Department]:
    """The departments whose cases a member of staff may see (their memberships, nothing else)."""
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(memberships__user=user).order_by("code")


def case_for_staff(*, user: User, reference: str) -> Case | None:
    """A case of one of the user's departments; None for every other case (answered with 404)."""
    return (
        Case.objects.filter(reference=reference, department__memberships__user=user)
        .select_related("application__service_version__service", "department", "assignee")
        .first()
    )


def case_by_reference(*, reference: str) -> Case | None:
    """The case with this file reference (for matching incoming letters), or None."""
    return Case.objects.select_related("department", "assignee").filter(reference=reference).first()


def inbox(
    *,
    department: Department,
    service: str = "",
    status: str = "",
    assignee: str = "",
    overdue: bool = False,
    query: str = "",
    order: str = "due_date",
    user: User | None = None,
) -> QuerySet[Case]:
    """The cases of a department, filtered, searched and sorted for the inbox."""
    cases = Case.objects.filter(department=department).select_related(
        "application__service_version__service", "assignee", "applicant"
    )
    if service:
        cases = cases.filter(application__service_version__service__slug=service)
    if status:
        cases = cases.filter(status=status)
    else:
        cases = cases.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.WITHDRAWN])
    if assignee == "me" and user is not None:
        cases = cases.filter(assignee=user)
    elif assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif assignee.isdigit():
        cases = cases.filter(assignee_id=int(assignee))
    if overdue:
        cases = cases.filter(status__in=OPEN_STATES, due_date__lt=timezone.localdate())
    if query:
        cases = _search(cases, query)
    ordering = {
        "due_date": ["due_date", "submitted_at"],
        "-submitted_at": ["-submitted_at"],
        "submitted_at": ["submitted_at"],
        "reference": ["reference"],
    }.get(order, ["due_date", "submitted_at"])
    return cases.order_by(*ordering)


def _search(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """References, applicant names and answers; PostgreSQL full-text search where available."""
    words = query.split()[:8]
    match = Q()
    for word in words:
        match &= Q(reference__icontains=word) | Q(search_text__icontains=word)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # German stemming finds "Fahrzeuge" for "Fahrzeug"; the substring match keeps exact hits.
        cases = cases.annotate(search=SearchVector("search_text", config="german"))
        return cases.filter(Q(search=SearchQuery(query, config="german")) | match)
    return cases.filter(match)


def workload(*, department: Department) -> list[dict]:
    """Open cases per person in the department, for the lead's overview."""
    rows = (
        Case.objects.filter(
            department=department, status__in=[*OPEN_STATES, CaseStatus.WAITING_FOR_CITIZEN]
        )
        .values("assignee", "assignee__first_name", "assignee__last_name")
        .annotate(
            open=Count("pk"),
            overdue=Count(
                "pk", filter=Q(due_date__lt=timezone.localdate(), status__in=OPEN_STATES)
            ),
        )
        .order_by("-open")
    )
    return list(rows)


def department_figures(*, department: Department) -> dict:
    """Figures for the city: received, open, decided, processing times, straight-through rate."""
    import statistics

    from .models import Decision

    today = timezone.localdate()
    cases = Case.objects.filter(department=department)
    per_service: dict[str, dict] = {}
    for case in cases.select_related("application__service_version__service"):
        slug = case.application.service_version.service.slug
        row = per_service.setdefault(
            slug,
            {
                "service": slug,
                "received": 0,
                "open": 0,
                "decided": 0,
                "automatic": 0,
                "overdue": 0,
                "days": [],
            },
        )
        row["received"] += 1
        if case.status in OPEN_STATES or case.status == CaseStatus.WAITING_FOR_CITIZEN:
            row["open"] += 1
        if case.status in OPEN_STATES and case.due_date < today:
            row["overdue"] += 1
    decisions = Decision.objects.filter(case__department=department).select_related(
        "case__application__service_version__service"
    )
    for decision in decisions:
        row = per_service[decision.case.application.service_version.service.slug]
        row["decided"] += 1
        row["automatic"] += decision.automated
        row["days"].append(
            (decision.decided_at - decision.case.submitted_at).total_seconds() / 86400
        )
    services = []
    for row in sorted(per_service.values(), key=lambda r: r["service"]):
        days = sorted(row.pop("days"))
        row["median_days"] = round(statistics.median(days), 1) if days else None
        row["p90_days"] = round(days[min(len(days) - 1, int(0.9 * len(days)))], 1) if days else None
        row["straight_through_rate"] = (
            round(row["automatic"] / row["decided"], 3) if row["decided"] else None
        )
        services.append(row)
    total = {
        key: sum(r[key] for r in services)
        for key in ("received", "open", "decided", "automatic", "overdue")
    }
    total["straight_through_rate"] = (
        round(total["automatic"] / total["decided"], 3) if total["decided"] else None
    )
    return {
        "department": department.code,
        "date": today.isoformat(),
        "total": total,
        "services": services,
    }


def case_postal_address(*, case: Case) -> list[str] | None:
    """The applicant's postal address as window lines: name, street, postcode and town.

    From the resident register where the account is linked to it, otherwise from the first
    address the application gave; None when there is neither.
    """
    from rathaus.registry.selectors import registry

    name = case.applicant.get_full_name()
    if not name:
        return None
    if case.applicant.register_id:
        person = registry().person_by_id(register_id=case.applicant.register_id)
        if person is not None:
            a = person.address
            return [name, f"{a.street} {a.house_number}", f"{a.postcode} {a.town}"]
    spec = case.application.service_version.spec
    for _step, field in spec.fields():
        value = case.application.answers.get(field["id"])
        if field["type"] == "address" and isinstance(value, dict) and value.get("postcode"):
            street = f"{value.get('street', '')} {value.get('house_number', '')}".strip()
            return [name, street, f"{value['postcode']} {value.get('town', '')}".strip()]
    return None
