"""Two imports of one file at the same moment, two creations of one fee: PostgreSQL's row locks
and unique constraints keep each record single (several web processes and workers)."""

import threading

import pytest
from django.db import connection

from rathaus.payments.models import BankEntry, BankStatement, Fee, FeeStatus, Payment
from rathaus.payments.services import fee_create_for_case, statement_import

from .conftest import scenario_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(func, times: int = 2) -> list:
    barrier = threading.Barrier(times)
    results: list = []
    errors: list = []

    def run():
        try:
            barrier.wait()
            results.append(func())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_the_same_file_imported_twice_at_once_is_stored_once(make_fee):
    fees = [make_fee(amount_cents=1000 * n) for n in range(1, 6)]
    scenario = scenario_for(fees)
    reports = _at_once(lambda: statement_import(data=scenario.data, file_name="a.xml", actor=None))
    assert sorted(report.nothing_changed for report in reports) == [False, True]
    assert BankStatement.objects.count() == 1
    assert Payment.objects.count() == scenario.credit_payments
    assert BankEntry.objects.count() == max(report.new_entries for report in reports)
    for fee in Fee.objects.all():
        assert fee.status == scenario.expected_status[fee.payment_reference]
    paid = Fee.objects.get(payment_reference=fees[0].payment_reference)
    assert (paid.status, paid.received_cents) == (FeeStatus.PAID, 1000)


def test_one_case_gets_one_fee_however_many_ask_at_once(make_case):
    case = make_case()
    fees = _at_once(lambda: fee_create_for_case(case=case), times=3)
    assert len({fee.pk for fee in fees}) == 1
    assert Fee.objects.count() == 1
