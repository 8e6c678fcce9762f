from datetime import timedelta

import pytest
from django.db import transaction

from rathaus.audit.chain import entry_hash_compute
from rathaus.audit.models import AuditEntry
from rathaus.audit.selectors import audit_entries_for, audit_verify
from rathaus.audit.services import audit_record

from .tampering import chain_record, hash_recompute, trigger_disabled

pytestmark = pytest.mark.django_db


def reasons_at(report, sequence: int) -> list[str]:
    return [problem.reason for problem in report.problems if problem.sequence == sequence]


def test_entries_for_one_object_come_oldest_first():
    for action in ["case.submitted", "case.assigned", "case.viewed"]:
        audit_record(actor=None, action=action, object_type="cases.case", object_id="42")
        audit_record(actor=None, action=action, object_type="cases.case", object_id="43")

    entries = audit_entries_for(object_type="cases.case", object_id="42")

    assert [entry.action for entry in entries] == ["case.submitted", "case.assigned", "case.viewed"]


def test_an_untouched_chain_verifies():
    chain_record(5)

    report = audit_verify()

    assert report.ok
    assert report.checked == 5
    assert report.problems == []


def test_an_empty_trail_verifies():
    report = audit_verify()

    assert report.ok
    assert report.checked == 0


def test_a_changed_data_value_is_found():
    chain_record(4)
    with trigger_disabled():
        AuditEntry.objects.filter(sequence=2).update(data={"field": "address", "index": 99})

    report = audit_verify()

    assert not report.ok
    assert [problem.sequence for problem in report.problems] == [2]
    assert "was changed" in report.problems[0].reason


def test_a_deleted_entry_in_the_middle_is_found():
    chain_record(5)
    with trigger_disabled():
        AuditEntry.objects.filter(sequence=3).delete()

    report = audit_verify()

    assert not report.ok
    assert report.checked == 4
    assert "entry 3 is missing before entry 4" in reasons_at(report, 4)


@pytest.mark.parametrize("hashes_recomputed", [False, True], ids=["as is", "hashes recomputed"])
def test_two_swapped_entries_are_found(hashes_recomputed):
    chain_record(5)
    with trigger_disabled(), transaction.atomic():
        third, fourth = AuditEntry.objects.get(sequence=3), AuditEntry.objects.get(sequence=4)
        # Through a spare number: the sequence is unique.
        AuditEntry.objects.filter(pk=third.pk).update(sequence=1000)
        AuditEntry.objects.filter(pk=fourth.pk).update(sequence=3)
        AuditEntry.objects.filter(pk=third.pk).update(sequence=4)
        if hashes_recomputed:
            for entry in AuditEntry.objects.filter(pk__in=[third.pk, fourth.pk]):
                AuditEntry.objects.filter(pk=entry.pk).update(entry_hash=hash_recompute(entry))

    report = audit_verify()

    assert not report.ok
    assert any("does not follow entry 2" in reason for reason in reasons_at(report, 3))
    if hashes_recomputed:
        assert not any("was changed" in problem.reason for problem in report.problems)


def test_a_forged_entry_appended_with_a_wrong_previous_hash_is_found():
    entries = chain_record(3)
    forged = AuditEntry(
        sequence=4,
        created_at=entries[-1].created_at,
        actor_label="System",
        action="case.decided",
        object_type="cases.case",
        object_id="3",
        data={"decision": "granted"},
        previous_hash=entries[0].entry_hash,
    )
    # Its own hash is right: only the link to the entry before gives it away.
    forged.entry_hash = hash_recompute(forged)
    forged.save()

    report = audit_verify()

    assert not report.ok
    assert [problem.sequence for problem in report.problems] == [4]
    assert "does not follow entry 3" in report.problems[0].reason


def test_an_edit_with_a_recomputed_hash_is_found_at_the_next_entry():
    chain_record(4)
    with trigger_disabled():
        entry = AuditEntry.objects.get(sequence=2)
        entry.data = {"field": "address", "index": 99}
        AuditEntry.objects.filter(pk=entry.pk).update(
            data=entry.data, entry_hash=hash_recompute(entry)
        )

    report = audit_verify()

    assert not report.ok
    assert [problem.sequence for problem in report.problems] == [3]
    assert "does not follow entry 2" in report.problems[0].reason


def test_an_entry_inserted_in_the_middle_is_found():
    chain_record(5)
    with trigger_disabled(), transaction.atomic():
        # Make room at 3 (from the top: the sequence is unique), then re-link and re-hash what
        # moved, so that only the link between the forged entry and the one after it is wrong.
        for entry in AuditEntry.objects.filter(sequence__gte=3).order_by("-sequence"):
            AuditEntry.objects.filter(pk=entry.pk).update(sequence=entry.sequence + 1)
        before = None
        for entry in AuditEntry.objects.filter(sequence__gte=4).order_by("sequence"):
            if before is not None:
                entry.previous_hash = before.entry_hash
            entry.entry_hash = hash_recompute(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(
                previous_hash=entry.previous_hash, entry_hash=entry.entry_hash
            )
            before = entry
    second = AuditEntry.objects.get(sequence=2)
    inserted = AuditEntry(
        sequence=3,
        created_at=second.created_at,
        actor_label="System",
        action="case.decided",
        object_type="cases.case",
        object_id="2",
        data={"decision": "granted"},
        previous_hash=second.entry_hash,
    )
    inserted.entry_hash = hash_recompute(inserted)
    inserted.save()

    report = audit_verify()

    assert not report.ok
    assert [problem.sequence for problem in report.problems] == [4]
    assert "does not follow entry 3" in report.problems[0].reason


def test_a_first_entry_that_does_not_start_the_chain_is_found():
    audit_record(actor=None, action="case.viewed", object_type="cases.case", object_id="1")
    with trigger_disabled():
        entry = AuditEntry.objects.get()
        entry.previous_hash = "f" * 64
        AuditEntry.objects.filter(pk=entry.pk).update(
            previous_hash=entry.previous_hash, entry_hash=hash_recompute(entry)
        )

    report = audit_verify()

    assert [problem.sequence for problem in report.problems] == [1]
    assert "first entry" in report.problems[0].reason


def test_hash_covers_every_field():
    entry = audit_record(actor=None, action="case.viewed", object_type="cases.case", object_id="1")
    fields = {
        "sequence": entry.sequence,
        "created_at": entry.created_at,
        "actor_id": None,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
        "previous_hash": entry.previous_hash,
    }
    assert entry_hash_compute(**fields) == entry.entry_hash
    changed = {
        "sequence": 2,
        "created_at": entry.created_at + timedelta(microseconds=1),
        "actor_id": 1,
        "actor_label": "Amtsleitung 104 #1",
        "action": "case.decided",
        "object_type": "cases.other",
        "object_id": "2",
        "data": {"x": 1},
        "previous_hash": "1" * 64,
    }
    for name, value in changed.items():
        assert entry_hash_compute(**{**fields, name: value}) != entry.entry_hash, name
