"""Automated decisions (§ 35a VwVfG) against the real catalogue and the demo resident register."""

import copy
import json

import pytest
from django.utils import translation
from django.utils.functional import Promise

from rathaus.accounts.models import LevelOfAssurance
from rathaus.cases import automation
from rathaus.cases.automation import automation_evaluate
from rathaus.catalog.definition import ServiceDefinition
from rathaus.catalog.models import Service

BASIC, SUBSTANTIAL, HIGH = (
    LevelOfAssurance.BASIC,
    LevelOfAssurance.SUBSTANTIAL,
    LevelOfAssurance.HIGH,
)

LENA = "100001"  # Luisenstraße 71, 42103 (in the zone), W-LS 1403
EMRE = "100008"  # Hofaue 54, 42103 (in the zone), W-EY 93
AYLIN = "100012"  # Briller Straße 9, 42105; secondary residence Gaußstraße 12, 42119; no car
JUERGEN = "100020"  # Kaiserstraße 101b, 42329 (outside), W-JW 620 and W-JW 62E
FRANK = "100035"  # Kaiserstraße 45, 42329 (outside), W-FZ 303

PARKING_RULE = "resident_in_zone_with_own_vehicles"


def definition(slug: str) -> ServiceDefinition:
    return Service.objects.get(slug=slug).current_version.spec


def address(street: str, house_number: str, postcode: str, town: str = "Wuppertal") -> dict:
    return {"street": street, "house_number": house_number, "postcode": postcode, "town": town}


def parking_answers(**overrides) -> dict:
    answers = {
        "residence_type": "main",
        "address": address("Luisenstraße", "71", "42103"),
        "plate_1": "W-LS 1403",
        "plate_2": "",
        "plate_3": "",
        "registered_to_applicant": True,
        "request_type": "new",
        "truthful": True,
    }
    return answers | overrides


def parking(*, register_id: str = LENA, assurance: int = SUBSTANTIAL, **overrides):
    return automation_evaluate(
        definition=definition("bewohnerparkausweis"),
        answers=parking_answers(**overrides),
        register_id=register_id,
        assurance=assurance,
    )


def certificate(*, register_id: str, assurance: int):
    answers = {"certificate_type": "simple", "delivery": "postbox"}
    return automation_evaluate(
        definition=definition("meldebescheinigung"),
        answers=answers,
        register_id=register_id,
        assurance=assurance,
    )


def checks_by_kind(outcome, kind: str) -> list:
    return [check for rule in outcome.results for check in rule.checks if check.check == kind]


def failed(outcome) -> list[str]:
    return [check.check for rule in outcome.results for check in rule.checks if not check.passed]


@pytest.fixture
def no_register(monkeypatch):
    """Fails the test if the register is consulted (a raise would be caught as a check error)."""
    calls = []
    monkeypatch.setattr(automation, "registry", lambda: calls.append("registry"))
    yield
    assert calls == [], "the register must not be consulted"


# --- Bewohnerparkausweis ------------------------------------------------------------------------


def test_parking_permit_approved_for_resident_in_zone_with_own_car(city, english):
    outcome = parking()

    assert outcome.approve is True
    assert outcome.rule is not None and outcome.rule.rule_id == PARKING_RULE
    assert outcome.rule.legal_basis.startswith("§ 35a VwVfG NRW")
    assert outcome.results == [outcome.rule]
    assert [c.check for c in outcome.rule.checks] == [
        "assurance_at_least",
        "register_has_applicant",
        "address_in_list",
        "answer",
        "vehicles_held_by_applicant",
        "vehicles_held_by_applicant",
        "vehicles_held_by_applicant",
    ]
    assert all(c.passed for c in outcome.rule.checks)
    assert outcome.reasons_for_caseworker() == []
    plate_1 = outcome.rule.checks[4]
    assert plate_1.field == "plate_1"
    assert plate_1.data_read == {"plate": "W-LS 1403", "vehicles_in_register": ["W-LS 1403"]}
    assert str(plate_1.explanation) == "The vehicle W-LS 1403 is registered to the applicant."
    register = outcome.rule.checks[1]
    assert register.data_read == {
        "register_id": LENA,
        "found": True,
        "address": "Luisenstraße 71, 42103 Wuppertal",
        "matches": "main",
    }
    assert str(outcome.rule.checks[2].explanation) == (
        "The address Luisenstraße 71, 42103 Wuppertal is in the area covered by the list “zones”."
    )
    assert str(outcome.rule.checks[6].explanation) == (
        "No licence plate was given here, so there is no vehicle to check."
    )


def test_parking_permit_approved_at_high_and_with_another_spelling_of_the_street(city):
    outcome = parking(assurance=HIGH, address=address("luisenstr.", "71", "42103"))

    assert outcome.approve is True


def test_parking_permit_routed_for_a_basic_login_without_reading_the_register(
    city, english, no_register
):
    outcome = parking(assurance=BASIC)

    assert outcome.approve is False
    assert outcome.rule is None
    (assurance,) = checks_by_kind(outcome, "assurance_at_least")
    assert assurance.passed is False
    assert assurance.data_read == {"assurance": "basic", "required": "substantial"}
    assert str(assurance.explanation) == (
        "The applicant logged in with the level of assurance “basic”, but at least "
        "“substantial” is required."
    )
    skipped = checks_by_kind(outcome, "register_has_applicant") + checks_by_kind(
        outcome, "vehicles_held_by_applicant"
    )
    assert len(skipped) == 4
    assert all(not c.passed and c.data_read == {} for c in skipped)
    # The checks that need no register are still evaluated, for the caseworker.
    assert checks_by_kind(outcome, "address_in_list")[0].passed is True
    assert outcome.reasons_for_caseworker()[0] == str(assurance.explanation)
    assert (
        "The register was not consulted because the level of assurance of the login is too low."
        in outcome.reasons_for_caseworker()
    )


def test_parking_permit_routed_when_the_address_is_outside_the_zone(city, english):
    outcome = parking(
        register_id=FRANK, address=address("Kaiserstraße", "45", "42329"), plate_1="W-FZ 303"
    )

    assert outcome.approve is False
    assert failed(outcome) == ["address_in_list"]
    (zone,) = checks_by_kind(outcome, "address_in_list")
    assert zone.data_read == {"address": "Kaiserstraße 45, 42329 Wuppertal", "list": "zones"}
    assert outcome.reasons_for_caseworker() == [
        "The address Kaiserstraße 45, 42329 Wuppertal is not in the area covered by the list "
        "“zones”."
    ]


def test_parking_permit_routed_when_a_second_plate_is_not_the_applicants(city, english):
    outcome = parking(plate_2="W-XY 77")

    assert outcome.approve is False
    assert failed(outcome) == ["vehicles_held_by_applicant"]
    second = checks_by_kind(outcome, "vehicles_held_by_applicant")[1]
    assert second.field == "plate_2"
    assert second.data_read == {"plate": "W-XY 77", "vehicles_in_register": ["W-LS 1403"]}
    assert outcome.reasons_for_caseworker() == [
        "The vehicle W-XY 77 is not registered to the applicant in the vehicle register."
    ]


def test_parking_permit_routed_when_the_address_is_not_the_applicants(city, english):
    # Hofaue 54 lies in the zone, but Lena is registered in Luisenstraße.
    outcome = parking(address=address("Hofaue", "54", "42103"))

    assert outcome.approve is False
    assert failed(outcome) == ["register_has_applicant"]
    (register,) = checks_by_kind(outcome, "register_has_applicant")
    assert register.data_read == {
        "register_id": LENA,
        "found": True,
        "address": "Hofaue 54, 42103 Wuppertal",
        "matches": None,
        "register_main_address": "Luisenstraße 71, 42103 Wuppertal",
        "register_secondary_address": None,
    }
    assert outcome.reasons_for_caseworker() == [
        "The resident register does not show Hofaue 54, 42103 Wuppertal as the applicant’s main "
        "or secondary residence."
    ]


def test_parking_permit_routed_when_the_applicant_says_a_car_is_not_registered_to_them(
    city, english
):
    outcome = parking(registered_to_applicant=False)

    assert outcome.approve is False
    assert failed(outcome) == ["answer"]
    (answer,) = checks_by_kind(outcome, "answer")
    assert answer.data_read == {"registered_to_applicant": False}
    assert outcome.reasons_for_caseworker() == [
        "The answer to “Are all the vehicles you named registered in your name?” is “No”, "
        "which does not allow an automatic decision."
    ]


def test_secondary_residence_in_the_register_counts_and_spelling_does_not_matter(city, english):
    outcome = parking(
        register_id=AYLIN, residence_type="secondary", address=address("Gaussstr.", "12", "42119")
    )

    (register,) = checks_by_kind(outcome, "register_has_applicant")
    assert register.passed is True
    assert register.data_read["matches"] == "secondary"
    assert str(register.explanation) == (
        "The resident register shows Gaussstr. 12, 42119 Wuppertal as the applicant’s secondary "
        "residence."
    )
    # Gaußstraße is not in a zone, and W-LS 1403 is not Aylin's car.
    assert outcome.approve is False
    assert failed(outcome) == ["address_in_list", "vehicles_held_by_applicant"]


def test_every_plate_is_checked_against_the_applicants_vehicles(city):
    outcome = parking(
        register_id=JUERGEN,
        address=address("Kaiserstraße", "101b", "42329"),
        plate_1="W-JW 620",
        plate_2="W-JW 62E",
        plate_3="W-LS 1403",
    )

    plates = checks_by_kind(outcome, "vehicles_held_by_applicant")
    assert [c.passed for c in plates] == [True, True, False]
    assert plates[0].data_read["vehicles_in_register"] == ["W-JW 620", "W-JW 62E"]
    assert failed(outcome) == ["address_in_list", "vehicles_held_by_applicant"]


def test_parking_permit_routed_without_a_register_id(city, english):
    outcome = parking(register_id="")

    assert outcome.approve is False
    assert failed(outcome) == [
        "register_has_applicant",
        "vehicles_held_by_applicant",
    ]
    assert outcome.reasons_for_caseworker() == [
        "The login is not linked to an entry in the resident register, so the register could "
        "not be checked.",
        "The login is not linked to an entry in the resident register, so the vehicle "
        "W-LS 1403 could not be checked.",
    ]


# --- Meldebescheinigung -------------------------------------------------------------------------


def test_certificate_approved_at_high_for_a_registered_person(city, english):
    outcome = certificate(register_id=LENA, assurance=HIGH)

    assert outcome.approve is True
    assert outcome.rule.rule_id == "certificate_from_register"
    register = outcome.rule.checks[1]
    assert register.field is None
    # Without an address to compare, the check reads nothing but whether the person exists.
    assert register.data_read == {"register_id": LENA, "found": True}
    assert str(register.explanation) == "The applicant is registered in the resident register."


def test_certificate_routed_at_substantial(city, no_register):
    outcome = certificate(register_id=LENA, assurance=SUBSTANTIAL)

    assert outcome.approve is False
    assert failed(outcome) == ["assurance_at_least", "register_has_applicant"]


@pytest.mark.parametrize(
    ("register_id", "reason"),
    [
        (
            "",
            "The login is not linked to an entry in the resident register, so the register "
            "could not be checked.",
        ),
        ("999999", "The applicant was not found in the resident register."),
    ],
)
def test_certificate_routed_when_the_register_does_not_know_the_applicant(
    city, english, register_id, reason
):
    outcome = certificate(register_id=register_id, assurance=HIGH)

    assert outcome.approve is False
    assert outcome.reasons_for_caseworker() == [reason]


# --- the record and the reasons -----------------------------------------------------------------


def test_as_json_is_serialisable_and_holds_every_check_with_what_it_read(city, english):
    outcome = parking(plate_2="W-XY 77")

    record = json.loads(json.dumps(outcome.as_json()))

    assert record["approve"] is False
    assert record["rule"] is None
    (rule,) = record["rules"]
    assert rule["id"] == PARKING_RULE
    assert rule["legal_basis"].startswith("§ 35a VwVfG NRW")
    assert rule["passed"] is False
    assert len(rule["checks"]) == 7
    for check in rule["checks"]:
        assert set(check) == {"check", "field", "passed", "data_read", "explanation"}
        assert check["data_read"]
        assert isinstance(check["explanation"], str) and check["explanation"]
    assert rule["checks"][5] == {
        "check": "vehicles_held_by_applicant",
        "field": "plate_2",
        "passed": False,
        "data_read": {"plate": "W-XY 77", "vehicles_in_register": ["W-LS 1403"]},
        "explanation": (
            "The vehicle W-XY 77 is not registered to the applicant in the vehicle register."
        ),
    }


def test_approved_record_names_the_rule(city):
    record = json.loads(json.dumps(parking().as_json()))

    assert record["approve"] is True
    assert record["rule"] == PARKING_RULE
    assert all(check["passed"] for check in record["rules"][0]["checks"])


def test_explanations_are_rendered_in_the_language_active_when_rendered(city):
    with translation.override("en"):
        outcome = parking(assurance=BASIC, registered_to_applicant=False)
    (assurance,) = checks_by_kind(outcome, "assurance_at_least")
    (answer,) = checks_by_kind(outcome, "answer")
    assert isinstance(assurance.explanation, Promise)

    with translation.override("de"):
        assert "niedrig" in str(assurance.explanation)
        assert "Nein" in str(answer.explanation)
        assert "Nein" in outcome.as_json()["rules"][0]["checks"][3]["explanation"]
    with translation.override("en"):
        assert "“basic”" in str(assurance.explanation)
        assert "“No”" in str(answer.explanation)


def test_reasons_for_caseworker_are_only_the_failed_checks(city, english):
    outcome = parking(plate_2="W-XY 77", registered_to_applicant=False)

    reasons = outcome.reasons_for_caseworker()

    assert len(reasons) == 2
    assert "W-XY 77" in reasons[1]
    assert not any("W-LS 1403" in reason for reason in reasons)


# --- robustness -----------------------------------------------------------------------------


class BrokenRegister:
    def person_by_id(self, *, register_id):
        raise ConnectionError("register gateway unreachable")

    def vehicles_of_person(self, *, register_id):
        raise ConnectionError("register gateway unreachable")


def test_a_register_error_routes_to_a_caseworker_instead_of_crashing(city, english, monkeypatch):
    monkeypatch.setattr(automation, "registry", BrokenRegister)

    outcome = parking()

    assert outcome.approve is False
    assert failed(outcome) == [
        "register_has_applicant",
        "vehicles_held_by_applicant",
    ]
    (register,) = checks_by_kind(outcome, "register_has_applicant")
    assert register.data_read == {"error": "ConnectionError"}
    assert outcome.reasons_for_caseworker() == [
        "The resident register could not be checked because of a technical error.",
        "The vehicle register could not be checked because of a technical error.",
    ]
    assert all("could not be checked" in reason for reason in outcome.reasons_for_caseworker())
    # The empty optional plates need no register and still pass.
    assert [c.passed for c in checks_by_kind(outcome, "vehicles_held_by_applicant")] == [
        False,
        True,
        True,
    ]


def test_an_invalid_assurance_level_is_not_checked_and_does_not_approve(city, english):
    outcome = parking(assurance=0)

    assert outcome.approve is False
    assert "could not be checked" in outcome.reasons_for_caseworker()[0]


def spec_with_rules(slug: str, rules: list[dict] | None) -> ServiceDefinition:
    data = copy.deepcopy(definition(slug).data)
    if rules is None:
        data.pop("automation", None)
    else:
        data["automation"] = rules
    return ServiceDefinition(data)


def rule(rule_id: str, *checks: dict, outcome: str = "approve") -> dict:
    return {
        "id": rule_id,
        "outcome": outcome,
        "legal_basis": "§ 35a VwVfG NRW",
        "explanation": {"de": "Test", "en": "Test"},
        "checks": list(checks),
    }


def evaluate(spec: ServiceDefinition, **kwargs):
    kwargs = {"answers": parking_answers(), "register_id": LENA, "assurance": SUBSTANTIAL} | kwargs
    return automation_evaluate(definition=spec, **kwargs)


def test_no_rules_never_approve(city):
    outcome = evaluate(spec_with_rules("bewohnerparkausweis", None))

    assert outcome.approve is False
    assert outcome.rule is None
    assert outcome.results == []
    assert outcome.as_json() == {"approve": False, "rule": None, "rules": []}
    assert outcome.reasons_for_caseworker() == []


def test_rules_are_tried_in_order_and_the_first_that_passes_approves(city):
    high = {"check": "assurance_at_least", "level": "high"}
    substantial = {"check": "assurance_at_least", "level": "substantial"}
    spec = spec_with_rules(
        "bewohnerparkausweis",
        [rule("first", high), rule("second", substantial), rule("third", substantial)],
    )

    outcome = evaluate(spec)

    assert outcome.approve is True
    assert outcome.rule.rule_id == "second"
    assert [r.rule_id for r in outcome.results] == ["first", "second"]
    assert [r.passed for r in outcome.results] == [False, True]


def test_a_rule_without_checks_an_unknown_or_empty_check_or_another_outcome_never_approves(
    city, english
):
    substantial = {"check": "assurance_at_least", "level": "substantial"}
    spec = spec_with_rules(
        "bewohnerparkausweis",
        [
            rule("empty"),
            rule("unknown", {"check": "always_true"}),
            rule("vacuous", {"check": "answer"}),
            rule("reject", substantial, outcome="reject"),
        ],
    )

    outcome = evaluate(spec)

    assert outcome.approve is False
    assert [r.passed for r in outcome.results] == [False, False, False, False]
    assert outcome.results[0].checks == []
    assert outcome.reasons_for_caseworker() == [
        "The check “always_true” is not known, so it cannot approve the application.",
        "The check has no condition, so it cannot approve the application.",
        "The rule’s outcome “reject” cannot be decided automatically.",
    ]
