"""The back office for incoming mail: the department's mail inbox, a letter with its scan, and
the post room's pages (upload, triage queue, dead letters, reconciliation)."""

import datetime
import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import department_member_required
from rathaus.accounts.models import Department
from rathaus.audit.services import audit_record
from rathaus.cases.selectors import case_for_staff
from rathaus.documents.errors import DocumentError

from . import reconciliation, selectors, services
from .forms import ClassifyForm, UploadForm
from .models import Channel, Status
from .routing import RoutingConfigError, routing_table


def post_room_required(view):
    """Members of the post room (the routing table's triage department) only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.is_post_room(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _item(request, public_id: uuid.UUID):
    item = selectors.item_for_staff(user=request.user, public_id=public_id)
    if item is None:
        raise Http404
    return item


def _with_type_labels(items) -> None:
    labels = {slug: selectors.type_label(slug) for slug in {i.document_type for i in items}}
    for item in items:
        item.type_label = labels[item.document_type]


def _nav_context(request) -> dict:
    return {"is_post_room": selectors.is_post_room(user=request.user)}


@department_member_required
def mail_inbox(request):
    departments = list(selectors.staff_departments(user=request.user))
    code = request.GET.get("department") or departments[0].code
    department = next((d for d in departments if d.code == code), None)
    if department is None:
        raise Http404
    done = request.GET.get("erledigt") == "1"
    page = Paginator(selectors.mail_inbox(department=department, done=done), 25).get_page(
        request.GET.get("page")
    )
    _with_type_labels(page)
    context = {
        "department": department,
        "departments": departments,
        "done": done,
        "page": page,
        **_nav_context(request),
    }
    return render(request, "intake/staff/inbox.html", context)


def _classify_form(data=None, *, item=None) -> ClassifyForm:
    table = routing_table()
    initial = {}
    if item is not None and item.document_type in table.types:
        initial["document_type"] = item.document_type
    return ClassifyForm(
        data,
        initial=initial,
        types=table.choices(),
        departments=list(Department.objects.order_by("code")),
    )


def _item_page(request, item, *, form=None, status: int = 200):
    case = None
    if item.matched_case_id:
        # A link to the case only for those who may open it.
        case = case_for_staff(user=request.user, reference=item.matched_case.reference)
    can_route = item.status in (Status.ROUTED, Status.TRIAGE)
    try:
        form = form or (_classify_form(item=item) if can_route else None)
        routing_error = None
    except RoutingConfigError as exc:
        form, routing_error = None, str(exc)
    context = {
        "item": item,
        "case": case,
        "form": form,
        "routing_error": routing_error,
        "pages": [p.strip() for p in item.ocr_text.split("\f")] if item.ocr_text else [],
        "fields": item.fields or {},
        "type_label": selectors.type_label(item.document_type),
        "explanation": selectors.routing_explained(item=item),
        "anomalies": [selectors.anomaly_text(a) for a in item.anomalies],
        "dead_letter": selectors.dead_letter_text(item=item) if item.dead_letter_reason else "",
        "letters": item.letters.all() if item.status == Status.SPLIT else [],
        "note": item.transfer_note or {},
        "channel_label": Channel(item.channel).label,
        **_nav_context(request),
    }
    return render(request, "intake/staff/item.html", context, status=status)


@department_member_required
def item_detail(request, public_id: uuid.UUID):
    item = _item(request, public_id)
    # The text and fields of a letter are personal data: every view is logged.
    audit_record(
        actor=request.user,
        action="intake.item_viewed",
        object_type="intake.intakeitem",
        object_id=str(item.pk),
    )
    return _item_page(request, item)


@department_member_required
def item_scan(request, public_id: uuid.UUID, kind: str):
    """The searchable PDF/A inline in the browser, or the original file (unchanged) to save."""
    item = _item(request, public_id)
    field = {"pdf": item.searchable, "original": item.original}.get(kind)
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None  # the reconciliation reports the missing file
    audit_record(
        actor=request.user,
        action="intake.scan_viewed",
        object_type="intake.intakeitem",
        object_id=str(item.pk),
        data={"file": kind},
    )
    if kind == "pdf":
        return FileResponse(
            handle,
            content_type="application/pdf",
            filename=f"brief-{item.pk}.pdf",
            as_attachment=False,
        )
    # The original may be anything that arrived (a dead letter): saved, never opened inline.
    return FileResponse(
        handle,
        content_type="application/octet-stream",
        filename=item.file_name or f"original-{item.pk}",
        as_attachment=True,
    )


@department_member_required
def item_transfer_note(request, public_id: uuid.UUID):
    """The item's transfer note as a sealed PDF/A, inline in the browser."""
    item = _item(request, public_id)
    try:
        pdf = services.transfer_note_pdf(item=item)
    except (ImproperlyConfigured, DocumentError):
        messages.error(
            request,
            _("The transfer note cannot be produced: the electronic seal is not usable."),
        )
        return redirect("intake:item", public_id=item.public_id)
    audit_record(
        actor=request.user,
        action="intake.transfer_note",
        object_type="intake.intakeitem",
        object_id=str(item.pk),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transfervermerk-{item.pk}.pdf"'
    return response


@department_member_required
@require_POST
def item_classify(request, public_id: uuid.UUID):
    item = _item(request, public_id)
    if item.status not in (Status.ROUTED, Status.TRIAGE):
        raise PermissionDenied
    if item.status == Status.TRIAGE and not selectors.is_post_room(user=request.user):
        raise PermissionDenied
    try:
        form = _classify_form(request.POST, item=item)
        if not form.is_valid():
            return _item_page(request, item, form=form, status=422)
        item = services.item_classify_by_staff(
            item=item,
            document_type=form.cleaned_data["document_type"],
            department_code=form.cleaned_data["department"],
            actor=request.user,
        )
    except services.IntakeActionError as exc:
        form.add_error(None, exc.message)
        return _item_page(request, item, form=form, status=422)
    except RoutingConfigError:
        # The page explains the broken table; nothing was changed.
        return _item_page(request, item, status=503)
    messages.success(
        request, _("The letter has been sent to %(department)s.") % {"department": item.department}
    )
    if selectors.items_visible(user=request.user).filter(pk=item.pk).exists():
        return redirect("intake:item", item.public_id)
    return redirect("intake:inbox")


@department_member_required
@require_POST
def item_done(request, public_id: uuid.UUID):
    item = _item(request, public_id)
    try:
        services.item_done(item=item, actor=request.user)
    except services.IntakeActionError as exc:
        messages.error(request, exc.message)
        return redirect("intake:item", item.public_id)
    messages.success(request, _("The letter is marked as done."))
    return redirect(f"{_inbox_url()}?department={item.department.code}")


def _inbox_url() -> str:
    from django.urls import reverse

    return reverse("intake:inbox")


# --- The post room -----------------------------------------------------------------------------


def _post_room(request, form: UploadForm, status: int = 200):
    today = timezone.localdate()
    context = {
        "form": form,
        "triage_count": selectors.triage_queue().count(),
        "dead_count": selectors.dead_letters().count(),
        "processing": selectors.in_progress()[:50],
        "figure_rows": [
            (_("Today"), reconciliation.reconciliation_figures(day=today)),
            (
                _("Yesterday"),
                reconciliation.reconciliation_figures(day=today - datetime.timedelta(days=1)),
            ),
        ],
        **_nav_context(request),
    }
    return render(request, "intake/staff/post_room.html", context, status=status)


@post_room_required
def post_room(request):
    return _post_room(request, UploadForm(max_bytes=services.max_bytes()))


@post_room_required
@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES, max_bytes=services.max_bytes())
    if not form.is_valid():
        return _post_room(request, form, status=422)
    new = duplicates = 0
    for upload in form.cleaned_data["files"]:
        try:
            receipt = services.intake_receive(
                file=upload, file_name=upload.name, channel=Channel.UPLOAD, operator=request.user
            )
        except services.IntakeRefused as exc:
            form.add_error("files", f"{upload.name}: {exc.message}")
            return _post_room(request, form, status=422)
        duplicates += receipt.duplicate
        new += not receipt.duplicate
    parts = [
        ngettext("%(count)d new file", "%(count)d new files", new) % {"count": new},
        ngettext(
            "%(count)d file received before (not stored again)",
            "%(count)d files received before (not stored again)",
            duplicates,
        )
        % {"count": duplicates},
    ]
    messages.success(request, _("Received: %(parts)s.") % {"parts": ", ".join(parts)})
    return redirect("intake:post_room")


@post_room_required
def triage(request):
    page = Paginator(selectors.triage_queue(), 50).get_page(request.GET.get("page"))
    _with_type_labels(page)
    return render(request, "intake/staff/triage.html", {"page": page, **_nav_context(request)})


@post_room_required
def dead_letter_list(request):
    page = Paginator(selectors.dead_letters(), 50).get_page(request.GET.get("page"))
    rows = [(item, selectors.dead_letter_text(item=item)) for item in page]
    return render(
        request,
        "intake/staff/dead_letters.html",
        {"page": page, "rows": rows, **_nav_context(request)},
    )


@post_room_required
@require_POST
def reprocess(request, public_id: uuid.UUID):
    item = _item(request, public_id)
    try:
        services.item_reprocess(item=item, actor=request.user)
    except services.IntakeActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The letter is being processed again."))
    return redirect("intake:dead_letters")


@post_room_required
@require_POST
def reprocess_all(request):
    count = services.dead_letters_reprocess(actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d letter is being processed again.",
            "%(count)d letters are being processed again.",
            count,
        )
        % {"count": count},
    )
    return redirect("intake:dead_letters")


@department_member_required
def separator_sheet(request):
    """The printable separator sheet (PDF): put one between the letters of a scan batch."""
    from .separator_sheet import separator_sheet_pdf

    response = HttpResponse(separator_sheet_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="trennblatt.pdf"'
    return response
