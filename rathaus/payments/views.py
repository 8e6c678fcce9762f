"""The city treasury's pages (Stadtkasse): import bank statements, clarify payments, see fees."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import access_required
from rathaus.audit.services import audit_record

from . import selectors, services
from .camt import CamtError
from .forms import AssignForm, FeeFilterForm, NoteForm, StatementUploadForm
from .models import FeeStatus

# Members of the treasury department only.
treasury_required = access_required(lambda user: selectors.is_treasury_member(user=user))


def _refused(request, exc: services.PaymentError):
    if exc.code == "forbidden":
        raise PermissionDenied(str(exc.message))
    messages.error(request, exc.message)


def _overview(request, form: StatementUploadForm, status: int = 200):
    context = {
        "form": form,
        "statements": selectors.statements_recent(),
        "open_items": selectors.clarifications().count(),
        "totals": selectors.fee_open_totals(),
    }
    return render(request, "payments/staff/overview.html", context, status=status)


@treasury_required
def overview(request):
    return _overview(request, StatementUploadForm())


def _report_message(report: services.ImportReport) -> str:
    if report.nothing_changed:
        return _("This statement has been imported before; nothing has changed.")
    parts = [
        ngettext("%(count)d new entry", "%(count)d new entries", report.new_entries)
        % {"count": report.new_entries},
        ngettext("%(count)d fee paid", "%(count)d fees paid", report.outcomes.get("paid", 0))
        % {"count": report.outcomes.get("paid", 0)},
        ngettext(
            "%(count)d payment to clarify",
            "%(count)d payments to clarify",
            report.clarifications,
        )
        % {"count": report.clarifications},
    ]
    if report.known_entries:
        parts.append(
            ngettext(
                "%(count)d entry imported before",
                "%(count)d entries imported before",
                report.known_entries,
            )
            % {"count": report.known_entries}
        )
    return _("Statement imported: %(parts)s.") % {"parts": ", ".join(parts)}


@treasury_required
@require_POST
def statement_upload(request):
    form = StatementUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _overview(request, form, status=422)
    upload = form.cleaned_data["file"]
    try:
        report = services.statement_import(
            data=upload.read(), file_name=upload.name, actor=request.user
        )
    except CamtError as exc:
        form.add_error(
            "file",
            _("The file was not imported: %(problem)s") % {"problem": exc.message},
        )
        return _overview(request, form, status=422)
    except services.PaymentError as exc:
        _refused(request, exc)
        return redirect("payments:overview")
    if report.nothing_changed:
        messages.info(request, _report_message(report))
    else:
        messages.success(request, _report_message(report))
    if len(report.statements) == 1:
        return redirect("payments:statement", report.statements[0].pk)
    return redirect("payments:overview")


@treasury_required
def statement_detail(request, pk: int):
    statement = selectors.statement_get(pk=pk)
    if statement is None:
        raise Http404
    # The payments name payers and their accounts: views of them are logged.
    audit_record(
        actor=request.user,
        action="payments.statement_viewed",
        object_type="payments.bankstatement",
        object_id=str(statement.pk),
    )
    return render(request, "payments/staff/statement.html", {"statement": statement})


@treasury_required
def clarification_list(request):
    resolved = request.GET.get("erledigt") == "1"
    items = selectors.clarifications(resolved=resolved)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request, "payments/staff/clarifications.html", {"page": page, "resolved": resolved}
    )


def _item(pk: int):
    item = selectors.clarification_get(pk=pk)
    if item is None:
        raise Http404
    return item


def _item_page(request, item, *, assign_form=None, note_form=None, status: int = 200):
    context = {
        "item": item,
        "payment": item.payment,
        "assign_form": assign_form or AssignForm(prefix="assign"),
        "note_form": note_form or NoteForm(prefix="resolve"),
        "has_errors": bool(
            (assign_form and assign_form.errors) or (note_form and note_form.errors)
        ),
    }
    return render(request, "payments/staff/clarification.html", context, status=status)


@treasury_required
def clarification_detail(request, pk: int):
    item = _item(pk)
    audit_record(
        actor=request.user,
        action="payments.clarification_viewed",
        object_type="payments.clarification",
        object_id=str(item.pk),
    )
    return _item_page(request, item)


@treasury_required
@require_POST
def clarification_assign(request, pk: int):
    item = _item(pk)
    form = AssignForm(request.POST, prefix="assign")
    if not form.is_valid():
        return _item_page(request, item, assign_form=form, status=422)
    fee = form.cleaned_data["fee"]
    try:
        services.clarification_assign(
            clarification=item, fee=fee, actor=request.user, note=form.cleaned_data["note"]
        )
    except services.PaymentError as exc:
        _refused(request, exc)
        return redirect("payments:clarification", item.pk)
    messages.success(
        request,
        _("The payment now counts towards fee %(reference)s.")
        % {"reference": fee.payment_reference_display},
    )
    return redirect("payments:clarifications")


@treasury_required
@require_POST
def clarification_resolve(request, pk: int):
    item = _item(pk)
    form = NoteForm(request.POST, prefix="resolve")
    if not form.is_valid():
        return _item_page(request, item, note_form=form, status=422)
    try:
        services.clarification_resolve(
            clarification=item, actor=request.user, note=form.cleaned_data["note"]
        )
    except services.PaymentError as exc:
        _refused(request, exc)
        return redirect("payments:clarification", item.pk)
    messages.success(request, _("The item has been resolved."))
    return redirect("payments:clarifications")


@treasury_required
def fee_list(request):
    form = FeeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.fees(status=filters.get("status", ""), query=filters.get("q", ""))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "payments/staff/fees.html",
        {"filter_form": form, "page": page, "query": query.urlencode()},
    )


def _fee(reference: str):
    fee = selectors.fee_get(reference=reference)
    if fee is None:
        raise Http404
    return fee


def _fee_page(request, fee, *, cancel_form=None, status: int = 200):
    context = {
        "fee": fee,
        "notice": selectors.fee_notice(fee=fee),
        "payments": fee.payments.select_related("entry__statement").order_by("pk"),
        "cancel_form": cancel_form or NoteForm(prefix="cancel"),
        "can_cancel": fee.status == FeeStatus.OPEN and not fee.received_cents,
    }
    return render(request, "payments/staff/fee.html", context, status=status)


@treasury_required
def fee_detail(request, reference: str):
    return _fee_page(request, _fee(reference))


@treasury_required
@require_POST
def fee_cancel(request, reference: str):
    fee = _fee(reference)
    form = NoteForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return _fee_page(request, fee, cancel_form=form, status=422)
    try:
        services.fee_cancel(fee=fee, actor=request.user, note=form.cleaned_data["note"])
    except services.PaymentError as exc:
        _refused(request, exc)
        return redirect("payments:fee", fee.payment_reference)
    messages.success(request, _("The fee has been cancelled."))
    return redirect("payments:fee", fee.payment_reference)
