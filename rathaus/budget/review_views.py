"""Staff pages of the citizens' budget: feasibility review and moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import review
from .forms import AssignForm, DecideForm, HideForm, ProposalFilterForm
from .models import Proposal
from .processes import process_for_staff, process_staff_list, process_staff_member


def _proposal(request, slug: str, pk: int) -> Proposal:
    process = process_for_staff(user=request.user, slug=slug, reviewing=True)
    try:
        proposal = review.review_proposals(user=request.user, process=process).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    return proposal


@login_required
def process_list(request):
    processes = list(process_staff_list(user=request.user))
    if not processes:
        raise PermissionDenied
    return render(request, "budget/staff/review_processes.html", {"processes": processes})


@login_required
def process_proposals(request, slug: str):
    process = process_for_staff(user=request.user, slug=slug, reviewing=True)
    form = ProposalFilterForm(request.GET or None, process=process)
    status = unit_id = None
    if form.is_valid():
        status = form.cleaned_data["status"] or None
        unit_id = form.cleaned_data["unit"] or None
    proposals = review.review_proposals(
        user=request.user, process=process, status=status, unit_id=unit_id
    )
    context = {
        "process": process,
        "filter_form": form,
        "proposals": proposals,
        "review_open": review.review_open(process=process),
        "is_staff_member": process_staff_member(user=request.user, process=process),
    }
    return render(request, "budget/staff/review_list.html", context)


def _proposal_page(request, proposal, *, assign=None, decide=None, hide=None, status=200):
    process = proposal.unit.process
    is_staff_member = process_staff_member(user=request.user, process=process)
    context = {
        "process": process,
        "proposal": proposal,
        "images": list(proposal.images.all()),
        "review_open": review.review_open(process=process),
        "is_staff_member": is_staff_member,
        "assign_form": assign
        or AssignForm(prefix="assign", initial={"department": proposal.review_department}),
        "decide_form": decide
        or DecideForm(
            prefix="decide",
            initial={
                "city_cost": proposal.city_cost or proposal.estimated_cost,
                "reason": proposal.review_reason,
            },
        ),
        "hide_form": hide or HideForm(prefix="hide"),
    }
    return render(request, "budget/staff/review_proposal.html", context, status=status)


@login_required
def proposal_review(request, slug: str, pk: int):
    return _proposal_page(request, _proposal(request, slug, pk))


def _act(request, slug: str, pk: int, prefix: str, form_class, service, done: str):
    """Validate the proposal page's form `prefix`, call `service` with the form's fields,
    redirect, or show the page with the errors."""
    proposal = _proposal(request, slug, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("budget_staff:proposal", slug, pk)
    return _proposal_page(request, proposal, **{prefix: form}, status=422)


@require_POST
@login_required
def proposal_assign(request, slug: str, pk: int):
    done = _("The reviewing department was changed.")
    return _act(request, slug, pk, "assign", AssignForm, review.proposal_review_assign, done)


@require_POST
@login_required
def proposal_decide(request, slug: str, pk: int):
    done = _("The feasibility decision was saved.")
    return _act(request, slug, pk, "decide", DecideForm, review.proposal_decide, done)


@require_POST
@login_required
def proposal_hide(request, slug: str, pk: int):
    done = _("The proposal is hidden from the public.")
    return _act(request, slug, pk, "hide", HideForm, review.proposal_hide, done)


@require_POST
@login_required
def proposal_restore(request, slug: str, pk: int):
    proposal = _proposal(request, slug, pk)
    try:
        review.proposal_restore(proposal=proposal, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The proposal is visible to the public again."))
    return redirect("budget_staff:proposal", slug, pk)
