"""Submissions under real concurrency on PostgreSQL: one key, one case; references stay gap-free.

Capacity under concurrency (event seats) is tested in rathaus/workshops/tests/test_concurrency.py.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from rathaus.accounts.tests.factories import DepartmentFactory, UserFactory
from rathaus.applications.models import Application
from rathaus.applications.services import (
    ApplicationError,
    application_start,
    application_step_save,
    application_submit,
)
from rathaus.cases.models import Case
from rathaus.catalog.models import Service
from rathaus.catalog.services import catalog_load
from rathaus.catalog.tests.conftest import SMALL_SERVICE, one_step_service, write_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONSENT_SERVICE = one_step_service(
    slug="consent",
    department="403",
    field="{id: consent, type: declaration, label: {de: Ich stimme zu, en: I agree}}",
)


def _parallel(count: int, work, *, threads: int = 40) -> list:
    """Run `work(i)` for i < count on up to `threads` connections, starting all at once."""
    threads = min(count, threads)  # stays below PostgreSQL's default of 100 connections
    barrier = threading.Barrier(threads)

    def run(index: int):
        if index < threads:
            barrier.wait()
        try:
            return work(index)
        except ApplicationError as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(count)))


def _complete_small_application(tmp_path) -> Application:
    DepartmentFactory(code="104")
    write_service(tmp_path, SMALL_SERVICE)
    catalog_load(root=tmp_path)
    application = application_start(user=UserFactory(), service=Service.objects.get())
    application_step_save(
        application=application, step_id="kind", answers={"kind": "new"}, uploads={}
    )
    address = {"street": "Luisenstraße", "house_number": "7", "postcode": "42103", "town": "W"}
    return application_step_save(
        application=application, step_id="address", answers={"address": address}, uploads={}
    )


def test_twenty_parallel_submits_with_one_key_give_one_case(tmp_path):
    application = _complete_small_application(tmp_path)
    key = str(uuid.uuid4())
    results = _parallel(
        20, lambda _i: application_submit(application=application, idempotency_key=key)
    )
    assert {case.pk for case in results} == {Case.objects.get().pk}


def test_twenty_parallel_submits_with_different_keys_still_give_one_case(tmp_path):
    application = _complete_small_application(tmp_path)
    results = _parallel(
        20,
        lambda _i: application_submit(application=application, idempotency_key=str(uuid.uuid4())),
    )
    assert {case.pk for case in results} == {Case.objects.get().pk}


def _consent_applications(tmp_path, *, count: int) -> list[Application]:
    DepartmentFactory(code="403")
    write_service(tmp_path, CONSENT_SERVICE, slug="consent")
    catalog_load(root=tmp_path)
    service = Service.objects.get(slug="consent")
    applications = []
    for _ in range(count):
        application = application_start(user=UserFactory(), service=service)
        applications.append(
            application_step_save(
                application=application, step_id="page", answers={"consent": True}, uploads={}
            )
        )
    return applications


def test_a_hundred_parallel_submissions_get_consecutive_references(tmp_path):
    applications = _consent_applications(tmp_path, count=100)
    _parallel(
        100,
        lambda i: application_submit(
            application=applications[i], idempotency_key=str(uuid.uuid4())
        ),
    )
    numbers = sorted(
        int(ref.rsplit("-", 1)[1]) for ref in Case.objects.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, 101))
