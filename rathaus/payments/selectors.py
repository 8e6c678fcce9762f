"""Reads for the treasury's pages and for fee notices."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from rathaus.accounts.models import Department, User

from .girocode import Payee, epc_payload, girocode_svg_data_uri, payee
from .models import BankEntry, BankStatement, Clarification, Fee, FeeStatus, Payment
from .references import payment_reference_clean


def treasury_department() -> Department | None:
    """The department that works the city treasury (RATHAUS_TREASURY_DEPARTMENT)."""
    return Department.objects.filter(code=settings.RATHAUS_TREASURY_DEPARTMENT).first()


def is_treasury_member(*, user: User) -> bool:
    """Members of the treasury department only; administrators are no exception."""
    if not user.is_authenticated:
        return False
    return user.memberships.filter(department__code=settings.RATHAUS_TREASURY_DEPARTMENT).exists()


def clarifications(*, resolved: bool = False) -> QuerySet[Clarification]:
    """Open items, oldest first; or the resolved ones, newest first."""
    items = Clarification.objects.select_related(
        "payment__entry__statement", "fee", "resolved_by"
    ).filter(resolved_at__isnull=not resolved)
    return items.order_by("-resolved_at", "-pk") if resolved else items.order_by("created_at", "pk")


def clarification_get(*, pk: int) -> Clarification | None:
    return (
        Clarification.objects.select_related("payment__entry__statement", "fee", "resolved_by")
        .filter(pk=pk)
        .first()
    )


def statements_recent(*, limit: int = 20) -> list[BankStatement]:
    return list(
        BankStatement.objects.annotate(
            payment_count=Count("entries__payments"),
            open_items=Count(
                "entries__payments__clarifications",
                filter=Q(entries__payments__clarifications__resolved_at__isnull=True),
            ),
        ).order_by("-imported_at", "-pk")[:limit]
    )


def statement_get(*, pk: int) -> BankStatement | None:
    payments = Payment.objects.select_related("fee").prefetch_related(
        Prefetch("clarifications", queryset=Clarification.objects.order_by("created_at", "pk"))
    )
    return (
        BankStatement.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=BankEntry.objects.order_by("pk").prefetch_related(
                    Prefetch("payments", queryset=payments)
                ),
            )
        )
        .first()
    )


def fee_find(*, query: str) -> Fee | None:
    """A fee by its payment reference (any spacing, any case) or by its case's file reference."""
    query = query.strip()
    if not query:
        return None
    reference = payment_reference_clean(query)
    if reference:
        return Fee.objects.filter(payment_reference=reference).first()
    return Fee.objects.filter(case_reference__iexact=query).first()


def fees(*, status: str = "", query: str = "") -> QuerySet[Fee]:
    """Fees for the treasury's list, newest first, by status and reference."""
    found = Fee.objects.all()
    if status:
        found = found.filter(status=status)
    query = query.strip()
    if query:
        reference = payment_reference_clean(query) or query.replace(" ", "").upper()
        found = found.filter(
            Q(payment_reference__icontains=reference) | Q(case_reference__icontains=query)
        )
    return found.order_by("-created_at", "-pk")


def fee_get(*, reference: str) -> Fee | None:
    return Fee.objects.select_related("case").filter(payment_reference=reference).first()


def fee_open_totals() -> dict[str, int]:
    """How many fees are still open, and how many of those are overdue, for the overview."""
    payable = Fee.objects.filter(status__in=[FeeStatus.OPEN, FeeStatus.PARTLY_PAID])
    return {
        "open": payable.count(),
        "overdue": payable.filter(due_date__lt=timezone.localdate()).count(),
    }


@dataclass(frozen=True)
class FeeNotice:
    """What a fee notice shows: payee, amount, due date, reference, and the GiroCode."""

    fee: Fee
    payee: Payee
    payload: str
    qr_data_uri: str


def fee_notice(*, fee: Fee) -> FeeNotice:
    """The payment details of a fee; ImproperlyConfigured without the city's account."""
    account = payee()
    payload = epc_payload(
        payee=account, amount_cents=fee.amount_cents, reference=fee.payment_reference
    )
    return FeeNotice(
        fee=fee, payee=account, payload=payload, qr_data_uri=girocode_svg_data_uri(payload)
    )
