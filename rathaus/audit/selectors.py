from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import QuerySet

from .chain import GENESIS_HASH, entry_hash_of
from .models import AuditEntry


class Problem(NamedTuple):
    sequence: int
    reason: str


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_entries_for(*, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """The audit trail of one object, oldest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "sequence"
    )


def audit_verify() -> VerifyReport:
    """Walk the whole chain in sequence order and report every broken link, first one first.

    Each entry is checked on its own (does its hash match its content?) and against the entry
    before it (next sequence number? previous hash = that entry's hash?), so one tampered
    entry gives one or two problems, never a cascade. What a chain alone cannot show: entries
    cut off at the end, or a chain rewritten from some entry onwards with fresh hashes; that
    needs the latest hash kept somewhere outside the database.
    """
    problems: list[Problem] = []
    checked = 0
    before: tuple[int, str] | None = None  # sequence and hash of the entry walked last
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        checked += 1
        sequence = entry.sequence
        if entry_hash_of(entry) != entry.entry_hash:
            problems.append(
                Problem(
                    sequence,
                    f"entry {sequence} was changed after it was recorded: "
                    "its content does not match its hash",
                )
            )
        expected_sequence = before[0] + 1 if before else 1
        if sequence > expected_sequence:
            missing = (
                f"entry {expected_sequence} is"
                if sequence == expected_sequence + 1
                else f"entries {expected_sequence} to {sequence - 1} are"
            )
            problems.append(Problem(sequence, f"{missing} missing before entry {sequence}"))
        elif sequence < expected_sequence:
            problems.append(Problem(sequence, f"entry {sequence} has a sequence number below 1"))
        expected_previous = before[1] if before else GENESIS_HASH
        if entry.previous_hash != expected_previous:
            if before is None:
                reason = (
                    f"entry {sequence} is the first entry, but its previous hash is not "
                    "the start of the chain (entries removed or inserted)"
                )
            else:
                reason = (
                    f"entry {sequence} does not follow entry {before[0]}: its previous hash "
                    "does not match that entry's hash (entries removed, reordered or inserted)"
                )
            problems.append(Problem(sequence, reason))
        before = (sequence, entry.entry_hash)
    return VerifyReport(checked=checked, problems=problems)
