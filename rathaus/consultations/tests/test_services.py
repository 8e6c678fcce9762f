import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.consultations import selectors, services
from rathaus.consultations.demo import consultation_demo_ensure
from rathaus.consultations.models import Answer, Consultation, Project, Response
from rathaus.consultations.services import ConsultationError
from rathaus.core.retention import purgers

from .conftest import close, valid_answers

pytestmark = pytest.mark.django_db


def _nothing_stored():
    return Response.objects.count() == 0 and Answer.objects.count() == 0


def test_demo_project_is_created_once(project):
    again = consultation_demo_ensure()
    assert again.pk == project.pk
    assert Project.objects.count() == 1
    assert project.documents.count() == 2
    assert project.documents.first().file.open("rb").read(5) == b"%PDF-"
    assert project.consultation.is_open()


def test_submit_stores_every_kind_of_answer(consultation, questions, resident):
    response = services.response_submit(
        consultation=consultation, user=resident, answers=valid_answers(questions)
    )
    assert response.answers.count() == 5  # one single, two multiple, scale, text
    results = selectors.consultation_results_compute(consultation=consultation)
    assert results["responses"] == 1
    single, multiple, scale, text = results["questions"]
    assert [o["count"] for o in single["options"]] == [1, 0]
    assert [o["count"] for o in multiple["options"]] == [1, 1, 0, 0]
    assert scale["scale"]["4"] == 1 and scale["mean"] == 4.0
    assert text["answered"] == 1 and "texts" not in text


def test_second_submission_replaces_the_first(consultation, questions, resident):
    first = services.response_submit(
        consultation=consultation, user=resident, answers=valid_answers(questions, scale="2")
    )
    second = services.response_submit(
        consultation=consultation, user=resident, answers=valid_answers(questions, scale="5")
    )
    assert first.pk == second.pk
    assert Response.objects.count() == 1
    assert list(Answer.objects.filter(value__isnull=False).values_list("value", flat=True)) == [5]


def test_one_response_per_user_is_a_database_rule(consultation, resident):
    Response.objects.create(consultation=consultation, user=resident)
    with pytest.raises(IntegrityError):
        Response.objects.create(consultation=consultation, user=resident)


def test_scale_mean_over_several_people(consultation, questions, resident, visitor):
    services.response_submit(
        consultation=consultation, user=resident, answers=valid_answers(questions, scale="5")
    )
    services.response_submit(
        consultation=consultation, user=visitor, answers=valid_answers(questions, scale="2")
    )
    results = selectors.consultation_results_compute(consultation=consultation)
    assert results["questions"][2]["mean"] == 3.5


@pytest.mark.parametrize(
    ("question_index", "value", "problem"),
    [
        (0, "", "required"),
        (0, "999999", "invalid option"),
        (0, ["1", "2"], "two answers to a single choice"),
        (1, ["999999"], "invalid option"),
        (2, "6", "outside the scale"),
        (2, "drei", "not a number"),
        (2, "", "required"),
        (3, "x" * 2001, "too long"),
    ],
)
def test_bad_answers_store_nothing(
    consultation, questions, resident, question_index, value, problem
):
    answers = valid_answers(questions)
    answers[questions[question_index].pk] = value
    with pytest.raises(ConsultationError) as exc:
        services.response_submit(consultation=consultation, user=resident, answers=answers)
    assert exc.value.code == "answers", problem
    assert list(exc.value.errors) == [questions[question_index].pk]
    assert _nothing_stored()


def test_a_bad_change_keeps_the_earlier_answers(consultation, questions, resident):
    services.response_submit(
        consultation=consultation, user=resident, answers=valid_answers(questions)
    )
    answers = valid_answers(questions)
    answers[questions[2].pk] = "9"
    with pytest.raises(ConsultationError):
        services.response_submit(consultation=consultation, user=resident, answers=answers)
    assert Answer.objects.count() == 5


def test_outside_the_period_nothing_is_stored(consultation, questions, resident):
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    with pytest.raises(ConsultationError) as exc:
        services.response_submit(
            consultation=consultation, user=resident, answers=valid_answers(questions)
        )
    assert exc.value.code == "period"
    close(consultation)
    with pytest.raises(ConsultationError) as exc:
        services.response_submit(
            consultation=consultation, user=resident, answers=valid_answers(questions)
        )
    assert exc.value.code == "period"
    assert _nothing_stored()


def test_residents_only(consultation, questions, resident, visitor):
    Consultation.objects.filter(pk=consultation.pk).update(residents_only=True)
    consultation.refresh_from_db()
    with pytest.raises(ConsultationError) as exc:
        services.response_submit(
            consultation=consultation, user=visitor, answers=valid_answers(questions)
        )
    assert exc.value.code == "eligibility"
    visitor.register_id = "999999"  # not in the register
    with pytest.raises(ConsultationError):
        services.response_submit(
            consultation=consultation, user=visitor, answers=valid_answers(questions)
        )
    assert _nothing_stored()
    services.response_submit(
        consultation=consultation, user=resident, answers=valid_answers(questions)
    )
    assert Response.objects.count() == 1


def test_summary_published_after_closing_by_the_department(consultation, planner, outsider):
    with pytest.raises(ConsultationError) as exc:
        services.summary_save(
            consultation=consultation, staff=planner, summary="Danke!", publish=True
        )
    assert exc.value.code == "period"
    services.summary_save(
        consultation=consultation, staff=planner, summary="Entwurf", publish=False
    )
    close(consultation)
    with pytest.raises(ConsultationError) as exc:
        services.summary_save(
            consultation=consultation, staff=outsider, summary="Danke!", publish=True
        )
    assert exc.value.code == "forbidden"
    with pytest.raises(ConsultationError):
        services.summary_save(consultation=consultation, staff=planner, summary=" ", publish=True)
    services.summary_save(consultation=consultation, staff=planner, summary="Danke!", publish=True)
    consultation.refresh_from_db()
    assert consultation.summary == "Danke!" and consultation.summary_published_at
    assert AuditEntry.objects.filter(action="consultation.summary_published").count() == 1


def test_purger_freezes_results_then_deletes_answers(consultation, questions, resident, settings):
    services.response_submit(
        consultation=consultation, user=resident, answers=valid_answers(questions)
    )
    expected = selectors.consultation_results_compute(consultation=consultation)
    purger = {p.name: p for p in purgers()}["consultations.responses"]
    assert purger.purge() == 0  # still open
    settings.RATHAUS_CONSULTATION_RESPONSE_RETENTION_DAYS = 10
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=40),
        closes_at=timezone.now() - datetime.timedelta(days=11),
    )
    assert purger.purge() == 1
    consultation.refresh_from_db()
    assert _nothing_stored()
    assert selectors.consultation_results(consultation=consultation) == expected


def test_project_list_puts_open_consultations_first(project, planner):
    closed = Project.objects.create(
        slug="alt",
        title="Aaa alt",
        summary="s",
        description="d",
        department=project.department,
        published=True,
    )
    Consultation.objects.create(
        project=closed,
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=2),
    )
    Project.objects.create(
        slug="geheim",
        title="Aaa geheim",
        summary="s",
        description="d",
        department=project.department,
    )
    assert [p.slug for p in selectors.projects_public()] == [project.slug, "alt"]
