"""The caseworker's back office: department inbox, case page, assignment, requests, decisions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import department_member_required
from rathaus.accounts.models import Role, User
from rathaus.applications.services import display_answers
from rathaus.audit.services import audit_record
from rathaus.catalog.models import Service

from . import selectors, services
from .forms import AssignForm, DecisionForm, InboxFilterForm, InformationRequestForm, NoteForm
from .states import Action, CaseStatus, allowed_actions


def _case(request, reference: str):
    case = selectors.case_for_staff(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return case


def _colleagues(department) -> list[User]:
    return list(
        User.objects.filter(memberships__department=department, is_active=True).order_by(
            "last_name"
        )
    )


@department_member_required
def inbox(request):
    departments = list(selectors.staff_departments(user=request.user))
    code = request.GET.get("department") or departments[0].code
    department = next((d for d in departments if d.code == code), None)
    if department is None:
        raise Http404
    services_of_department = Service.objects.filter(department=department).select_related(
        "current_version"
    )
    form = InboxFilterForm(
        request.GET or None,
        services=[
            (s.slug, s.current_version.title if s.current_version else s.slug)
            for s in services_of_department
        ],
        statuses=CaseStatus.choices,
        colleagues=_colleagues(department),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.inbox(
        department=department,
        service=filters.get("service", ""),
        status=filters.get("status", ""),
        assignee=filters.get("assignee", ""),
        overdue=filters.get("overdue", False),
        query=filters.get("q", ""),
        order=filters.get("order") or "due_date",
        user=request.user,
    )
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "department": department,
        "departments": departments,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "is_lead": department.memberships.filter(user=request.user, role=Role.LEAD).exists(),
        "is_print_department": department.code == settings.RATHAUS_PRINT_DEPARTMENT,
    }
    return render(request, "cases/staff/inbox.html", context)


@department_member_required
def workload(request, code: str):
    department = selectors.staff_departments(user=request.user).filter(code=code).first()
    if department is None:
        raise Http404
    context = {"department": department, "rows": selectors.workload(department=department)}
    return render(request, "cases/staff/workload.html", context)


@department_member_required
def dashboard(request, code: str):
    department = selectors.staff_departments(user=request.user).filter(code=code).first()
    if department is None:
        raise Http404
    figures = selectors.department_figures(department=department)
    if request.GET.get("format") == "json":
        return JsonResponse(figures)
    titles = {
        s.slug: s.current_version.title if s.current_version else s.slug
        for s in Service.objects.filter(department=department).select_related("current_version")
    }
    for row in figures["services"]:
        row["title"] = titles.get(row["service"], row["service"])
    return render(
        request, "cases/staff/dashboard.html", {"department": department, "figures": figures}
    )


@department_member_required
def case_detail(request, reference: str):
    case = _case(request, reference)
    template_id = request.GET.get("template", "")
    # Views of personal data are logged too.
    audit_record(
        actor=request.user,
        action="case.viewed",
        object_type="cases.case",
        object_id=str(case.pk),
    )
    context = _case_context(case, template_id=template_id)
    return render(request, "cases/staff/case.html", context)


def _case_context(case, template_id: str = "", **forms_with_errors) -> dict:
    colleagues = _colleagues(case.department)
    actions = allowed_actions(case.status)
    definition = case.application.service_version.definition
    templates = definition.get("decision_templates", [])
    chosen = next((t for t in templates if t["id"] == template_id), None)
    decision_initial = {"legal_basis": definition.get("legal_basis", "")}
    if chosen:
        decision_initial = {
            "outcome": chosen["outcome"],
            "reason": chosen["reason"]["de"],
            "legal_basis": chosen["legal_basis"],
        }
    decision = getattr(case, "decision", None)
    context = {
        "case": case,
        "rows": display_answers(application=case.application),
        "attachments": case.application.attachments.all(),
        "events": case.events.all(),
        "notes": case.notes.select_related("author"),
        "requests": case.requests.all(),
        "automation": case.automation_explained,
        "decision": decision,
        "decision_templates": templates,
        "four_eyes": definition.get("four_eyes", False),
        "has_verifiable_document": case.documents.exclude(token_id="").exists(),
        "can_request": Action.REQUEST_INFORMATION in actions and decision is None,
        "can_decide": Action.DECIDE in actions and decision is None,
        "assign_form": AssignForm(
            initial={"assignee": case.assignee_id or ""}, colleagues=colleagues
        ),
        "note_form": NoteForm(),
        "request_form": InformationRequestForm(),
        "decision_form": DecisionForm(initial=decision_initial),
    }
    context.update(forms_with_errors)
    return context


def _refused(request, case, exc: services.CaseActionError):
    if exc.code == "forbidden":
        raise PermissionDenied(str(exc.message))
    messages.error(request, exc.message)
    return redirect("cases:detail", case.reference)


@department_member_required
@require_POST
def assign(request, reference: str):
    case = _case(request, reference)
    form = AssignForm(request.POST, colleagues=_colleagues(case.department))
    if not form.is_valid():
        return render(
            request, "cases/staff/case.html", _case_context(case, assign_form=form), status=422
        )
    assignee = User.objects.filter(pk=form.cleaned_data["assignee"] or None).first()
    try:
        services.case_assign(case=case, assignee=assignee, actor=request.user)
    except services.CaseActionError as exc:
        return _refused(request, case, exc)
    messages.success(request, _("The assignment has been saved."))
    return redirect("cases:detail", case.reference)


@department_member_required
@require_POST
def take(request, reference: str):
    case = _case(request, reference)
    try:
        services.case_assign(case=case, assignee=request.user, actor=request.user)
    except services.CaseActionError as exc:
        return _refused(request, case, exc)
    messages.success(request, _("The case is now yours."))
    return redirect("cases:detail", case.reference)


@department_member_required
@require_POST
def note(request, reference: str):
    case = _case(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(
            request, "cases/staff/case.html", _case_context(case, note_form=form), status=422
        )
    services.case_note_add(case=case, author=request.user, text=form.cleaned_data["text"])
    return redirect("cases:detail", case.reference)


@department_member_required
@require_POST
def request_information(request, reference: str):
    case = _case(request, reference)
    form = InformationRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request, "cases/staff/case.html", _case_context(case, request_form=form), status=422
        )
    try:
        services.information_request(
            case=case,
            actor=request.user,
            message=form.cleaned_data["message"],
            documents=form.cleaned_data["documents"].splitlines(),
        )
    except services.CaseActionError as exc:
        return _refused(request, case, exc)
    messages.success(
        request, _("The applicant has been asked. The deadline pauses until they answer.")
    )
    return redirect("cases:detail", case.reference)


@department_member_required
@require_POST
def decide(request, reference: str):
    case = _case(request, reference)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "cases/staff/case.html", _case_context(case, decision_form=form), status=422
        )
    try:
        services.case_decide(
            case=case,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            legal_basis=form.cleaned_data["legal_basis"],
        )
    except services.CaseActionError as exc:
        return _refused(request, case, exc)
    messages.success(request, _("The decision has been recorded."))
    return redirect("cases:detail", case.reference)


@department_member_required
@require_POST
def confirm(request, reference: str):
    case = _case(request, reference)
    try:
        services.decision_confirm(case=case, actor=request.user)
    except services.CaseActionError as exc:
        return _refused(request, case, exc)
    messages.success(request, _("The decision has been confirmed."))
    return redirect("cases:detail", case.reference)


@department_member_required
@require_POST
def send_back(request, reference: str):
    case = _case(request, reference)
    try:
        services.decision_send_back(case=case, actor=request.user)
    except services.CaseActionError as exc:
        return _refused(request, case, exc)
    messages.success(request, _("The proposed decision has been sent back."))
    return redirect("cases:detail", case.reference)
