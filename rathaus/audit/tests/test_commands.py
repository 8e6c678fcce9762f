from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rathaus.audit.models import AuditEntry

from .tampering import chain_record, trigger_disabled

pytestmark = pytest.mark.django_db


def test_audit_verify_reports_an_intact_trail():
    chain_record(3)
    out = StringIO()

    call_command("audit_verify", stdout=out)

    assert out.getvalue().strip() == "audit trail intact: 3 entries"


def test_audit_verify_exits_with_status_1_on_tampering():
    chain_record(3)
    with trigger_disabled():
        AuditEntry.objects.filter(sequence=2).update(object_id="999")
    out = StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", stdout=out)

    assert excinfo.value.returncode == 1
    assert "entry 2: entry 2 was changed" in out.getvalue()
