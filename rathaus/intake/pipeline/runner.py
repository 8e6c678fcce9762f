"""Runs one pipeline step of one item: claim with a lease, work, commit once.

1. Claim (short transaction, row lock): only an item still waiting at this step, whose lease is
   free or has run out, is claimed; the claim gets a new token and a lease.
2. Work, outside any transaction: OCR may take minutes. Files it stores are removed again when
   the result is not committed.
3. Commit (short transaction, row lock): only the holder of the claim may commit; the result,
   its effects (a case event, an e-mail) and the next step's task are written together.

A worker that dies keeps its claim until the lease runs out; the reconciliation then enqueues the
step again, and a late-returning worker finds its claim gone and discards its work. So every
effect happens exactly once. A step that fails is tried again with growing pauses; after
MAX_ATTEMPTS (or as many dead workers) the item goes to the dead-letter list.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import STEP_ORDER, IntakeItem, Status, Step
from .errors import DeadLetter

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass
class Transition:
    """What a step's commit decided: a final status (or None: on to the next step), and the
    further items whose steps must be enqueued (the letters of a batch)."""

    status: str | None = None
    enqueue: list[tuple[int, str]] = field(default_factory=list)


class StepHandler:
    """One pipeline step: `work` outside a transaction, `commit` inside the claim's lock."""

    step: Step
    lease_per_page = False

    def work(self, item: IntakeItem):
        raise NotImplementedError

    def commit(self, item: IntakeItem, payload) -> Transition:
        raise NotImplementedError

    def discard(self, payload) -> None:
        """Undo what `work` stored, when its result is not committed."""


def _handlers() -> dict[str, StepHandler]:
    from .steps import HANDLERS

    return HANDLERS


def _lease(handler: StepHandler, item: IntakeItem) -> datetime.timedelta:
    seconds = settings.RATHAUS_INTAKE_LEASE_SECONDS
    if handler.lease_per_page:
        seconds *= max(1, item.pages or 1)
    return datetime.timedelta(seconds=seconds)


def _locked(item_id: int) -> IntakeItem | None:
    return IntakeItem.objects.select_for_update().filter(pk=item_id).first()


def step_enqueue(*, item_id: int, step: str, run_after: datetime.datetime | None = None) -> None:
    """Queue a step; call it inside the transaction that made the step due."""
    from ..tasks import intake_step_task

    task = intake_step_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # a backend without deferred tasks (tests): the reconciliation retries
        task = task.using(run_after=run_after)
    task.enqueue(item_id=item_id, step=step)


def _claim(item_id: int, step: str, handler: StepHandler) -> str | None:
    with transaction.atomic():
        item = _locked(item_id)
        if item is None or item.status != Status.PROCESSING or item.step != step:
            return None  # done already, or another step is due
        now = timezone.now()
        if item.claim_token and item.claimed_until and item.claimed_until > now:
            return None  # another worker holds the step
        if item.attempts >= MAX_ATTEMPTS:
            # Workers died on it again and again (or it failed as often): never block the queue.
            _dead_letter(
                item,
                step,
                DeadLetter("failed", step=step, attempts=item.attempts, error="worker stopped"),
            )
            return None
        item.claim_token = uuid.uuid4().hex
        item.claimed_until = now + _lease(handler, item)
        item.attempts += 1
        item.save(update_fields=["claim_token", "claimed_until", "attempts", "updated_at"])
        return item.claim_token


def _dead_letter(item: IntakeItem, step: str, exc: DeadLetter) -> None:
    from rathaus.audit.services import audit_record

    item.status = Status.DEAD_LETTER
    item.step = ""
    item.dead_letter_reason = exc.reason
    item.dead_letter_params = exc.params
    item.dead_letter_step = step
    item.claim_token = ""
    item.claimed_until = None
    item.save()
    audit_record(
        actor=None,
        action="intake.dead_letter",
        object_type="intake.intakeitem",
        object_id=str(item.pk),
        data={"reason": exc.reason, "step": step},
    )
    logger.warning("Intake item %s to the dead-letter list: %s at %s", item.pk, exc.reason, step)


def step_run(*, item_id: int, step: str, chain: bool = True) -> str:
    """Run one step of one item; returns what happened (for logs and tests).

    `chain=False` enqueues nothing (`manage.py intake_run` drives the steps itself).
    """
    handler = _handlers()[step]
    token = _claim(item_id, step, handler)
    if token is None:
        return "skipped"
    item = IntakeItem.objects.get(pk=item_id)
    try:
        payload = handler.work(item)
    except DeadLetter as exc:
        return _finish_failed(item_id, step, token, exc, chain=chain)
    except Exception as exc:
        logger.warning("Intake item %s: step %s failed (%s)", item_id, step, type(exc).__name__)
        return _finish_failed(item_id, step, token, exc, chain=chain)
    try:
        with transaction.atomic():
            locked = _locked(item_id)
            if locked is None or locked.claim_token != token or locked.step != step:
                handler.discard(payload)
                return "lost"
            locked.claim_token = ""
            locked.claimed_until = None
            locked.attempts = 0
            transition = handler.commit(locked, payload)
            if transition.status is None:
                following = STEP_ORDER[STEP_ORDER.index(Step(step)) + 1]
                locked.step = following
                transition.enqueue.insert(0, (locked.pk, following))
            else:
                locked.status = transition.status
                locked.step = ""
            locked.save()
            if chain:
                # Last in the transaction: a task backend that runs at once (tests) sees the
                # committed-to state, and nothing here touches the item again.
                for other_id, other_step in transition.enqueue:
                    step_enqueue(item_id=other_id, step=other_step)
    except Exception as exc:
        handler.discard(payload)
        logger.warning(
            "Intake item %s: step %s not committed (%s)", item_id, step, type(exc).__name__
        )
        return _finish_failed(item_id, step, token, exc, chain=chain)
    return "done"


def _finish_failed(item_id: int, step: str, token: str, exc: Exception, *, chain: bool) -> str:
    """A dead letter for an unprocessable item; otherwise retry later, up to MAX_ATTEMPTS."""
    with transaction.atomic():
        item = _locked(item_id)
        if item is None or item.claim_token != token or item.step != step:
            return "lost"
        if isinstance(exc, DeadLetter):
            _dead_letter(item, step, exc)
            return "dead_letter"
        if item.attempts >= MAX_ATTEMPTS:
            _dead_letter(
                item,
                step,
                DeadLetter("failed", step=step, attempts=item.attempts, error=type(exc).__name__),
            )
            return "dead_letter"
        item.claim_token = ""
        item.claimed_until = None
        item.save(update_fields=["claim_token", "claimed_until", "updated_at"])
        if chain:
            pause = datetime.timedelta(seconds=15 * item.attempts**2)
            step_enqueue(item_id=item.pk, step=step, run_after=timezone.now() + pause)
    return "retry"


def item_process(*, item_id: int) -> IntakeItem:
    """Run every due step of an item and of the letters split from it, here and now.

    Steps that another worker holds are left to it.
    """
    pending = [item_id]
    while pending:
        current = pending.pop(0)
        item = IntakeItem.objects.get(pk=current)
        while item.status == Status.PROCESSING:
            if step_run(item_id=current, step=item.step, chain=False) == "skipped":
                break
            item.refresh_from_db()
        pending.extend(item.letters.filter(status=Status.PROCESSING).values_list("pk", flat=True))
    return IntakeItem.objects.get(pk=item_id)
