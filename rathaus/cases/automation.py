"""Automated decisions (§ 35a VwVfG): evaluate a service's `automation` rules against a case.

Pure logic: reads the answers, the login's level of assurance and the resident register, and
writes nothing. A rule only ever approves; when no rule passes completely the case goes to a
caseworker, who gets the explanations of the checks that failed. Every check records what it
looked at (`data_read`, only what it needed) and one plain-language sentence saying what was
checked and what came out, so the decision can be explained to the citizen and audited.

Checks are evaluated in a rule's order, all of them, so that a caseworker sees every reason at
once, with one exception: when the login's level of assurance is too low, the register is not
consulted at all (the login is not sure enough of who is asking to read their register data).
A check that raises fails as "could not be checked" instead of stopping the evaluation.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import LevelOfAssurance
from rathaus.catalog.definition import (
    ServiceDefinition,
    address_in_list,
    condition_fields,
    condition_holds,
    text,
)
from rathaus.catalog.fieldtypes import FIELD_TYPES
from rathaus.registry.backends.base import AddressRecord, ResidentRecord
from rathaus.registry.matching import address_lookup_key, plate_normalise
from rathaus.registry.selectors import registry

logger = logging.getLogger(__name__)

# Checks that read the resident or vehicle register; skipped when the assurance is too low.
REGISTER_CHECKS = frozenset({"register_has_applicant", "vehicles_held_by_applicant"})


@dataclass(frozen=True)
class CheckResult:
    check: str
    field: str | None
    passed: bool
    data_read: dict
    # A lazy string: rendered in the language active when it is turned into text.
    explanation: Promise | str


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    legal_basis: str
    passed: bool
    checks: list[CheckResult]


@dataclass(frozen=True)
class AutomationOutcome:
    approve: bool
    rule: RuleResult | None
    results: list[RuleResult]

    def as_json(self) -> dict:
        """The record stored on the case; explanations rendered in the active language."""
        return {
            "approve": self.approve,
            "rule": self.rule.rule_id if self.rule else None,
            "rules": [
                {
                    "id": rule.rule_id,
                    "legal_basis": rule.legal_basis,
                    "passed": rule.passed,
                    "checks": [
                        {
                            "check": check.check,
                            "field": check.field,
                            "passed": check.passed,
                            "data_read": dict(check.data_read),
                            "explanation": str(check.explanation),
                        }
                        for check in rule.checks
                    ],
                }
                for rule in self.results
            ],
        }

    def reasons_for_caseworker(self) -> list[str]:
        """The explanations of the failed checks, in order, without repeats across rules."""
        reasons: list[str] = []
        for rule in self.results:
            for check in rule.checks:
                reason = str(check.explanation)
                if not check.passed and reason not in reasons:
                    reasons.append(reason)
        return reasons


def _explain(message: Promise, **params: Any) -> Promise:
    """`message % params`, rendered lazily (parameters may be lazy strings themselves)."""
    return lazy(lambda: str(message) % {k: str(v) for k, v in params.items()}, str)()


def _address_text(address: dict | AddressRecord | None) -> str:
    if address is None:
        return ""
    if isinstance(address, AddressRecord):
        address = {
            "street": address.street,
            "house_number": address.house_number,
            "postcode": address.postcode,
            "town": address.town,
        }
    line = f"{address.get('street', '')} {address.get('house_number', '')}".strip()
    place = f"{address.get('postcode', '')} {address.get('town', '')}".strip()
    return ", ".join(part for part in (line, place) if part)


def _address_key(address: dict | AddressRecord) -> str:
    if isinstance(address, AddressRecord):
        return address_lookup_key(
            street=address.street, house_number=address.house_number, postcode=address.postcode
        )
    return address_lookup_key(
        street=str(address.get("street", "")),
        house_number=str(address.get("house_number", "")),
        postcode=str(address.get("postcode", "")),
    )


def _level_name(level: int) -> str:
    return LevelOfAssurance(level).name.lower()


class _Evaluation:
    """One evaluation: the inputs, and the register lookups made (each at most once)."""

    def __init__(
        self, *, definition: ServiceDefinition, answers: dict, register_id: str, assurance: int
    ):
        self.definition = definition
        self.answers = answers
        self.register_id = (register_id or "").strip()
        self.assurance = assurance
        self._person: tuple[ResidentRecord | None] | None = None
        self._plates: list[str] | None = None

    def person(self) -> ResidentRecord | None:
        if self._person is None:
            self._person = (registry().person_by_id(register_id=self.register_id),)
        return self._person[0]

    def plates(self) -> list[str]:
        if self._plates is None:
            plates = []
            for vehicle in registry().vehicles_of_person(register_id=self.register_id):
                try:
                    plates.append(plate_normalise(vehicle.plate))
                except ValueError:
                    plates.append(vehicle.plate)
            self._plates = plates
        return self._plates

    # --- the checks: each returns (passed, data_read, explanation) --------------------------

    def assurance_at_least(self, spec: dict) -> tuple[bool, dict, Promise]:
        required = LevelOfAssurance[spec["level"].upper()]
        actual = LevelOfAssurance(self.assurance)
        data = {"assurance": _level_name(actual), "required": _level_name(required)}
        params = {"actual": actual.label, "required": required.label}
        if actual >= required:
            message = _(
                "The applicant logged in with the level of assurance “%(actual)s”; at least "
                "“%(required)s” is required."
            )
            return True, data, _explain(message, **params)
        message = _(
            "The applicant logged in with the level of assurance “%(actual)s”, "
            "but at least “%(required)s” is required."
        )
        return False, data, _explain(message, **params)

    def register_has_applicant(self, spec: dict) -> tuple[bool, dict, Promise]:
        if not self.register_id:
            message = _(
                "The login is not linked to an entry in the resident register, so the register "
                "could not be checked."
            )
            return False, {"register_id": None}, message
        person = self.person()
        data: dict[str, Any] = {"register_id": self.register_id, "found": person is not None}
        if person is None:
            return False, data, _("The applicant was not found in the resident register.")
        if not spec.get("field"):
            return True, data, _("The applicant is registered in the resident register.")
        address = self.answers.get(spec["field"])
        data["address"] = _address_text(address) if isinstance(address, dict) else None
        if not isinstance(address, dict) or not address:
            message = _("No address was given to compare with the resident register.")
            return False, data, message
        # Evidence kept: on a match, which residence matched (the address is the answer); on a
        # mismatch, what the register holds, for the caseworker.
        main, secondary = person.address, person.secondary_address
        key = _address_key(address)
        if key == _address_key(main):
            data["matches"] = "main"
            message = _(
                "The resident register shows %(address)s as the applicant’s main residence."
            )
            return True, data, _explain(message, address=data["address"])
        if secondary is not None and key == _address_key(secondary):
            data["matches"] = "secondary"
            message = _(
                "The resident register shows %(address)s as the applicant’s secondary residence."
            )
            return True, data, _explain(message, address=data["address"])
        data["matches"] = None
        data["register_main_address"] = _address_text(main)
        data["register_secondary_address"] = _address_text(secondary) or None
        message = _(
            "The resident register does not show %(address)s as the applicant’s main or "
            "secondary residence."
        )
        return False, data, _explain(message, address=data["address"])

    def address_in_list(self, spec: dict) -> tuple[bool, dict, Promise]:
        address = self.answers.get(spec["field"])
        data: dict[str, Any] = {
            "address": _address_text(address) if isinstance(address, dict) else None,
            "list": spec["data"],
        }
        if not isinstance(address, dict) or not address:
            message = _("No address was given to compare with the list “%(list)s”.")
            return False, data, _explain(message, list=spec["data"])
        params = {"address": data["address"], "list": spec["data"]}
        if address_in_list(address, self.definition.dataset(spec["data"])):
            message = _("The address %(address)s is in the area covered by the list “%(list)s”.")
            return True, data, _explain(message, **params)
        message = _("The address %(address)s is not in the area covered by the list “%(list)s”.")
        return False, data, _explain(message, **params)

    def vehicles_held_by_applicant(self, spec: dict) -> tuple[bool, dict, Promise]:
        given = self.answers.get(spec["field"])
        if not given:
            message = _("No licence plate was given here, so there is no vehicle to check.")
            return True, {"plate": None}, message
        try:
            plate = plate_normalise(str(given))
        except ValueError:
            message = _("“%(plate)s” is not a licence plate that can be looked up.")
            return False, {"plate": str(given)}, _explain(message, plate=given)
        if not self.register_id:
            message = _(
                "The login is not linked to an entry in the resident register, so the vehicle "
                "%(plate)s could not be checked."
            )
            return False, {"plate": plate, "register_id": None}, _explain(message, plate=plate)
        plates = self.plates()
        data = {"plate": plate, "vehicles_in_register": plates}
        if plate in plates:
            message = _("The vehicle %(plate)s is registered to the applicant.")
            return True, data, _explain(message, plate=plate)
        message = _(
            "The vehicle %(plate)s is not registered to the applicant in the vehicle register."
        )
        return False, data, _explain(message, plate=plate)

    def answer(self, spec: dict) -> tuple[bool, dict, Promise]:
        condition = spec.get("condition")
        if not condition:
            # condition_holds() takes no condition as true: a check of nothing never approves.
            return False, {}, _("The check has no condition, so it cannot approve the application.")
        names = list(dict.fromkeys(condition_fields(condition)))
        data = {name: self.answers.get(name) for name in names}
        passed = condition_holds(condition, self.answers)
        if len(names) == 1:
            params = {
                "question": lazy(self._question, str)(names[0]),
                "answer": lazy(self._shown, str)(names[0]),
            }
            if passed:
                message = _(
                    "The answer to “%(question)s” is “%(answer)s”, which allows an automatic "
                    "decision."
                )
            else:
                message = _(
                    "The answer to “%(question)s” is “%(answer)s”, which does not allow an "
                    "automatic decision."
                )
            return passed, data, _explain(message, **params)
        answers = lazy(
            lambda: "; ".join(f"“{self._question(n)}”: “{self._shown(n)}”" for n in names), str
        )()
        if passed:
            message = _("The answers given (%(answers)s) allow an automatic decision.")
        else:
            message = _("The answers given (%(answers)s) do not allow an automatic decision.")
        return passed, data, _explain(message, answers=answers)

    def _question(self, name: str) -> str:
        spec = self.definition.field(name)
        return text(spec["label"]) if spec else name

    def _shown(self, name: str) -> str:
        spec, value = self.definition.field(name), self.answers.get(name)
        if spec and spec["type"] in FIELD_TYPES:
            shown = FIELD_TYPES[spec["type"]].display(value, spec)
        else:
            shown = "" if value is None else str(value)
        return shown or str(_("no answer"))

    # --- running them -----------------------------------------------------------------------

    def check(self, spec: dict, *, assurance_ok: bool = True) -> CheckResult:
        kind = str(spec.get("check", ""))
        evaluate: Callable[[dict], tuple[bool, dict, Promise]] | None = {
            "assurance_at_least": self.assurance_at_least,
            "register_has_applicant": self.register_has_applicant,
            "address_in_list": self.address_in_list,
            "vehicles_held_by_applicant": self.vehicles_held_by_applicant,
            "answer": self.answer,
        }.get(kind)
        if evaluate is None:
            message = _("The check “%(check)s” is not known, so it cannot approve the application.")
            passed, data, explanation = False, {}, _explain(message, check=kind)
        elif kind in REGISTER_CHECKS and not assurance_ok:
            passed, data = False, {}
            explanation = _(
                "The register was not consulted because the level of assurance of the login is "
                "too low."
            )
        else:
            try:
                # A savepoint: a database error in a register backend must not break the
                # caller's transaction (PostgreSQL refuses every further query after one).
                with transaction.atomic():
                    passed, data, explanation = evaluate(spec)
            except Exception as exc:
                logger.exception("Automation check %s could not be evaluated", kind)
                passed, data = False, {"error": type(exc).__name__}
                explanation = _could_not_check(kind)
        return CheckResult(
            check=kind,
            field=spec.get("field"),
            passed=bool(passed),
            data_read=data,
            explanation=explanation,
        )

    def rule(self, rule: dict) -> RuleResult:
        specs = rule.get("checks") or []
        # Assurance first: its result decides whether the register may be read at all.
        done = {
            index: self.check(spec)
            for index, spec in enumerate(specs)
            if spec.get("check") == "assurance_at_least"
        }
        assurance_ok = all(check.passed for check in done.values())
        checks = [
            done[index] if index in done else self.check(spec, assurance_ok=assurance_ok)
            for index, spec in enumerate(specs)
        ]
        if rule.get("outcome") != "approve":
            outcome = str(rule.get("outcome"))
            message = _("The rule’s outcome “%(outcome)s” cannot be decided automatically.")
            checks.append(
                CheckResult(
                    check="outcome",
                    field=None,
                    passed=False,
                    data_read={"outcome": outcome},
                    explanation=_explain(message, outcome=outcome),
                )
            )
        # A rule without checks would approve anything: it never approves.
        passed = bool(checks) and all(check.passed for check in checks)
        return RuleResult(
            rule_id=str(rule.get("id", "")),
            legal_basis=str(rule.get("legal_basis", "")),
            passed=passed,
            checks=checks,
        )


def _could_not_check(kind: str) -> Promise:
    if kind == "register_has_applicant":
        return _("The resident register could not be checked because of a technical error.")
    if kind == "vehicles_held_by_applicant":
        return _("The vehicle register could not be checked because of a technical error.")
    message = _("The check “%(check)s” could not be checked because of a technical error.")
    return _explain(message, check=kind)


def automation_evaluate(
    *, definition: ServiceDefinition, answers: dict, register_id: str, assurance: int
) -> AutomationOutcome:
    """Evaluate the definition's rules in order; the first that passes completely approves.

    `assurance` is the LevelOfAssurance (int) of the login that submitted. Without a passing
    rule the outcome does not approve: the case goes to a caseworker (rules never reject).
    """
    evaluation = _Evaluation(
        definition=definition, answers=answers, register_id=register_id, assurance=assurance
    )
    results: list[RuleResult] = []
    for rule in definition.data.get("automation") or []:
        result = evaluation.rule(rule)
        results.append(result)
        if result.passed:
            return AutomationOutcome(approve=True, rule=result, results=results)
    return AutomationOutcome(approve=False, rule=None, results=results)
