import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rathaus.comments.services import comment_post
from rathaus.consultations import services
from rathaus.consultations.models import Answer, ProjectDocument, Response, pdf_validate

from .conftest import close, valid_answers

pytestmark = pytest.mark.django_db


def _form_data(questions, **overrides) -> dict:
    return {f"q{key}": value for key, value in valid_answers(questions, **overrides).items()}


def test_list_and_project_page(client, project):
    page = client.get(reverse("consultations:list")).content.decode()
    assert project.title in page
    detail = client.get(project.get_absolute_url()).content.decode()
    assert project.summary in detail
    assert "openstreetmap.org/?mlat=51.255400" in detail
    assert "data-map-point" in detail
    assert (
        reverse("consultations:document", args=[project.slug, project.documents.first().pk])
        in detail
    )
    assert reverse("account_login") in detail  # log in to answer and to comment


def test_unpublished_projects_are_not_found(client, project):
    project.published = False
    project.save()
    assert client.get(project.get_absolute_url()).status_code == 404


def test_document_download_is_the_pdf(client, project):
    document = project.documents.first()
    response = client.get(reverse("consultations:document", args=[project.slug, document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_uploads_must_be_real_pdfs(project):
    with pytest.raises(ValidationError):
        pdf_validate(SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>"))
    document = ProjectDocument(
        project=project, title="x", file=SimpleUploadedFile("plan.pdf", b"MZ\x90\x00")
    )
    with pytest.raises(ValidationError):
        document.full_clean()


def test_answer_the_questionnaire_and_change_it(client, project, questions, resident):
    client.force_login(resident)
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'action="/beteiligung/umgestaltung-laurentiusplatz/antworten/"' in page
    url = reverse("consultations:submit", args=[project.slug])
    response = client.post(url, _form_data(questions, scale="3"))
    assert response.status_code == 302
    response = client.post(url, _form_data(questions, scale="5"))
    assert Response.objects.count() == 1
    assert Answer.objects.get(value__isnull=False).value == 5
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'value="5" id="id_q' in page and "checked" in page


def test_missing_required_answer_shows_errors_and_stores_nothing(
    client, project, questions, resident
):
    client.force_login(resident)
    data = _form_data(questions)
    del data[f"q{questions[0].pk}"]
    data[f"q{questions[2].pk}"] = "7"
    response = client.post(reverse("consultations:submit", args=[project.slug]), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "<title>Fehler:" in page
    assert "site-error-summary" in page
    assert Response.objects.count() == 0


def test_anonymous_and_ineligible_cannot_answer(client, project, questions, visitor):
    url = reverse("consultations:submit", args=[project.slug])
    response = client.post(url, _form_data(questions))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    project.consultation.residents_only = True
    project.consultation.save()
    client.force_login(visitor)
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'action="/beteiligung/umgestaltung-laurentiusplatz/antworten/"' not in page
    response = client.post(url, _form_data(questions))
    assert response.status_code == 422
    assert Response.objects.count() == 0


def test_closed_consultation_shows_results_and_refuses_answers(
    client, project, questions, resident
):
    services.response_submit(
        consultation=project.consultation, user=resident, answers=valid_answers(questions)
    )
    close(project.consultation)
    client.force_login(resident)
    response = client.post(
        reverse("consultations:submit", args=[project.slug]), _form_data(questions)
    )
    assert response.status_code == 422
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Mehr Grün" not in page  # free text is not published
    assert reverse("consultations:open_data_json", args=[project.slug]) in page


def test_open_data_only_after_closing_and_without_personal_data(
    client, project, questions, resident
):
    json_url = reverse("consultations:open_data_json", args=[project.slug])
    csv_url = reverse("consultations:open_data_csv", args=[project.slug])
    assert client.get(json_url).status_code == 404
    services.response_submit(
        consultation=project.consultation,
        user=resident,
        answers=valid_answers(questions, text="Ich heiße Lena und wohne Luisenstraße 71"),
    )
    comment_post(target=project, author=resident, body="Kommentar von Lena")
    close(project.consultation)
    data = client.get(json_url).json()
    assert data["license"] == "dl-de/by-2-0"
    assert data["results"]["responses"] == 1
    body = client.get(json_url).content.decode() + client.get(csv_url).content.decode()
    for personal in ("Lena", "Schäfer", "Luisenstraße", resident.email, "100001"):
        assert personal not in body
    assert "dl-de/by-2-0" in client.get(csv_url).content.decode()
    index = json.loads(client.get(reverse("consultations:open_data_index")).content)
    assert index["datasets"][0]["json"].endswith(json_url)


def test_staff_pages_for_the_department_only(
    client, project, questions, resident, planner, outsider
):
    services.response_submit(
        consultation=project.consultation, user=resident, answers=valid_answers(questions)
    )
    list_url = reverse("consultations_staff:list")
    page_url = reverse("consultations_staff:project", args=[project.slug])
    csv_url = reverse("consultations_staff:csv", args=[project.slug])
    client.force_login(resident)
    assert client.get(list_url).status_code == 403
    client.force_login(outsider)
    assert project.title not in client.get(list_url).content.decode()
    assert client.get(page_url).status_code == 404
    assert client.get(csv_url).status_code == 404
    client.force_login(planner)
    assert project.title in client.get(list_url).content.decode()
    page = client.get(page_url).content.decode()
    assert "Mehr Grün" in page  # free-text answers, without names
    assert "Schäfer" not in page and resident.email not in page
    export = client.get(csv_url).content.decode()
    assert "Mehr Grün" in export
    for personal in ("Lena", "Schäfer", resident.email, "100001"):
        assert personal not in export


def test_staff_publish_summary(client, project, planner):
    url = reverse("consultations_staff:summary", args=[project.slug])
    client.force_login(planner)
    response = client.post(url, {"summary": "Wir pflanzen Bäume.", "publish": "1"})
    assert response.status_code == 422  # still open
    close(project.consultation)
    response = client.post(url, {"summary": "Wir pflanzen Bäume.", "publish": "1"})
    assert response.status_code == 302
    assert "Wir pflanzen Bäume." in client.get(project.get_absolute_url()).content.decode()


def test_comments_on_the_project_while_open(client, project, resident, planner):
    client.force_login(resident)
    client.post(
        reverse("comments:create", args=["consultations.project", project.pk]),
        {"body": "Schöne Idee"},
    )
    assert "Schöne Idee" in client.get(project.get_absolute_url()).content.decode()
    assert project.comments_moderator(planner)
    assert not project.comments_moderator(resident)
    close(project.consultation)
    project.refresh_from_db()
    assert not project.comments_open()
