"""The public process and proposal pages, the proposal form, and the staff review pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rathaus.budget.models import Phase, Proposal, ProposalStatus

from .proposal_fixtures import jpeg_with_gps, process_make, proposal_make


def _form(process, **changes):
    data = {
        "title": "Trinkbrunnen",
        "description": "Am Laurentiusplatz",
        "unit": process.units.get(district="Elberfeld").pk,
        "address": "Laurentiusplatz",
        "latitude": "51.2562",
        "longitude": "7.1408",
        "estimated_cost": "8000",
    }
    data.update(changes)
    return data


def test_process_pages_show_phase_budget_and_proposal_link(client, process):
    proposal_make(process.units.first())
    assert process.title in client.get("/buergerbudget/").content.decode()
    page = client.get(f"/buergerbudget/{process.slug}/").content.decode()
    assert "120.000 €" in page and "Elberfeld" in page
    assert f"/buergerbudget/{process.slug}/vorschlagen/" in page
    assert client.get("/buergerbudget/gibt-es-nicht/").status_code == 404


def test_proposal_form_needs_a_login(client, process):
    response = client.get(f"/buergerbudget/{process.slug}/vorschlagen/")
    assert response.status_code == 302 and "login" in response.url


def test_a_citizen_proposes_with_a_picture_and_a_point(client, process, citizen):
    client.force_login(citizen)
    picture = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        f"/buergerbudget/{process.slug}/vorschlagen/",
        _form(process, image_1=picture, alt_1="Der leere Platz"),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.number == 1 and proposal.unit.district == "Elberfeld"
    assert str(proposal.latitude) == "51.256200"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Trinkbrunnen" in page and 'alt="Der leere Platz"' in page and "data-map-point" in page
    image = proposal.images.get()
    served = client.get(f"{proposal.get_absolute_url()}bild/{image.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"image_1": "pdf", "alt_1": "Plan"}, "image_1"),
        ({"image_1": "jpeg"}, "alt_1"),
        ({"latitude": ""}, "longitude"),
        ({"estimated_cost": "30000"}, "estimated_cost"),
        ({"title": ""}, "title"),
        ({"unit": "999"}, "unit"),
    ],
)
def test_bad_proposals_show_errors_and_store_nothing(client, process, citizen, changes, field):
    client.force_login(citizen)
    files = {
        "pdf": lambda: SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", "application/pdf"),
        "jpeg": lambda: SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg"),
    }
    changes = {k: files[v]() if v in files else v for k, v in changes.items()}
    response = client.post(f"/buergerbudget/{process.slug}/vorschlagen/", _form(process, **changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert response.content.decode().count("site-error-summary") == 1
    assert not Proposal.objects.exists()


def test_proposals_are_rate_limited(client, process, citizen, settings):
    settings.RATHAUS_BUDGET_PROPOSAL_RATE_LIMIT = "2/h/user"
    client.force_login(citizen)
    statuses = [
        client.post(f"/buergerbudget/{process.slug}/vorschlagen/", _form(process)).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Proposal.objects.count() == 2


def test_the_form_is_closed_outside_the_proposals_phase(client, db, citizen):
    process = process_make(phase=Phase.VOTING)
    client.force_login(citizen)
    response = client.post(f"/buergerbudget/{process.slug}/vorschlagen/", _form(process))
    assert response.status_code == 302
    assert not Proposal.objects.exists()


def test_proposal_list_filters_by_unit_and_status(client, process):
    city, district = process.units.order_by("district")
    proposal_make(city, title="Stadtweit")
    proposal_make(district, title="Im Viertel", status=ProposalStatus.NOT_FEASIBLE)
    base = f"/buergerbudget/{process.slug}/vorschlaege/"
    assert "Im Viertel" in client.get(base).content.decode()
    page = client.get(base, {"unit": city.pk}).content.decode()
    assert "Stadtweit" in page and "Im Viertel" not in page
    page = client.get(base, {"status": "not_feasible"}).content.decode()
    assert "Stadtweit" not in page and "Im Viertel" in page


def test_the_public_sees_that_a_proposal_was_hidden_but_not_what_or_why(client, process, clerk):
    proposal = proposal_make(
        process.units.first(),
        title="Beleidigung",
        hidden_at=timezone.now(),
        hidden_reason="Verstoß gegen die Regeln",
    )
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Beleidigung" not in page and "Verstoß" not in page
    assert "moderation" in page.lower()
    client.force_login(clerk)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Beleidigung" in page and "Verstoß gegen die Regeln" in page


def test_staff_review_pages_are_for_the_department(
    client, db, department, clerk, citizen, outsider_clerk
):
    process = process_make(phase=Phase.REVIEW, department=department)
    proposal = proposal_make(process.units.first())
    client.force_login(citizen)
    assert client.get("/amt/buergerbudget/").status_code == 403
    assert client.get(f"/amt/buergerbudget/{process.slug}/").status_code == 404
    client.force_login(outsider_clerk)
    assert (
        client.get(f"/amt/buergerbudget/{process.slug}/vorschlaege/{proposal.pk}/").status_code
        == 404
    )
    client.force_login(clerk)
    assert process.title in client.get("/amt/buergerbudget/").content.decode()
    assert proposal.title in client.get(f"/amt/buergerbudget/{process.slug}/").content.decode()


def test_staff_decide_hide_and_restore_through_the_pages(client, db, department, clerk):
    process = process_make(phase=Phase.REVIEW, department=department)
    proposal = proposal_make(process.units.first())
    client.force_login(clerk)
    base = f"/amt/buergerbudget/{process.slug}/vorschlaege/{proposal.pk}/"
    response = client.post(
        f"{base}entscheidung/", {"decide-feasible": "yes", "decide-city_cost": ""}
    )
    assert response.status_code == 422
    assert "cost estimate" in response.content.decode() or "Kosten" in response.content.decode()
    response = client.post(
        f"{base}entscheidung/", {"decide-feasible": "yes", "decide-city_cost": "7000"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.FEASIBLE and proposal.city_cost == 7000
    assert client.post(f"{base}ausblenden/", {"hide-reason": ""}).status_code == 422
    assert client.post(f"{base}ausblenden/", {"hide-reason": "Spam"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.hidden_reason == "Spam"
    assert client.post(f"{base}einblenden/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.hidden_at is None


def test_citizens_comment_on_a_proposal_until_voting_closes(client, process, citizen):
    from django.urls import reverse

    from rathaus.comments.models import Comment

    proposal = proposal_make(process.units.first())
    client.force_login(citizen)
    url = reverse("comments:create", args=["budget.proposal", proposal.pk])
    response = client.post(url, {"body": "Gute Idee!"})
    assert response.status_code == 302
    assert Comment.objects.get().body == "Gute Idee!"
    assert "Gute Idee!" in client.get(proposal.get_absolute_url()).content.decode()
    assert proposal.comments_open()
    proposal.hidden_at = timezone.now()
    assert not proposal.comments_open()
