"""Automated decisions (§ 35a VwVfG) on real services, from submission to the citizen's view."""

import pytest
from django.test import Client
from django.urls import reverse

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.tests.factories import UserFactory
from rathaus.audit.selectors import audit_verify
from rathaus.cases.models import Outcome
from rathaus.cases.states import CaseStatus

from .conftest import submit_certificate, submit_parking

pytestmark = pytest.mark.django_db


def test_a_parking_permit_that_meets_every_rule_is_approved_automatically(city):
    lena = UserFactory(register_id="100001")
    case = submit_parking(lena)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    decision = case.decision
    assert (decision.automated, decision.outcome, decision.decided_by) == (
        True,
        Outcome.APPROVED,
        None,
    )
    assert "35a" in decision.legal_basis
    checks = [c for rule in case.automation["de"]["rules"] for c in rule["checks"]]
    assert checks and all(c["passed"] for c in case.automation["de"]["rules"][0]["checks"])
    assert any("W-LS 1403" in c["explanation"] for c in checks)
    # The citizen sees that and why it was decided automatically, in plain language.
    client = Client()
    client.force_login(lena)
    mine = client.get(reverse("applications:mine")).content.decode()
    assert "W-LS 1403" in mine
    assert audit_verify().ok


def test_a_rule_that_cannot_decide_leaves_the_case_to_a_caseworker_with_the_reasons(city):
    lena = UserFactory(register_id="100001")
    case = submit_parking(lena, plate="W-XY 77")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert not hasattr(case, "decision") or case.decision is None
    failed = [c for r in case.automation["en"]["rules"] for c in r["checks"] if not c["passed"]]
    assert any("W-XY 77" in c["explanation"] for c in failed)


def test_a_basic_login_is_never_approved_automatically(city):
    case = submit_parking(UserFactory(register_id="100001"), assurance=LevelOfAssurance.BASIC)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_the_registration_certificate_is_issued_automatically_at_level_high(city):
    lena = UserFactory(register_id="100001")
    case = submit_certificate(lena)
    assert case.status == CaseStatus.DECIDED
    assert case.decision.automated
