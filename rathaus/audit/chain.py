"""The hash chain: how an entry is serialised and hashed, shared by recording and verifying."""

import hashlib
import json
from datetime import UTC, datetime

# The previous hash of the first entry.
GENESIS_HASH = "0" * 64


def canonical_json(value) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 as is, no NaN or infinity."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def entry_hash_compute(
    *,
    sequence: int,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    data: dict,
    previous_hash: str,
) -> str:
    """SHA-256 (hex) over the canonical JSON of every field that an entry vouches for."""
    payload = {
        "sequence": sequence,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
        "previous_hash": previous_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def entry_hash_of(entry) -> str:
    """The hash an AuditEntry's fields give (what it should carry as `entry_hash`)."""
    return entry_hash_compute(
        sequence=entry.sequence,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        data=entry.data,
        previous_hash=entry.previous_hash,
    )
