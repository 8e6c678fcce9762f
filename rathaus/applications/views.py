import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rathaus.accounts.decorators import assurance_refusal
from rathaus.accounts.selectors import login_assurance
from rathaus.audit.services import audit_record
from rathaus.cases.services import CaseActionError, case_withdraw, information_open
from rathaus.catalog.selectors import service_active

from . import selectors, services
from .forms import AnswerForm, StepForm
from .models import Application
from .uploads import UploadRejected, upload_inspect

MEGABYTE = 1024 * 1024


def _owned(request, public_id) -> Application:
    application = selectors.application_of_user(public_id=public_id, user=request.user)
    if application is None:
        raise Http404
    return application


@login_required
@require_POST
def start(request, slug: str):
    service = service_active(slug=slug)
    if service is None:
        raise Http404
    refused = assurance_refusal(request, service.current_version.assurance)
    if refused:
        return refused
    try:
        application = services.application_start(user=request.user, service=service)
    except services.ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:detail", service.slug)
    first = application.service_version.spec.visible_steps(application.answers)[0]
    return redirect("applications:step", application.public_id, first["id"])


def _step_urls(application: Application, steps: list[dict]) -> list[str]:
    return [reverse("applications:step", args=[application.public_id, s["id"]]) for s in steps]


@login_required
@require_http_methods(["GET", "POST"])
def step(request, public_id: uuid.UUID, step_id: str):
    application = _owned(request, public_id)
    if not application.is_draft:
        return redirect("applications:confirmation", application.public_id)
    if application.is_expired:
        return render(
            request, "applications/expired.html", {"application": application}, status=410
        )
    refused = assurance_refusal(request, application.service_version.assurance)
    if refused:
        return refused
    spec = application.service_version.spec
    steps = spec.visible_steps(application.answers)
    current = next((s for s in steps if s["id"] == step_id), None)
    if current is None:
        raise Http404
    attachments = {a.field_id: a.display_name for a in application.attachments.all()}
    posted = request.method == "POST"  # an empty POST (only unticked boxes) is still a POST
    form = StepForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        definition=spec,
        step=current,
        answers=application.answers,
        attachments=attachments,
    )
    if request.method == "POST" and form.is_valid():
        uploads = {}
        for field_id, file in form.uploads().items():
            field = spec.field(field_id)
            try:
                uploads[field_id] = upload_inspect(
                    file,
                    accept=field["accept"],
                    max_bytes=int(field.get("max_size_mb", 10) * MEGABYTE),
                )
            except UploadRejected as exc:
                form.add_error(field_id, exc.message)
        if not form.errors:
            application = services.application_step_save(
                application=application,
                step_id=current["id"],
                answers=form.answers_of_step(),
                uploads=uploads,
            )
            return redirect(_after_step(request, application, current["id"]))
    index = steps.index(current)
    context = {
        "application": application,
        "definition": spec.data,
        "step": current,
        "form": form,
        "number": index + 1,
        "total": len(steps),
        "back_url": _step_urls(application, steps)[index - 1] if index else None,
        "attachments": attachments,
    }
    status = 422 if form.errors else 200
    return render(request, "applications/step.html", context, status=status)


def _after_step(request, application: Application, step_id: str) -> str:
    """Back to the review after a change; otherwise the next step (or the review at the end)."""
    if request.GET.get("return") == "review":
        return reverse("applications:review", args=[application.public_id])
    steps = application.service_version.spec.visible_steps(application.answers)
    ids = [s["id"] for s in steps]
    position = ids.index(step_id) if step_id in ids else -1
    for following in ids[position + 1 :]:
        return reverse("applications:step", args=[application.public_id, following])
    return reverse("applications:review", args=[application.public_id])


@login_required
@require_http_methods(["GET", "POST"])
def review(request, public_id: uuid.UUID):
    application = _owned(request, public_id)
    if not application.is_draft:
        return redirect("applications:confirmation", application.public_id)
    refused = assurance_refusal(request, application.service_version.assurance)
    if refused:
        return refused
    error, status = None, 200
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")
        try:
            uuid.UUID(key)
        except ValueError:
            error, status = (
                _(
                    "Something went wrong while sending. Please check your answers and send "
                    "them again."
                ),
                400,
            )
        else:
            try:
                services.application_submit(
                    application=application,
                    idempotency_key=key,
                    assurance=int(login_assurance(request=request) or 1),
                )
            except services.ApplicationError as exc:
                if exc.step_id:
                    messages.error(request, exc.message)
                    return redirect("applications:step", application.public_id, exc.step_id)
                error, status = exc.message, 409
            else:
                return redirect("applications:confirmation", application.public_id)
    missing = services.application_missing_step(application=application)
    if missing and request.method == "GET":
        return redirect("applications:step", application.public_id, missing)
    context = {
        "application": application,
        "definition": application.service_version.definition,
        "rows": services.display_answers(application=application),
        "fee": application.service_version.spec.fee(application.answers),
        "idempotency_key": uuid.uuid4(),
        "error": error,
    }
    return render(request, "applications/review.html", context, status=status)


@login_required
def confirmation(request, public_id: uuid.UUID):
    application = _owned(request, public_id)
    case = selectors.case_of_application(application=application)
    if case is None:
        return redirect("applications:review", application.public_id)
    context = {
        "application": application,
        "definition": application.service_version.definition,
        "case": case,
    }
    return render(request, "applications/confirmation.html", context)


@login_required
def receipt(request, public_id: uuid.UUID):
    """The receipt (Eingangsbestätigung): what was sent, when, and under which file reference."""
    application = _owned(request, public_id)
    case = selectors.case_of_application(application=application)
    if case is None:
        raise Http404
    context = {
        "application": application,
        "definition": application.service_version.definition,
        "case": case,
        "rows": services.display_answers(application=application),
    }
    return render(request, "applications/receipt.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, public_id: uuid.UUID):
    """The applicant answers a request for information, with documents if asked for."""
    application = _owned(request, public_id)
    case = selectors.case_of_application(application=application)
    question = information_open(case=case) if case else None
    if question is None:
        messages.info(request, _("There is no open question on this application."))
        return redirect("applications:mine")
    posted = request.method == "POST"
    form = AnswerForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        uploads = {}
        for name in ("file_1", "file_2", "file_3"):
            file = form.cleaned_data.get(name)
            if not file:
                continue
            try:
                uploads[f"request-{question.pk}-{name[-1]}"] = upload_inspect(
                    file, accept=["pdf", "jpeg", "png"], max_bytes=10 * MEGABYTE
                )
            except UploadRejected as exc:
                form.add_error(name, exc.message)
        if not form.errors:
            services.application_answer(
                application=application,
                case=case,
                answer=form.cleaned_data["answer"],
                uploads=uploads,
            )
            messages.success(request, _("Thank you. Your answer has been sent."))
            return redirect("applications:mine")
    context = {"application": application, "case": case, "question": question, "form": form}
    return render(request, "applications/answer.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def withdraw(request, public_id: uuid.UUID):
    application = _owned(request, public_id)
    case = selectors.case_of_application(application=application)
    if case is None:
        raise Http404
    try:
        case_withdraw(case=case, applicant=request.user)
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("applications:mine")


@login_required
def my_applications(request):
    context = {
        "drafts": selectors.drafts_of_user(user=request.user),
        "cases": selectors.cases_of_user(user=request.user),
    }
    return render(request, "applications/my_applications.html", context)


@login_required
@require_POST
def discard(request, public_id: uuid.UUID):
    application = _owned(request, public_id)
    if application.is_draft:
        services.application_discard(application=application)
        messages.success(request, _("The draft has been deleted."))
    return redirect("applications:mine")


@login_required
def attachment(request, public_id: uuid.UUID, attachment_id: uuid.UUID):
    """A file goes only to its applicant and to staff of the responsible department."""
    application = selectors.application_for_download(public_id=public_id, user=request.user)
    if application is None:
        raise Http404
    item = get_object_or_404(application.attachments, public_id=attachment_id)
    if application.applicant_id != request.user.pk:
        # Staff looking at a citizen's document is a view of personal data: it is logged.
        audit_record(
            actor=request.user,
            action="attachment.viewed",
            object_type="applications.attachment",
            object_id=str(item.pk),
        )
    # Files were checked and cleaned on upload, so staff may open them in the browser.
    inline = request.GET.get("inline") == "1"
    return FileResponse(
        item.file.open("rb"),
        content_type=item.mime,
        filename=item.display_name,
        as_attachment=not inline,
    )
