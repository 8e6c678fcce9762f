"""Voting pages: the ballot, the receipt check and the results for the public; paper ballot
entry, counting, publishing and the Pabulib import for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import assurance_refusal
from rathaus.accounts.models import Department
from rathaus.accounts.selectors import login_assurance
from rathaus.core.ratelimit import rate_limit_consume, rate_limit_response

from . import paper, results, voting
from .models import BudgetProcess, BudgetUnit, PaperEntryStatus, Phase, Rule, UnitResult
from .pabulib import MAX_BYTES, PabulibError
from .processes import (
    process_for_staff,
    process_public_or_404,
    process_staff_member,
    process_units,
)
from .proposals import ballot_proposals
from .publication import pb_file_name, recompute_command
from .rules import RuleError
from .voting_forms import (
    BallotForm,
    ImportForm,
    PaperChoiceForm,
    PaperEntryForm,
    ReceiptForm,
)

RECEIPT_SESSION_KEY = "budget_receipts"


def _unit(process: BudgetProcess, pk: int) -> BudgetUnit:
    return get_object_or_404(BudgetUnit, process=process, pk=pk)


# --- The ballot ----------------------------------------------------------------------------


@login_required
def ballot_overview(request, slug: str):
    process = process_public_or_404(slug=slug)
    refused = assurance_refusal(request, process.assurance)
    if refused:
        return refused
    person = voting.voter_person(user=request.user)
    units = voting.voter_units(process=process, person=person)
    problem = ""
    all_units = process_units(process=process)
    if not units and all_units:
        problem = voting.eligibility_problem(process=process, unit=all_units[0], person=person)
    rows = [
        {"unit": unit, "ballot": voting.ballot_of_voter(unit=unit, user=request.user)}
        for unit in units
    ]
    context = {
        "process": process,
        "open": voting.voting_open(process=process),
        "rows": rows,
        "problem": problem,
    }
    return render(request, "budget/ballot_overview.html", context)


@login_required
def ballot(request, slug: str, unit_pk: int):
    process = process_public_or_404(slug=slug)
    unit = _unit(process, unit_pk)
    refused = assurance_refusal(request, process.assurance)
    if refused:
        return refused
    proposals = list(ballot_proposals(unit=unit))
    current = voting.ballot_of_voter(unit=unit, user=request.user)
    initial = {"proposals": [str(p.pk) for p in current.proposals.all()]} if current else None
    # An empty ballot is a POST without fields: bind it all the same, to explain.
    data = request.POST if request.method == "POST" else None
    form = BallotForm(data, initial=initial, proposals=proposals)
    problem = voting.eligibility_problem(
        process=process, unit=unit, person=voting.voter_person(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            code = voting.ballot_cast(
                unit=unit,
                user=request.user,
                assurance=login_assurance(request=request),
                proposal_ids=form.cleaned_data["proposals"],
            )
        except voting.VotingError as exc:
            form.add_error(None, exc.message)
        else:
            receipts = request.session.get(RECEIPT_SESSION_KEY, {})
            receipts[str(unit.pk)] = code
            request.session[RECEIPT_SESSION_KEY] = receipts
            return redirect("budget:ballot_done", slug=process.slug, unit_pk=unit.pk)
    context = {
        "process": process,
        "unit": unit,
        "form": form,
        "proposals": proposals,
        "chosen": set(form["proposals"].value() or []),
        "current": current,
        "open": voting.voting_open(process=process),
        "problem": problem,
    }
    return render(request, "budget/ballot.html", context)


@login_required
def ballot_done(request, slug: str, unit_pk: int):
    process = process_public_or_404(slug=slug)
    unit = _unit(process, unit_pk)
    receipts = request.session.get(RECEIPT_SESSION_KEY, {})
    # Shown once: a reload or the back button does not show it again.
    code = receipts.pop(str(unit.pk), None)
    request.session[RECEIPT_SESSION_KEY] = receipts
    current = voting.ballot_of_voter(unit=unit, user=request.user)
    if current is None:
        return redirect("budget:ballot_unit", slug=process.slug, unit_pk=unit.pk)
    context = {"process": process, "unit": unit, "code": code, "ballot": current}
    return render(request, "budget/ballot_done.html", context)


def receipt(request, slug: str):
    process = process_public_or_404(slug=slug)
    form = ReceiptForm(request.GET or None)
    found = checked = None
    if form.is_valid():
        if not rate_limit_consume(request, action="budget_receipt", rate="30/m/ip"):
            return rate_limit_response(request)
        checked = True
        found = voting.receipt_check(process=process, code=form.cleaned_data["code"])
    context = {"process": process, "form": form, "checked": checked, "found": found}
    return render(request, "budget/ballot_receipt.html", context)


# --- Results -------------------------------------------------------------------------------


def _result_rows(process: BudgetProcess) -> list[dict]:
    return [
        {
            "result": row,
            "share": row.voters_with_funded_project / row.voters if row.voters else 0,
            "average": row.funded_supports / row.voters if row.voters else 0,
            "spent_share": row.spent / row.budget if row.budget else 0,
            "file_name": pb_file_name(unit=row.unit),
            "command": recompute_command(
                rule=row.rule, parameters=row.rule_parameters, file_name=pb_file_name(unit=row.unit)
            ),
        }
        for row in results.process_results(process=process)
    ]


def results_page(request, slug: str):
    process = process_public_or_404(slug=slug)
    if process.results_published_at is None:
        raise Http404
    context = {"process": process, "rows": _result_rows(process), "Rule": Rule}
    return render(request, "budget/results.html", context)


def result_file(request, slug: str, pk: int):
    row = get_object_or_404(UnitResult.objects.select_related("unit__process"), pk=pk)
    process = row.unit.process
    if process.slug != slug:
        raise Http404
    public = process.results_published_at is not None and not process.imported
    if not public and not process_staff_member(user=request.user, process=process):
        raise Http404
    response = HttpResponse(bytes(row.pb_data), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{pb_file_name(unit=row.unit)}"'
    return response


# --- Staff: paper ballots, counting, import -----------------------------------------------


def _person(data: dict):
    return paper.paper_person_find(
        family_name=data["family_name"],
        given_names=data["given_names"],
        date_of_birth=data["date_of_birth"],
        street=data["street"],
        house_number=data["house_number"],
        postcode=data["postcode"],
    )


def _entry_message(entry) -> tuple[int, str]:
    texts = {
        PaperEntryStatus.PENDING: (
            messages.SUCCESS,
            _("Sheet %(sheet)s entered; a colleague enters it a second time."),
        ),
        PaperEntryStatus.COUNTED: (
            messages.SUCCESS,
            _("Sheet %(sheet)s: both entries match, the ballot counts."),
        ),
        PaperEntryStatus.MISMATCH: (
            messages.WARNING,
            _("Sheet %(sheet)s: the entries differ. The department's lead resolves it."),
        ),
        PaperEntryStatus.REFUSED: (
            messages.WARNING,
            _(
                "Sheet %(sheet)s is refused: this person has voted already (the earlier ballot "
                "counts)."
            ),
        ),
    }
    level, text = texts[entry.status]
    return level, text % {"sheet": entry.sheet_number}


@login_required
def paper_entry(request, slug: str):
    process = process_for_staff(user=request.user, slug=slug)
    units = process_units(process=process)
    if not units:
        raise Http404
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0])
    proposals = list(ballot_proposals(unit=unit))
    form = PaperEntryForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = paper.paper_entry_add(
                unit=unit,
                actor=request.user,
                sheet_number=data["sheet_number"],
                person=_person(data),
                proposal_ids=data["proposals"],
            )
        except voting.VotingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.add_message(request, *_entry_message(entry))
            return redirect(f"{request.path}?unit={unit.pk}")
    context = {
        "process": process,
        "units": units,
        "unit": unit,
        "form": form,
        "open": paper.paper_entry_open(process=process),
        "is_lead": paper.paper_lead(user=request.user, process=process),
        "sheets": _sheets(paper.paper_sheets_open(process=process)),
        "refused": paper.paper_sheets_refused(process=process),
    }
    return render(request, "budget/staff/paper.html", context)


def _sheets(entries) -> list[dict]:
    sheets: dict = {}
    for entry in entries:
        sheets.setdefault((entry.unit, entry.sheet_number), []).append(entry)
    return [
        {"unit": unit, "number": number, "entries": items, "status": items[0].status}
        for (unit, number), items in sheets.items()
    ]


@login_required
def paper_sheet(request, slug: str, unit_pk: int, sheet: str):
    process = process_for_staff(user=request.user, slug=slug)
    unit = _unit(process, unit_pk)
    if not paper.paper_lead(user=request.user, process=process):
        raise PermissionDenied
    entries = list(
        unit.paper_entries.filter(sheet_number=sheet, status__in=paper.OPEN_STATUSES)
        .select_related("entered_by")
        .prefetch_related("proposals")
        .order_by("pk")
    )
    if not entries:
        raise Http404
    for number, entry in enumerate(entries, start=1):
        entry.label = _("Entry %(number)d by %(who)s") % {
            "number": number,
            "who": entry.entered_by.get_full_name() or entry.entered_by.email,
        }
    same_person = len({e.voter_key for e in entries}) == 1
    proposals = list(ballot_proposals(unit=unit))
    choice_form = PaperChoiceForm(
        request.POST if request.POST.get("action") == "choose" else None, entries=entries
    )
    entry_form = PaperEntryForm(
        request.POST if request.POST.get("action") == "enter" else None,
        proposals=proposals,
        initial={"sheet_number": sheet},
    )
    entry_form.fields["sheet_number"].disabled = True
    if request.method == "POST":
        form = choice_form if request.POST.get("action") == "choose" else entry_form
        if form.is_valid():
            try:
                if form is choice_form:
                    chosen = paper.paper_sheet_resolve(
                        unit=unit,
                        actor=request.user,
                        sheet_number=sheet,
                        entry_id=form.cleaned_data["entry"],
                    )
                else:
                    chosen = paper.paper_sheet_resolve(
                        unit=unit,
                        actor=request.user,
                        sheet_number=sheet,
                        person=_person(form.cleaned_data),
                        proposal_ids=form.cleaned_data["proposals"],
                    )
            except voting.VotingError as exc:
                form.add_error(None, exc.message)
            else:
                messages.add_message(request, *_entry_message(chosen))
                url = reverse("budget_staff:paper", args=[process.slug])
                return redirect(f"{url}?unit={unit.pk}")
    context = {
        "process": process,
        "unit": unit,
        "sheet": sheet,
        "entries": entries,
        "same_person": same_person,
        "choice_form": choice_form,
        "entry_form": entry_form,
        "has_errors": bool(choice_form.errors or entry_form.errors),
    }
    return render(request, "budget/staff/paper_sheet.html", context)


@login_required
def results_staff(request, slug: str):
    process = process_for_staff(user=request.user, slug=slug)
    context = {
        "process": process,
        "rows": _result_rows(process),
        "Rule": Rule,
        "can_count": process.phase() == Phase.COUNTING,
        "waiting": paper.paper_sheets_open(process=process).count(),
    }
    return render(request, "budget/staff/results.html", context)


def _result_action(request, slug: str, action, done: str):
    process = process_for_staff(user=request.user, slug=slug)
    try:
        action(process=process, actor=request.user)
    except results.ResultError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("budget_staff:count", slug=process.slug)


@require_POST
@login_required
def results_count(request, slug: str):
    done = _("The votes are counted. Check the results, then publish.")
    return _result_action(request, slug, results.results_count, done)


@require_POST
@login_required
def results_publish(request, slug: str):
    return _result_action(request, slug, results.results_publish, _("The results are published."))


def _staff_departments(user):
    if user.is_superuser:
        return Department.objects.order_by("code")
    return Department.objects.filter(memberships__user=user).order_by("code")


@login_required
def election_import(request):
    departments = _staff_departments(request.user)
    if not departments.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)
        try:
            process = results.election_import(
                data=data, department=form.cleaned_data["department"], actor=request.user
            )
        except (PabulibError, RuleError) as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("budget_staff:import_detail", slug=process.slug)
    imported = BudgetProcess.objects.filter(imported=True, department__in=departments)
    context = {"form": form, "imported": imported.order_by("-created_at")[:50]}
    return render(request, "budget/staff/import.html", context)


@login_required
def import_detail(request, slug: str):
    process = process_for_staff(user=request.user, slug=slug)
    if not process.imported:
        raise Http404
    context = {"process": process, "rows": _result_rows(process), "Rule": Rule}
    return render(request, "budget/staff/import_detail.html", context)
