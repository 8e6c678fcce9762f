import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from rathaus.accounts.tests.factories import UserFactory
from rathaus.audit.models import AppendOnlyError, AuditEntry
from rathaus.audit.services import audit_record

pytestmark = pytest.mark.django_db


def an_entry() -> AuditEntry:
    return audit_record(
        actor=None, action="case.viewed", object_type="cases.case", object_id="1", data={"a": 1}
    )


def test_a_recorded_entry_cannot_be_saved_again():
    entry = an_entry()
    entry.data = {"a": 2}

    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get().data == {"a": 1}


def test_a_fresh_object_with_an_existing_primary_key_does_not_overwrite():
    entry = an_entry()
    copy = AuditEntry.objects.get(pk=entry.pk)
    copy._state.adding = True

    with pytest.raises(DatabaseError), transaction.atomic():
        copy.save()


def test_a_recorded_entry_cannot_be_deleted():
    entry = an_entry()

    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.count() == 1


def test_the_admin_is_read_only():
    an_entry()
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    admin = site._registry[AuditEntry]

    assert admin.has_view_permission(request)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, AuditEntry.objects.get())
    assert not admin.has_delete_permission(request, AuditEntry.objects.get())
    assert not admin.get_actions(request)


@pytest.mark.postgres
def test_the_database_refuses_raw_updates_and_deletes():
    entry = an_entry()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET data = %s WHERE id = %s", ["{}", entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_id="2")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()

    assert AuditEntry.objects.get().data == {"a": 1}
