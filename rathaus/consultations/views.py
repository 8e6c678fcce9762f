"""Public pages: the list of city projects, a project with its consultation, open data."""

import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .exports import open_data, open_data_csv_rows
from .forms import QuestionnaireForm, field_name


def project_list(request):
    return render(
        request, "consultations/project_list.html", {"projects": selectors.projects_public()}
    )


def _project(slug: str):
    project = selectors.project_public_get(slug=slug)
    if project is None:
        raise Http404
    return project


def _project_page(request, project, *, form=None, status: int = 200):
    consultation = getattr(project, "consultation", None)
    context = {"project": project, "consultation": consultation}
    if consultation is not None:
        questions = selectors.questions_of(consultation=consultation)
        response = selectors.response_of(consultation=consultation, user=request.user)
        eligible = selectors.user_is_eligible(consultation=consultation, user=request.user)
        if form is None and consultation.is_open() and eligible:
            initial = selectors.response_initial(response=response)
            form = QuestionnaireForm(
                questions=questions,
                initial={field_name(q): initial.get(q.pk) for q in questions},
            )
        context.update(
            {
                "questions": questions,
                "form": form,
                "response": response,
                "eligible": eligible,
                "status": consultation.status(),
                "results": (
                    selectors.consultation_results(consultation=consultation)
                    if consultation.is_closed()
                    else None
                ),
            }
        )
    return render(request, "consultations/project_detail.html", context, status=status)


def project_detail(request, slug: str):
    return _project_page(request, _project(slug))


@require_POST
def questionnaire_submit(request, slug: str):
    project = _project(slug)
    consultation = getattr(project, "consultation", None)
    if consultation is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(f"{project.get_absolute_url()}#questionnaire")
    questions = selectors.questions_of(consultation=consultation)
    form = QuestionnaireForm(request.POST, questions=questions)
    if form.is_valid():
        try:
            had_response = selectors.response_of(consultation=consultation, user=request.user)
            services.response_submit(
                consultation=consultation, user=request.user, answers=form.answers()
            )
        except services.ConsultationError as exc:
            for question_id, message in exc.errors.items():
                form.add_error(f"q{question_id}", message)
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your answers have been changed.")
                if had_response
                else _("Thank you! Your answers have been saved."),
            )
            return redirect(f"{project.get_absolute_url()}#questionnaire")
    return _project_page(request, project, form=form, status=422)


def document_download(request, slug: str, pk: int):
    project = _project(slug)
    document = project.documents.filter(pk=pk).first()
    if document is None or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{project.slug}-{document.pk}.pdf",
    )


def _closed_consultation(slug: str):
    project = _project(slug)
    consultation = getattr(project, "consultation", None)
    # Results are published once the consultation has closed, so they cannot sway it.
    if consultation is None or not consultation.is_closed():
        raise Http404
    return consultation


def open_data_json(request, slug: str):
    consultation = _closed_consultation(slug)
    data = open_data(consultation=consultation, request=request)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_csv(request, slug: str):
    consultation = _closed_consultation(slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="beteiligung-{consultation.project.slug}.csv"'
    )
    response["Access-Control-Allow-Origin"] = "*"
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response)
    writer.writerows(open_data_csv_rows(consultation=consultation))
    return response


def open_data_index(request):
    """Every closed consultation with the addresses of its data (a small catalogue)."""
    datasets = []
    for project in selectors.projects_public():
        consultation = getattr(project, "consultation", None)
        if consultation is None or not consultation.is_closed():
            continue
        datasets.append(
            {
                "title": project.title,
                "page": request.build_absolute_uri(project.get_absolute_url()),
                "json": request.build_absolute_uri(
                    reverse("consultations:open_data_json", args=[project.slug])
                ),
                "csv": request.build_absolute_uri(
                    reverse("consultations:open_data_csv", args=[project.slug])
                ),
            }
        )
    body = {
        "publisher": settings.RATHAUS_CITY_NAME,
        "license": "dl-de/by-2-0",
        "license_url": "https://www.govdata.de/dl-de/by-2-0",
        "datasets": datasets,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json"
    )
