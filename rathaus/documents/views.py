"""The citizen's postbox, and the staff's view of a case's documents and letters."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import department_member_required
from rathaus.audit.services import audit_record
from rathaus.cases.selectors import case_for_staff, case_postal_address

from . import selectors
from .errors import DocumentError
from .issuing import letter_write, permit_revoke
from .services import document_mark_read


@login_required
def postbox(request):
    documents = selectors.postbox_documents(user=request.user)
    return render(request, "documents/postbox.html", {"documents": documents})


@login_required
def postbox_open(request, public_id: uuid.UUID):
    """The citizen opens a document of their own; the first opening is noted as receipt."""
    document = selectors.document_for_citizen(user=request.user, public_id=public_id)
    if document is None:
        raise Http404
    document_mark_read(document=document)
    return _pdf(document)


def _pdf(document) -> FileResponse:
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        filename=f"{document.case.reference}-{document.kind}.pdf",
        as_attachment=False,
    )


@department_member_required
def staff_open(request, public_id: uuid.UUID):
    document = selectors.document_for_staff(user=request.user, public_id=public_id)
    if document is None:
        raise Http404
    audit_record(
        actor=request.user,
        action="document.viewed",
        object_type="documents.document",
        object_id=str(document.pk),
    )
    return _pdf(document)


class LetterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), max_length=8000
    )
    by_post = forms.BooleanField(
        label=_("Also send by post through the central print shop"), required=False
    )


@department_member_required
def letter(request, reference: str):
    case = case_for_staff(user=request.user, reference=reference)
    if case is None:
        raise Http404
    form = LetterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter_write(case=case, actor=request.user, **form.cleaned_data)
            except DocumentError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The letter has been sent."))
                return redirect("cases:detail", case.reference)
        status = 422
    context = {"case": case, "form": form, "address": case_postal_address(case=case)}
    return render(request, "documents/staff/letter.html", context, status=status)


@department_member_required
@require_POST
def revoke(request, reference: str):
    case = case_for_staff(user=request.user, reference=reference)
    if case is None:
        raise Http404
    revoked = permit_revoke(case=case, actor=request.user)
    if revoked:
        messages.success(request, _("The permit has been revoked; its QR code now shows this."))
    else:
        messages.info(request, _("This case has no permit in force."))
    return redirect("cases:detail", case.reference)
