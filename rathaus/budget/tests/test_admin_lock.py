"""The counting rule and the ballot's settings lock once voting opens: service and admin."""

import pytest
from django.core.exceptions import ValidationError

from rathaus.accounts.models import User
from rathaus.accounts.tests.factories import totp_enable
from rathaus.audit.models import AuditEntry
from rathaus.budget.models import BudgetProcess, Phase
from rathaus.budget.processes import process_update

from .proposal_fixtures import process_make


@pytest.fixture
def admin_user(db):
    user = User.objects.create_superuser("admin@stadt.example", "pw")
    totp_enable(user)  # the staff MFA middleware demands it
    return user


def test_rule_changes_before_voting_are_saved_and_audited(department, admin_user):
    process = process_make(phase=Phase.REVIEW, department=department)
    process_update(process=process, data={"rule": "greedy"}, actor=admin_user)
    process.refresh_from_db()
    assert process.rule == "greedy"
    assert AuditEntry.objects.filter(action="budget.process_changed").exists()


@pytest.mark.parametrize(
    "data",
    [{"rule": "greedy"}, {"rule_parameters": {"x": 1}}, {"max_projects": 3}, {"cost_cap": True}],
)
def test_locked_settings_are_refused_once_voting_opened(english, department, admin_user, data):
    process = process_make(phase=Phase.VOTING, department=department)
    with pytest.raises(ValidationError, match="Voting has opened"):
        process_update(process=process, data=data, actor=admin_user)
    stored = BudgetProcess.objects.get(pk=process.pk)
    assert stored.rule == "equal-shares" and stored.rule_parameters == {}
    assert stored.max_projects is None and stored.cost_cap is False


def test_other_fields_may_still_change_once_voting_opened(department, admin_user):
    process = process_make(phase=Phase.VOTING, department=department)
    process_update(process=process, data={"title": "Neu", "rule": "equal-shares"}, actor=admin_user)
    assert BudgetProcess.objects.get(pk=process.pk).title == "Neu"


def _admin_post_data(process, **changes):
    data = {
        "title": process.title,
        "slug": process.slug,
        "description": "",
        "department": process.department_id,
        "proposals_open_0": process.proposals_open.strftime("%d.%m.%Y"),
        "proposals_open_1": process.proposals_open.strftime("%H:%M:%S"),
        "proposals_close_0": process.proposals_close.strftime("%d.%m.%Y"),
        "proposals_close_1": process.proposals_close.strftime("%H:%M:%S"),
        "review_close_0": process.review_close.strftime("%d.%m.%Y"),
        "review_close_1": process.review_close.strftime("%H:%M:%S"),
        "voting_opens_0": process.voting_opens.strftime("%d.%m.%Y"),
        "voting_opens_1": process.voting_opens.strftime("%H:%M:%S"),
        "voting_closes_0": process.voting_closes.strftime("%d.%m.%Y"),
        "voting_closes_1": process.voting_closes.strftime("%H:%M:%S"),
        "minimum_age": 14,
        "assurance": 2,
        "min_projects": 1,
        "max_projects": "",
        "rule": process.rule,
        "rule_parameters": "{}",
        "units-TOTAL_FORMS": 0,
        "units-INITIAL_FORMS": 0,
        "units-MIN_NUM_FORMS": 0,
        "units-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def test_admin_changes_the_rule_before_voting(client, department, admin_user):
    from django.utils import timezone

    process = process_make(phase=Phase.REVIEW, department=department)
    client.force_login(admin_user)
    with timezone.override("Europe/Berlin"):
        process = BudgetProcess.objects.get(pk=process.pk)
        for name in (
            "proposals_open",
            "proposals_close",
            "review_close",
            "voting_opens",
            "voting_closes",
        ):
            setattr(process, name, timezone.localtime(getattr(process, name)))
        response = client.post(
            f"/admin/budget/budgetprocess/{process.pk}/change/",
            _admin_post_data(process, rule="greedy"),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BudgetProcess.objects.get(pk=process.pk).rule == "greedy"


def test_admin_shows_locked_settings_read_only_and_keeps_them(client, department, admin_user):
    process = process_make(phase=Phase.VOTING, department=department)
    client.force_login(admin_user)
    page = client.get(f"/admin/budget/budgetprocess/{process.pk}/change/")
    assert page.status_code == 200
    assert 'name="rule"' not in page.content.decode()
    assert 'name="title"' in page.content.decode()
