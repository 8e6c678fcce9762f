"""Parallel submissions by one person end as one response with one set of answers."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from rathaus.consultations import services
from rathaus.consultations.models import Answer, Response

from .conftest import valid_answers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_submissions_by_one_person(consultation, questions, resident):
    def submit(scale: int) -> None:
        try:
            services.response_submit(
                consultation=consultation,
                user=resident,
                answers=valid_answers(questions, scale=str(scale)),
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(submit, [1, 2, 3, 4, 5] * 4))
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 5
