"""Reading projects and consultations: lists, eligibility, aggregated results, exports."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.registry.selectors import registry

from .models import (
    SCALE_VALUES,
    Answer,
    Consultation,
    Option,
    Project,
    Question,
    QuestionKind,
    Response,
)


def projects_public() -> QuerySet[Project]:
    """Published projects: open consultations first, then upcoming, then the rest."""
    now = timezone.now()
    return (
        Project.objects.filter(published=True)
        .select_related("consultation", "department")
        .annotate(
            rank=Case(
                When(consultation__opens_at__lte=now, consultation__closes_at__gt=now, then=0),
                When(consultation__opens_at__gt=now, then=1),
                When(consultation__isnull=False, then=2),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "consultation__closes_at", "title")
    )


def project_public_get(*, slug: str) -> Project | None:
    return (
        Project.objects.filter(slug=slug, published=True)
        .select_related("consultation", "department")
        .prefetch_related("timeline", "documents")
        .first()
    )


def is_department_member(*, user: User, project: Project) -> bool:
    """Staff of the project's department (and administrators) run its consultation."""
    return project.comments_moderator(user)


def projects_for_staff(*, user: User) -> QuerySet[Project]:
    projects = Project.objects.select_related("consultation", "department").order_by("title")
    if user.is_superuser:
        return projects
    return projects.filter(department__memberships__user=user).distinct()


def project_for_staff_get(*, user: User, slug: str) -> Project | None:
    return projects_for_staff(user=user).filter(slug=slug).first()


def user_is_eligible(*, consultation: Consultation, user: User) -> bool:
    """Anyone with an account, or for residents-only consultations: people in the register."""
    if not user.is_authenticated:
        return False
    if not consultation.residents_only:
        return True
    if not user.register_id:
        return False
    return registry().person_by_id(register_id=user.register_id) is not None


def questions_of(*, consultation: Consultation) -> list[Question]:
    return list(
        consultation.questions.prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
        ).order_by("position", "pk")
    )


def response_of(*, consultation: Consultation, user: User) -> Response | None:
    if not user.is_authenticated:
        return None
    return Response.objects.filter(consultation=consultation, user=user).first()


def response_initial(*, response: Response | None) -> dict[int, object]:
    """A stored response as the questionnaire form's initial values, keyed by question id."""
    initial: dict[int, object] = {}
    if response is None:
        return initial
    for answer in response.answers.select_related("question"):
        kind = answer.question.kind
        if kind == QuestionKind.MULTIPLE:
            initial.setdefault(answer.question_id, []).append(str(answer.option_id))
        elif kind == QuestionKind.SINGLE:
            initial[answer.question_id] = str(answer.option_id)
        elif kind == QuestionKind.SCALE:
            initial[answer.question_id] = str(answer.value)
        else:
            initial[answer.question_id] = answer.text
    return initial


def _mean(values: dict[int, int]) -> float | None:
    total = sum(values.values())
    if not total:
        return None
    mean = Decimal(sum(value * count for value, count in values.items())) / total
    return float(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def consultation_results_compute(*, consultation: Consultation) -> dict:
    """Aggregated results from the stored answers: counts per option, scale counts and mean.

    No free text and nothing about persons: this is what the public and open data see.
    """
    responses = consultation.responses.count()
    answered = dict(
        Answer.objects.filter(response__consultation=consultation)
        .values_list("question")
        .annotate(n=Count("response", distinct=True))
    )
    option_counts = dict(
        Answer.objects.filter(response__consultation=consultation, option__isnull=False)
        .values_list("option")
        .annotate(n=Count("pk"))
    )
    scale_counts: dict[int, dict[int, int]] = {}
    for question_id, value, count in (
        Answer.objects.filter(response__consultation=consultation, value__isnull=False)
        .values_list("question", "value")
        .annotate(n=Count("pk"))
    ):
        scale_counts.setdefault(question_id, {})[value] = count
    questions = []
    for question in questions_of(consultation=consultation):
        item = {
            "position": question.position,
            "kind": question.kind,
            "question": question.text,
            "answered": answered.get(question.pk, 0),
        }
        if question.has_options:
            item["options"] = [
                {"option": option.label, "count": option_counts.get(option.pk, 0)}
                for option in question.options.all()
            ]
        elif question.kind == QuestionKind.SCALE:
            counts = scale_counts.get(question.pk, {})
            item["scale"] = {str(value): counts.get(value, 0) for value in SCALE_VALUES}
            item["mean"] = _mean(counts)
        questions.append(item)
    return {"responses": responses, "questions": questions}


def consultation_results(*, consultation: Consultation) -> dict:
    """The results: frozen ones once the individual answers are deleted, else computed."""
    if consultation.results_frozen is not None:
        return consultation.results_frozen
    return consultation_results_compute(consultation=consultation)


def text_answers(*, consultation: Consultation) -> dict[int, list[str]]:
    """Free-text answers per question id, without names, in an order unrelated to persons."""
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        Answer.objects.filter(response__consultation=consultation)
        .exclude(text="")
        .order_by("question", "text")
        .values_list("question", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    return texts


def responses_table(*, consultation: Consultation) -> tuple[list[str], list[list[str]]]:
    """The answers as a table for staff: one row per response, numbered, without the person."""
    questions = questions_of(consultation=consultation)
    header = ["response", "date"] + [f"{q.position}. {q.text}" for q in questions]
    rows = []
    responses = consultation.responses.order_by("created_at", "pk").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("option").order_by("pk"))
    )
    for number, response in enumerate(responses, start=1):
        by_question: dict[int, list[str]] = {}
        for answer in response.answers.all():
            if answer.option_id:
                value = answer.option.label
            elif answer.value is not None:
                value = str(answer.value)
            else:
                value = answer.text
            by_question.setdefault(answer.question_id, []).append(value)
        # The day only: a timestamp could tie an answer to a person's visit.
        row = [str(number), timezone.localdate(response.updated_at).isoformat()]
        row += ["; ".join(by_question.get(q.pk, [])) for q in questions]
        rows.append(row)
    return header, rows
