"""What an attacker with write access to the database does, for the verification tests."""

from contextlib import contextmanager

from django.db import connection

from rathaus.audit.chain import entry_hash_of
from rathaus.audit.models import AuditEntry
from rathaus.audit.services import audit_record

TABLE = AuditEntry._meta.db_table
TRIGGER = "audit_auditentry_append_only"


@contextmanager
def trigger_disabled():
    """On PostgreSQL, switch the append-only trigger off, as someone with DBA rights could."""
    if connection.vendor != "postgresql":
        yield
        return
    # ALTER TABLE refuses while the foreign key checks of the entries just recorded wait,
    # deferred, for the end of the test's transaction: run them now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def chain_record(count: int, *, actor=None) -> list[AuditEntry]:
    return [
        audit_record(
            actor=actor,
            action="case.viewed",
            object_type="cases.case",
            object_id=str(index),
            data={"field": "address", "index": index},
        )
        for index in range(1, count + 1)
    ]


def hash_recompute(entry: AuditEntry) -> str:
    """The hash a careful forger writes next to changed content."""
    return entry_hash_of(entry)
