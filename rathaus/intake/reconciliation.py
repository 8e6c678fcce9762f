"""The daily reconciliation: every file that arrived is stored, a duplicate or a dead letter.

inputs (receipts of the day) = stored items + duplicates + dead letters

Stored items are counted from the items table, the inputs from the receipts that the channels
write: an item without its receipt (or the other way round) or a stored item whose original file
is gone unbalances the day. Letters separated from batches are shown beside the equation.
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone

from .models import Channel, IntakeItem, Receipt, ReconciliationReport, Status

logger = logging.getLogger(__name__)


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def reconciliation_figures(*, day: datetime.date, now: datetime.datetime | None = None) -> dict:
    """The figures of one day (local time), with whether they balance."""
    now = now or timezone.now()
    start, end = _day_bounds(day)
    receipts = Receipt.objects.filter(received_at__gte=start, received_at__lt=end)
    items = IntakeItem.objects.filter(received_at__gte=start, received_at__lt=end)
    originals = items.filter(parent__isnull=True).exclude(channel=Channel.SEPARATED)
    letters = items.filter(channel=Channel.SEPARATED)
    by_status = dict(originals.values_list("status").annotate(n=Count("pk")))
    dead = by_status.get(Status.DEAD_LETTER, 0)
    inputs = receipts.count()
    duplicates = receipts.filter(duplicate=True).count()
    stored = sum(by_status.values()) - dead
    missing = [
        pk
        for pk, name in originals.values_list("pk", "original")
        if not name or not default_storage.exists(name)
    ]
    stuck = items.filter(status=Status.PROCESSING, claimed_until__lt=now).count()
    figures = {
        "day": day.isoformat(),
        "inputs": inputs,
        "stored": stored,
        "duplicates": duplicates,
        "dead_letters": dead,
        "by_channel": dict(receipts.values_list("channel").annotate(n=Count("pk"))),
        "by_status": {status: by_status.get(status, 0) for status in Status.values},
        "letters_separated": letters.count(),
        "letters_dead": letters.filter(status=Status.DEAD_LETTER).count(),
        "stuck": stuck,
        "missing_originals": len(missing),
        "dead_letter_list": IntakeItem.objects.filter(status=Status.DEAD_LETTER).count(),
    }
    figures["balanced"] = inputs == stored + duplicates + dead and not missing
    return figures


def reconciliation_report_make(*, day: datetime.date) -> ReconciliationReport:
    """Store the day's figures (figures only: no names, no text) and log them."""
    figures = reconciliation_figures(day=day)
    report, _created = ReconciliationReport.objects.update_or_create(
        day=day, defaults={"figures": figures, "balanced": figures["balanced"]}
    )
    log = logger.info if figures["balanced"] else logger.error
    log(
        "Intake reconciliation %s: %s inputs = %s stored + %s duplicates + %s dead letters%s",
        day,
        figures["inputs"],
        figures["stored"],
        figures["duplicates"],
        figures["dead_letters"],
        "" if figures["balanced"] else " DOES NOT BALANCE",
    )
    return report
