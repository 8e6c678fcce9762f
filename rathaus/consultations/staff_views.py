"""Staff pages (department members): projects, results, response summary, CSV of answers."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import staff_required
from rathaus.audit.services import audit_record
from rathaus.comments.selectors import comments_for_staff

from . import selectors, services
from .forms import SummaryForm


def _project(request, slug: str):
    project = selectors.project_for_staff_get(user=request.user, slug=slug)
    if project is None:
        raise Http404
    return project


@staff_required
def project_list(request):
    return render(
        request,
        "consultations/staff/project_list.html",
        {"projects": selectors.projects_for_staff(user=request.user)},
    )


def _page(request, project, *, form=None, status: int = 200):
    consultation = getattr(project, "consultation", None)
    context = {"project": project, "consultation": consultation}
    if consultation is not None:
        questions = selectors.questions_of(consultation=consultation)
        texts = selectors.text_answers(consultation=consultation)
        comments = list(comments_for_staff(project))
        context.update(
            {
                "results": selectors.consultation_results(consultation=consultation),
                "texts": [(q, texts.get(q.pk, [])) for q in questions if q.kind == "text"],
                "comment_count": len(comments),
                "hidden_count": sum(1 for c in comments if c.is_hidden),
                "form": form or SummaryForm(initial={"summary": consultation.summary}),
            }
        )
    return render(request, "consultations/staff/project.html", context, status=status)


@staff_required
def project_detail(request, slug: str):
    return _page(request, _project(request, slug))


@staff_required
@require_POST
def summary_save(request, slug: str):
    project = _project(request, slug)
    consultation = getattr(project, "consultation", None)
    if consultation is None:
        raise Http404
    form = SummaryForm(request.POST)
    publish = "publish" in request.POST
    if form.is_valid():
        try:
            services.summary_save(
                consultation=consultation,
                staff=request.user,
                summary=form.cleaned_data["summary"],
                publish=publish,
            )
        except services.ConsultationError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied from exc
            form.add_error("summary", exc.message)
        else:
            messages.success(
                request,
                _("The summary is published.") if publish else _("The summary is saved."),
            )
            return redirect("consultations_staff:project", project.slug)
    return _page(request, project, form=form, status=422)


@staff_required
def responses_csv(request, slug: str):
    project = _project(request, slug)
    consultation = getattr(project, "consultation", None)
    if consultation is None:
        raise Http404
    header, rows = selectors.responses_table(consultation=consultation)
    # Free-text answers can hold personal data the writers gave away: downloads are logged.
    audit_record(
        actor=request.user,
        action="consultation.responses_exported",
        object_type="consultations.consultation",
        object_id=str(consultation.pk),
        data={"rows": len(rows)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="antworten-{project.slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
