"""Reads for the back office: mail inboxes, the post room's lists, who may see which letter."""

from __future__ import annotations

import uuid

import yaml
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rathaus.accounts.models import Department, User

from .models import IntakeItem, Status
from .pipeline.errors import reason_text
from .routing import RoutingConfigError, routing_path, routing_table

DEFAULT_POST_ROOM = "400"


def post_room_code() -> str:
    """The post room's department code from the routing table (read leniently: permission
    checks must not fail on a table that does not validate)."""
    try:
        data = yaml.safe_load(routing_path().read_text(encoding="utf-8"))
        return str(data["triage_department"])
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return DEFAULT_POST_ROOM


def staff_departments(*, user: User) -> QuerySet[Department]:
    from rathaus.cases.selectors import staff_departments as departments

    return departments(user=user)


def is_post_room(*, user: User) -> bool:
    return staff_departments(user=user).filter(code=post_room_code()).exists()


# Letters the post room works on before (or instead of) a department's inbox.
POST_ROOM_STATUSES = [Status.PROCESSING, Status.TRIAGE, Status.DEAD_LETTER, Status.SPLIT]


def items_visible(*, user: User) -> QuerySet[IntakeItem]:
    """The letters a member of staff may open: those in (or attached to a case of) one of their
    departments, and for the post room everything not yet in a department's inbox."""
    departments = staff_departments(user=user)
    visible = Q(department__in=departments) | Q(matched_case__department__in=departments)
    if departments.filter(code=post_room_code()).exists():
        visible |= Q(status__in=POST_ROOM_STATUSES)
    return IntakeItem.objects.filter(visible).distinct()


def item_for_staff(*, user: User, public_id: uuid.UUID) -> IntakeItem | None:
    return (
        items_visible(user=user)
        .filter(public_id=public_id)
        .select_related("department", "matched_case__department", "scanner", "parent")
        .first()
    )


def mail_inbox(*, department: Department, done: bool = False) -> QuerySet[IntakeItem]:
    """The letters routed to a department (or attached to one of its cases)."""
    status = Status.DONE if done else Status.ROUTED
    return (
        IntakeItem.objects.filter(
            Q(department=department) | Q(matched_case__department=department), status=status
        )
        .select_related("department", "matched_case")
        .distinct()
        .order_by("received_at", "pk")
    )


def triage_queue() -> QuerySet[IntakeItem]:
    return IntakeItem.objects.filter(status=Status.TRIAGE).order_by("received_at", "pk")


def dead_letters() -> QuerySet[IntakeItem]:
    return IntakeItem.objects.filter(status=Status.DEAD_LETTER).order_by("received_at", "pk")


def in_progress() -> QuerySet[IntakeItem]:
    return IntakeItem.objects.filter(status=Status.PROCESSING).order_by("received_at", "pk")


def type_label(slug: str) -> str:
    if not slug:
        return ""
    try:
        known = routing_table().type_of(slug)
    except RoutingConfigError:
        known = None
    return known.label if known else slug


def _percent(value) -> str:
    return f"{number_format(round(float(value) * 100))} %" if value is not None else "–"


def routing_explained(*, item: IntakeItem) -> str:
    """Why the letter was routed where it is, in the active language."""
    facts = item.routing or {}
    reason = facts.get("reason")
    department = str(item.department) if item.department_id else "–"
    values = {
        "type": type_label(facts.get("type") or ""),
        "confidence": _percent(facts.get("confidence")),
        "reference": facts.get("reference") or "",
        "department": department,
        "by": facts.get("by") or "",
    }
    texts = {
        "type": _(
            "Classified as “%(type)s” (%(confidence)s sure); this type goes to %(department)s."
        ),
        "case": _(
            "Classified as “%(type)s” (%(confidence)s sure) and quotes the file reference "
            "%(reference)s: it goes to that case's department, %(department)s."
        ),
        "case_untyped": _(
            "The type is uncertain, but the letter quotes the file reference %(reference)s: "
            "it goes to that case's department, %(department)s."
        ),
        "other": _("Classified as “%(type)s”: no department owns it, so the post room decides."),
        "abstained": _(
            "The classifier is not sure enough (best guess “%(type)s”, %(confidence)s): "
            "the post room decides."
        ),
        "unknown_type": _(
            "The classifier's type “%(type)s” is not in the routing table: the post room decides."
        ),
        "no_model": _("No classification model is active yet: the post room decides."),
        "staff": _("%(by)s chose the type “%(type)s” and sent it to %(department)s."),
    }
    text = texts.get(reason)
    return str(text) % values if text else ""


def anomaly_text(anomaly: dict) -> str:
    code = anomaly.get("code")
    page = anomaly.get("page")
    texts = {
        "blank_page": _("Page %(page)s is blank."),
        "separator_sheet": _("Page %(page)s is a separator sheet (removed)."),
        "no_resolution": _("The image names no resolution; %(dpi)s dpi was assumed."),
        "letter_known": _("The letter from page %(page)s on was stored before."),
        "not_pdfa": _("The searchable PDF is not PDF/A (the original could not be converted)."),
        "no_text": _("No text was recognised."),
    }
    text = texts.get(code)
    if text is None:
        return str(code)
    return str(text) % {"page": page, "dpi": anomaly.get("dpi")}


def dead_letter_text(*, item: IntakeItem) -> str:
    return reason_text(item.dead_letter_reason, item.dead_letter_params or {})
