import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from rathaus.accounts.models import Role
from rathaus.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from rathaus.audit.chain import GENESIS_HASH
from rathaus.audit.models import AuditEntry
from rathaus.audit.selectors import audit_verify
from rathaus.audit.services import audit_record

from .tampering import chain_record, hash_recompute


@pytest.mark.django_db
def test_recording_builds_a_chain_from_the_genesis_hash():
    entries = chain_record(4)

    stored = list(AuditEntry.objects.order_by("sequence"))
    assert [entry.sequence for entry in stored] == [1, 2, 3, 4]
    assert stored[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(stored):
        assert after.previous_hash == before.entry_hash
    for entry in stored:
        assert len(entry.entry_hash) == 64
        assert entry.entry_hash == hash_recompute(entry)
    assert [entry.entry_hash for entry in entries] == [entry.entry_hash for entry in stored]


@pytest.mark.django_db
def test_actor_label_names_role_department_and_number_but_no_personal_data():
    membership = MembershipFactory(
        user__first_name="Lena",
        user__last_name="Weber",
        department=DepartmentFactory(code="104"),
        role=Role.CASEWORKER,
    )
    user = membership.user

    entry = audit_record(
        actor=user, action="case.assigned", object_type="cases.case", object_id="7"
    )

    assert entry.actor_label == f"Sachbearbeitung 104 #{user.pk}"
    assert entry.actor == user
    assert "Weber" not in entry.actor_label
    assert user.email not in entry.actor_label


@pytest.mark.django_db
def test_system_actions_have_no_actor():
    entry = audit_record(actor=None, action="case.decided", object_type="cases.case", object_id=3)

    assert entry.actor is None
    assert entry.actor_label == "System"
    assert entry.object_id == "3"


@pytest.mark.django_db
def test_a_citizen_is_labelled_without_personal_data():
    user = UserFactory()

    entry = audit_record(
        actor=user, action="case.submitted", object_type="cases.case", object_id="1"
    )

    assert entry.actor_label == f"Bürgerin oder Bürger #{user.pk}"


@pytest.mark.django_db
def test_data_is_stored_canonically_and_its_hash_survives_the_database():
    entry = audit_record(
        actor=None,
        action="case.decided",
        object_type="cases.case",
        object_id="1",
        data={"z": ("a", "b"), "a": {"y": 1, "x": None}, "text": "Straße"},
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.data == {"a": {"x": None, "y": 1}, "text": "Straße", "z": ["a", "b"]}
    assert hash_recompute(stored) == stored.entry_hash


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{"fee": 30.5}, {"when": object()}, {"nested": [float("nan")]}, {5: "five"}],
    ids=["float", "object", "nan", "integer key"],
)
def test_data_that_would_not_survive_the_database_unchanged_is_refused(data):
    with pytest.raises(TypeError):
        audit_record(
            actor=None, action="case.decided", object_type="cases.case", object_id="1", data=data
        )
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "object_type"), [("Case submitted", "cases.case"), ("case.submitted", "Case")]
)
def test_action_and_object_type_must_be_dotted_names(action, object_type):
    with pytest.raises(ValueError):
        audit_record(actor=None, action=action, object_type=object_type, object_id="1")


@pytest.mark.django_db
def test_entry_rolls_back_with_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="case.decided", object_type="cases.case", object_id="1")
        raise RuntimeError("the state change failed")

    assert not AuditEntry.objects.exists()
    entry = audit_record(actor=None, action="case.decided", object_type="cases.case", object_id="1")
    assert entry.sequence == 1
    assert entry.previous_hash == GENESIS_HASH


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_records_give_a_gap_free_intact_chain():
    actor = MembershipFactory().user
    count = 50
    barrier = threading.Barrier(count)

    def record(index: int) -> int:
        barrier.wait()
        try:
            with transaction.atomic():
                entry = audit_record(
                    actor=actor,
                    action="case.viewed",
                    object_type="cases.case",
                    object_id=str(index),
                    data={"thread": index},
                )
            return entry.sequence
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        sequences = list(pool.map(record, range(count)))

    assert sorted(sequences) == list(range(1, count + 1))
    assert set(AuditEntry.objects.values_list("object_id", flat=True)) == {
        str(index) for index in range(count)
    }
    report = audit_verify()
    assert report.ok, report.problems
    assert report.checked == count
    times = list(AuditEntry.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)
