import json
import re

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User

from .chain import GENESIS_HASH, canonical_json, entry_hash_of
from .models import AuditEntry

# The key of the PostgreSQL advisory lock that serialises appends ("rathaudt" in ASCII).
AUDIT_LOCK_KEY = 0x7261746861756474

# "case.submitted", "cases.case": lower-case dotted names.
_DOTTED_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str,
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail; call it inside the transaction of the change.

    Appends are serialised (an advisory lock on PostgreSQL, the database write lock on SQLite)
    until the caller's transaction ends, so call this as late in the transaction as you can.
    """
    if not _DOTTED_NAME.fullmatch(action):
        raise ValueError(
            f"action must be a dotted lower-case name like 'case.submitted': {action!r}"
        )
    if not _DOTTED_NAME.fullmatch(object_type):
        raise ValueError(f"object_type must look like 'cases.case': {object_type!r}")
    if actor is not None and actor.pk is None:
        raise ValueError("the actor must be a saved user (use None for the system)")
    canonical_data = _data_canonical(data=data)
    actor_label = _actor_label(actor=actor)
    object_id = str(object_id)

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Held until the outermost transaction ends: the next append reads this entry.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
        last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        sequence = last["sequence"] + 1 if last else 1
        previous_hash = last["entry_hash"] if last else GENESIS_HASH
        # Taken under the lock, so times never run backwards along the chain.
        created_at = timezone.now()
        entry = AuditEntry(
            sequence=sequence,
            created_at=created_at,
            actor=actor,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            data=canonical_data,
            previous_hash=previous_hash,
        )
        entry.entry_hash = entry_hash_of(entry)
        entry.save()
    return entry


def _data_canonical(*, data: dict | None) -> dict:
    """The details as they will read back from the database, so their hash stays stable."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TypeError(f"data must be a dict, not {type(data).__name__}")
    _unstable_values_refuse(data)
    try:
        return json.loads(canonical_json(data))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"data must be JSON-serialisable: {exc}") from exc


def _unstable_values_refuse(value) -> None:
    # PostgreSQL's jsonb rewrites some floats (1e16 reads back as 10000000000000000, -0.0 as
    # 0.0), which would change the hash: numbers with a fraction go in as strings. Keys that
    # are not strings would silently turn into strings, and could collide ({1: .., "1": ..}).
    if isinstance(value, float):
        raise TypeError("data must not contain floats: pass them as strings or integers")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"data keys must be strings, not {key!r}")
            _unstable_values_refuse(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _unstable_values_refuse(item)


def _actor_label(*, actor: User | None) -> str:
    """Who acted, without personal data: role and department code, or kind of user, and pk."""
    # The label is a snapshot that is hashed: always in the site language, never the viewer's.
    with translation.override(settings.LANGUAGE_CODE):
        if actor is None:
            return str(_("System"))
        roles = [
            f"{membership.get_role_display()} {membership.department.code}"
            for membership in actor.memberships.select_related("department").order_by(
                "department__code"
            )
        ]
        if roles:
            who = ", ".join(roles)
        elif actor.is_superuser or actor.is_staff:
            who = str(_("administrator"))
        else:
            who = str(_("citizen"))
    # Many memberships must not overflow the column (the pk part always stays).
    return f"{who[:180]} #{actor.pk}"
