"""The open-data export of a closed consultation: aggregated, no personal data, no free text."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .models import Consultation
from .selectors import consultation_results

LICENCE = "dl-de/by-2-0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


def _attribution() -> str:
    return f"{settings.RATHAUS_CITY_NAME}, {LICENCE} ({LICENCE_URL})"


def open_data(*, consultation: Consultation, request: HttpRequest | None = None) -> dict:
    project = consultation.project
    page = project.get_absolute_url()
    return {
        "title": project.title,
        "publisher": settings.RATHAUS_CITY_NAME,
        "department": project.department.name,
        "page": request.build_absolute_uri(page) if request else page,
        "license": LICENCE,
        "license_url": LICENCE_URL,
        "attribution": _attribution(),
        "opens_at": consultation.opens_at.isoformat(),
        "closes_at": consultation.closes_at.isoformat(),
        "residents_only": consultation.residents_only,
        "summary_published": consultation.summary_published_at is not None,
        "generated": timezone.now().date().isoformat(),
        "note": "Aggregated results; free-text answers and comments are not included.",
        "results": consultation_results(consultation=consultation),
    }


def open_data_csv_rows(*, consultation: Consultation) -> list[list]:
    """One row per option and scale value: question, kind, answer, count, mean."""
    results = consultation_results(consultation=consultation)
    rows: list[list] = [["position", "question", "kind", "answer", "count", "mean", "responses"]]
    for item in results["questions"]:
        common = [item["position"], item["question"], item["kind"]]
        if "options" in item:
            for option in item["options"]:
                rows.append([*common, option["option"], option["count"], "", item["answered"]])
        elif "scale" in item:
            mean = "" if item["mean"] is None else item["mean"]
            for value, count in item["scale"].items():
                rows.append([*common, value, count, mean, item["answered"]])
        else:
            rows.append([*common, "", item["answered"], "", item["answered"]])
    rows.append([])
    rows.append([f"# {results['responses']} responses. Licence: {_attribution()}"])
    return rows
