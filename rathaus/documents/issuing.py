"""Issuing the documents of a case: render, seal, store, deliver.

A submission gets a receipt; a decision gets the documents its service definition names (a
rejection always gets a decision notice with the notice of appeal rights). Each document is
made once per case (a unique constraint makes a retried task find the earlier one) and put in
the citizen's postbox, and sent by post through the central print outbox where the citizen
asked for letters by post.
"""

import datetime
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from rathaus.applications.services import display_answers
from rathaus.audit.services import audit_record
from rathaus.cases.models import Case, CaseEvent, Outcome
from rathaus.cases.selectors import case_postal_address
from rathaus.cases.services import case_event_record
from rathaus.cases.states import CaseStatus
from rathaus.catalog.definition import address_entry, text

from .errors import DocumentError
from .models import Delivery, Document, DocumentKind
from .services import document_render_sealed

DEFAULT_VALIDITY_DAYS = 365
NO_ADDRESS = _lazy(
    "There is no postal address for this applicant: the letter can go to the postbox only."
)


def kinds_due(*, case: Case, trigger: str) -> list[dict]:
    """The documents due at submission ("submitted") or decision ("decided")."""
    wanted = case.application.service_version.spec.documents()
    if trigger == "submitted":
        return [d for d in wanted if d["kind"] == DocumentKind.RECEIPT]
    decision = getattr(case, "decision", None)
    if decision is None or case.status not in (CaseStatus.DECIDED, CaseStatus.CLOSED):
        return []  # not taken, or waiting for the second person's confirmation
    if decision.outcome == Outcome.REJECTED:
        notice = next((d for d in wanted if d["kind"] == DocumentKind.DECISION_NOTICE), None)
        default = {"kind": DocumentKind.DECISION_NOTICE, "template": _template("decision_notice")}
        return [notice or default]
    return [d for d in wanted if d["kind"] != DocumentKind.RECEIPT]


def _template(kind: str) -> str:
    return f"documents/kinds/{kind}.html"


def documents_issue(*, case_id: int, trigger: str) -> list[Document]:
    """Make and deliver the documents due; idempotent (documents made before are skipped)."""
    case = Case.objects.select_related(
        "application__service_version", "applicant", "department", "assignee"
    ).get(pk=case_id)
    made = []
    with translation.override(settings.LANGUAGE_CODE):  # German is the official language
        for item in kinds_due(case=case, trigger=trigger):
            if Document.objects.filter(case=case, kind=item["kind"]).exists():
                continue
            document = _issue(case=case, kind=item["kind"], template=item["template"])
            if document is not None:
                made.append(document)
        if made and trigger != "submitted":  # the receipt: the citizen is looking at it
            _postbox_notify(case=case)
    return made


def letter_write(*, case: Case, actor, subject: str, body: str, by_post: bool) -> Document:
    """A letter a caseworker writes on a case, sealed like every document and delivered to the
    postbox, and by post when asked (or when the citizen wants letters by post)."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise DocumentError(_("A letter needs a subject and a text."), code="empty")
    if by_post and case_postal_address(case=case) is None:
        raise DocumentError(
            NO_ADDRESS,
            code="no_address",
        )
    with translation.override(settings.LANGUAGE_CODE):
        context = _common_context(case) | {"subject": subject, "body": body, "author": actor}
        document = _store(
            case=case,
            kind=DocumentKind.LETTER,
            title=subject,
            template=_template("letter"),
            context=context,
            actor=actor,
            by_post=by_post,
        )
        _postbox_notify(case=case)
    return document


# --- Context of each kind -----------------------------------------------------------------


def _common_context(case: Case) -> dict:
    spec = case.application.service_version.spec
    name = case.applicant.get_full_name() or case.applicant.email
    contact_name = case.assignee.get_full_name() if case.assignee else ""
    return {
        "case": case,
        "reference": case.reference,
        "recipient_lines": case_postal_address(case=case) or [name],
        "department": case.department.name,
        "contact": {"name": contact_name, "email": case.department.email},
        "salutation": _("Hello %(name)s,") % {"name": name},
        "service_title": text(spec.data["title"]),
        "decision": getattr(case, "decision", None),
        "fee": case.fee,
        "legal_basis": spec.data.get("legal_basis", ""),
        "appeal_court": settings.RATHAUS_APPEAL_COURT,
    }


def _context_answers(case: Case) -> dict:
    return {"answers": display_answers(application=case.application)}


def _validity(case: Case) -> tuple[datetime.date, datetime.date]:
    days = case.application.service_version.definition.get("validity_days", DEFAULT_VALIDITY_DAYS)
    today = timezone.localdate()
    return today, today + datetime.timedelta(days=days - 1)


def _context_token(*, case: Case, kind: str, claims: dict) -> dict:
    from rathaus.verification.qr import qr_png_data_uri
    from rathaus.verification.services import token_issue

    valid_from, valid_until = _validity(case)
    signed = token_issue(
        kind=kind,
        claims=claims,
        valid_from=valid_from,
        valid_until=valid_until,
        reference=case.reference,
    )
    return {
        "token_id": signed.record.token_id,
        "token_code": signed.token,
        "token_qr": qr_png_data_uri(token=signed.token),
        "token_check_url": settings.RATHAUS_SITE_URL.split("://", 1)[-1] + "/pruefen/",
        "validity": {"valid_from": valid_from, "valid_until": valid_until},
    }


def _context_permit(case: Case) -> dict:
    spec = case.application.service_version.spec
    answers = case.application.answers
    plates = [answers[f"plate_{i}"] for i in (1, 2, 3) if answers.get(f"plate_{i}")]
    zone_entry = address_entry(answers.get("address") or {}, spec.dataset("zones")) or {}
    zone = str(zone_entry.get("zone", ""))
    holder = case.applicant.get_full_name()
    _permits_replace(case=case)
    token = _context_token(
        case=case, kind="parking-permit", claims={"zone": zone, "plates": plates, "holder": holder}
    )
    return token | {"permit": {"zone": zone, "plates": plates, **token["validity"]}}


def _context_certificate(case: Case) -> dict:
    from rathaus.registry.selectors import registry

    person = None
    if case.applicant.register_id:
        person = registry().person_by_id(register_id=case.applicant.register_id)
    if person is None:
        raise DocumentError(
            _("The resident register holds no entry for the applicant."), code="no_person"
        )
    address = person.address
    address_lines = [
        f"{address.street} {address.house_number}",
        f"{address.postcode} {address.town}",
    ]
    token = _context_token(
        case=case,
        kind="registration-certificate",
        claims={
            "holder": f"{person.given_names} {person.family_name}",
            "address": ", ".join(address_lines),
        },
    )
    return token | {"person": person, "person_address": address_lines}


def _context_fee(case: Case) -> dict | None:
    from rathaus.payments.selectors import fee_notice
    from rathaus.payments.services import fee_issue_for_decision

    fee = fee_issue_for_decision(case_id=case.pk)
    if fee is None:
        return None  # rejected, or nothing to pay
    notice = fee_notice(fee=fee)
    return {
        "payment": {
            "amount": f"{number_format(fee.amount, 2, force_grouping=True)} €",
            "due_date": fee.due_date,
            "payee": notice.payee.name,
            "iban": notice.payee.iban_display,
            "bic": notice.payee.bic,
            "reference": fee.payment_reference_display,
            "qr": notice.qr_data_uri,
        }
    }


CONTEXTS: dict[str, Callable[[Case], dict | None]] = {
    DocumentKind.RECEIPT: _context_answers,
    DocumentKind.DECISION_NOTICE: lambda case: {},
    DocumentKind.CONFIRMATION: _context_answers,
    DocumentKind.PERMIT: _context_permit,
    DocumentKind.REGISTRATION_CERTIFICATE: _context_certificate,
    DocumentKind.FEE_NOTICE: _context_fee,
}


def _permits_replace(*, case: Case) -> None:
    """A new permit replaces the applicant's earlier permits of the same service."""
    from rathaus.verification.models import RevokeReason
    from rathaus.verification.services import token_revoke

    earlier = (
        Document.objects.filter(
            kind=DocumentKind.PERMIT,
            case__applicant=case.applicant,
            case__application__service_version__service=case.application.service_version.service,
        )
        .exclude(case=case)
        .exclude(token_id="")
    )
    for token_id in earlier.values_list("token_id", flat=True):
        token_revoke(token_id=token_id, reason=RevokeReason.REPLACED)


# --- Making and delivering ----------------------------------------------------------------


def _issue(*, case: Case, kind: str, template: str) -> Document | None:
    """One document, with its verification token where it has one: all of it, or nothing."""
    try:
        with transaction.atomic():
            extra = CONTEXTS[kind](case)
            if extra is None:
                return None
            context = _common_context(case) | extra
            title = str(DocumentKind(kind).label)
            return _store(case=case, kind=kind, title=title, template=template, context=context)
    except IntegrityError:
        return None  # another worker made it at the same moment: its document counts


def _store(
    *,
    case: Case,
    kind: str,
    title: str,
    template: str,
    context: dict,
    actor=None,
    by_post: bool = False,
) -> Document:
    from rathaus.outbox.services import letter_queue

    pdf = document_render_sealed(template=template, context=context)
    document = Document(
        case=case,
        kind=kind,
        title=title[:200],
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        token_id=context.get("token_id", ""),
        delivery=Delivery.POSTBOX,
        created_by=actor,
    )
    document.file.save(f"{kind}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            # Post where asked for and possible; the postbox always has the document.
            wanted = (
                by_post
                or case.applicant.letters_by_post
                or case.application.answers.get("delivery") == "post"
            )
            post = wanted and len(context["recipient_lines"]) >= 3
            if post:
                document.delivery = Delivery.POST
            document.save()
            if post:
                letter_queue(
                    pdf=pdf,
                    title=title,
                    recipient_lines=context["recipient_lines"],
                    case=case,
                )
            audit_record(
                actor=actor,
                action="document.issued",
                object_type="documents.document",
                object_id=str(document.pk),
                data={"case": case.pk, "kind": kind, "sha256": document.sha256},
            )
    except BaseException:
        document.file.storage.delete(document.file.name)  # no orphaned file
        raise
    return document


def permit_revoke(*, case: Case, actor) -> int:
    """Withdraw the permits and certificates of a case: their QR codes then read "revoked"."""
    from rathaus.verification.models import RevokeReason
    from rathaus.verification.services import tokens_revoke_for_reference

    with transaction.atomic():
        revoked = tokens_revoke_for_reference(
            reference=case.reference, reason=RevokeReason.WITHDRAWN, actor=actor
        )
    return len(revoked)


def _postbox_notify(*, case: Case) -> None:
    """Tell the citizen that something waits in the postbox: no names, no content."""
    from django.core.mail import EmailMessage
    from django.urls import reverse

    from rathaus.outbox.services import email_queue

    case_event_record(case=case, kind=CaseEvent.Kind.DOCUMENT_IN_POSTBOX)
    url = settings.RATHAUS_SITE_URL + reverse("documents:postbox")
    email_queue(
        message=EmailMessage(
            subject=_("New document in your postbox"),
            body=_(
                "Hello,\n\na new document is waiting for you in your postbox at %(city)s. "
                "Please log in to read it:\n%(url)s\n\nThis e-mail was sent automatically."
            )
            % {"city": settings.RATHAUS_CITY_NAME, "url": url},
            to=[case.applicant.email],
        )
    )
