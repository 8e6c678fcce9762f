"""Public pages of the citizens' budget: processes and proposals."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rathaus.core.ratelimit import rate_limit_consume, rate_limit_response

from .forms import ProposalFilterForm, ProposalForm
from .models import BudgetProcess, Phase, Proposal, ProposalImage
from .processes import (
    process_public_list,
    process_public_or_404,
    process_staff_member,
    process_units,
)
from .proposals import proposal_get, proposal_submit, public_proposals

# The order of the phases on the timeline (counting is a short pause, not a phase of its own).
TIMELINE = [Phase.PROPOSALS, Phase.REVIEW, Phase.VOTING, Phase.RESULTS]


def _timeline(process: BudgetProcess) -> list[dict]:
    phase = process.phase()
    current = (
        TIMELINE.index(Phase.VOTING if phase == Phase.COUNTING else phase)
        if (phase != Phase.UPCOMING)
        else -1
    )
    dates = {
        Phase.PROPOSALS: (process.proposals_open, process.proposals_close),
        Phase.REVIEW: (process.proposals_close, process.review_close),
        Phase.VOTING: (process.voting_opens, process.voting_closes),
        Phase.RESULTS: (process.results_published_at, None),
    }
    return [
        {
            "phase": step,
            "start": dates[step][0],
            "end": dates[step][1],
            "state": "done" if i < current else "current" if i == current else "next",
        }
        for i, step in enumerate(TIMELINE)
    ]


def process_list(request):
    processes = list(process_public_list())
    return render(request, "budget/process_list.html", {"processes": processes})


def process_detail(request, slug: str):
    process = process_public_or_404(slug=slug)
    units = process_units(process=process)
    context = {
        "process": process,
        "phase": process.phase(),
        "Phase": Phase,
        "timeline": _timeline(process),
        "units": units,
        "total_budget": sum(unit.budget for unit in units),
        "proposal_count": public_proposals(process=process).count(),
        "is_staff_member": process_staff_member(user=request.user, process=process),
    }
    return render(request, "budget/process_detail.html", context)


def proposal_list(request, slug: str):
    process = process_public_or_404(slug=slug)
    form = ProposalFilterForm(request.GET or None, process=process)
    unit = status = None
    if form.is_valid():
        unit = next(
            (u for u in process_units(process=process) if u.pk == form.cleaned_data["unit"]), None
        )
        status = form.cleaned_data["status"] or None
    page = Paginator(public_proposals(process=process, unit=unit, status=status), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "process": process,
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "phase": process.phase(),
    }
    return render(request, "budget/proposal_list.html", context)


def proposal_detail(request, slug: str, pk: int):
    process = process_public_or_404(slug=slug)
    try:
        proposal = proposal_get(process=process, pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    is_staff_member = process_staff_member(user=request.user, process=process)
    context = {
        "process": process,
        "proposal": proposal,
        "images": list(proposal.images.all())
        if proposal.hidden_at is None or is_staff_member
        else [],
        "is_staff_member": is_staff_member,
    }
    return render(request, "budget/proposal_detail.html", context)


def proposal_image(request, slug: str, pk: int, image_pk: int):
    """Pictures go out through this view: a hidden proposal's only to staff."""
    process = process_public_or_404(slug=slug)
    try:
        image = ProposalImage.objects.select_related("proposal").get(
            pk=image_pk, proposal_id=pk, proposal__unit__process=process
        )
    except ProposalImage.DoesNotExist:
        raise Http404 from None
    if image.proposal.hidden_at is not None and not process_staff_member(
        user=request.user, process=process
    ):
        raise Http404
    content_type = "image/png" if image.file.name.endswith(".png") else "image/jpeg"
    response = FileResponse(image.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def proposal_create(request, slug: str):
    process = process_public_or_404(slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if process.phase() != Phase.PROPOSALS:
        messages.error(request, _("Proposals can only be made while the proposals phase runs."))
        return redirect("budget:process_detail", process.slug)
    form = ProposalForm(request.POST or None, request.FILES or None, process=process)
    if request.method == "POST":
        if not rate_limit_consume(
            request,
            action="budget_proposal",
            rate=settings.RATHAUS_BUDGET_PROPOSAL_RATE_LIMIT,
        ):
            return rate_limit_response(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = proposal_submit(
                    unit=data["unit"],
                    author=request.user,
                    title=data["title"],
                    description=data["description"],
                    estimated_cost=data["estimated_cost"],
                    address=data["address"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    images=data["images"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Thank you! Your proposal has number %(number)s in %(unit)s.")
                    % {"number": proposal.number, "unit": proposal.unit.name},
                )
                return redirect(proposal.get_absolute_url())
    context = {
        "process": process,
        "form": form,
        "map_center": settings.RATHAUS_MAP_CENTER,
    }
    return render(request, "budget/proposal_form.html", context, status=422 if form.errors else 200)
