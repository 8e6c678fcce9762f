"""The central print shop's page: make a batch, download it, mark it printed and posted."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import access_required
from rathaus.audit.services import audit_record

from . import selectors, services
from .models import BatchStatus, PrintBatch

print_staff_required = access_required(lambda user: selectors.is_print_staff(user=user))


@print_staff_required
def print_overview(request):
    page = Paginator(selectors.print_batches(), 20).get_page(request.GET.get("page"))
    context = {"waiting": selectors.letters_waiting(), "page": page}
    return render(request, "outbox/print.html", context)


@print_staff_required
@require_POST
def batch_create(request):
    batch = services.print_batch_create(actor=request.user)
    if batch is None:
        messages.info(request, _("No letter is waiting for print."))
    else:
        messages.success(
            request,
            _("Print batch %(number)s with %(letters)s letters is ready.")
            % {"number": batch.pk, "letters": batch.letter_count},
        )
    return redirect("outbox:print")


@print_staff_required
@require_POST
def batch_mark(request, pk: int, status: str):
    batch = get_object_or_404(PrintBatch, pk=pk)
    if status not in (BatchStatus.PRINTED, BatchStatus.POSTED):
        raise PermissionDenied
    try:
        services.print_batch_mark(batch=batch, status=status, actor=request.user)
    except services.LetterError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Print batch %(number)s updated.") % {"number": batch.pk})
    return redirect("outbox:print")


@print_staff_required
def batch_file(request, pk: int, kind: str):
    batch = get_object_or_404(PrintBatch, pk=pk)
    field = {"pdf": batch.file, "manifest": batch.manifest}.get(kind)
    if not field:
        raise PermissionDenied
    # The print PDF holds names and addresses: every download is logged.
    audit_record(
        actor=request.user,
        action=f"print_batch.downloaded_{kind}",
        object_type="outbox.printbatch",
        object_id=str(batch.pk),
    )
    extension = "pdf" if kind == "pdf" else "csv"
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"druckauftrag-{batch.pk}.{extension}",
        content_type="application/pdf" if kind == "pdf" else "text/csv; charset=utf-8",
    )
