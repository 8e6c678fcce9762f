"""A loaded service definition: steps, fields, conditions, fee, and checks beyond the schema."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from rathaus.registry.matching import house_number_key, street_key

Path = tuple[str | int, ...]


def text(value: dict | None, language: str | None = None) -> str:
    """The `de`/`en` text in the active language (German when English is missing)."""
    if not value:
        return ""
    language = (language or get_language() or "de")[:2]
    return value.get(language) or value.get("de", "")


def condition_holds(condition: dict | None, answers: dict[str, Any]) -> bool:
    """Evaluate a `when` condition against answers; no condition always holds."""
    if not condition:
        return True
    if "all" in condition:
        return all(condition_holds(part, answers) for part in condition["all"])
    if "any" in condition:
        return any(condition_holds(part, answers) for part in condition["any"])
    value = answers.get(condition["field"])
    if "equals" in condition:
        return value == condition["equals"]
    if "not_equals" in condition:
        return value != condition["not_equals"]
    return value in condition["in"]


def condition_fields(condition: dict | None) -> Iterator[str]:
    if not condition:
        return
    for part in condition.get("all", []) + condition.get("any", []):
        yield from condition_fields(part)
    if "field" in condition:
        yield condition["field"]


def address_in_list(address: dict, entries: list[dict]) -> bool:
    """Whether an address lies in a list of streets with optional house-number ranges."""
    return address_entry(address, entries) is not None


def address_entry(address: dict, entries: list[dict]) -> dict | None:
    """The first entry of a list of streets that covers an address (None if none does).

    An entry is {street, [postcode], [house_number] | [from, to, [parity: odd|even]]} and may
    carry more keys, such as the name of a residents' parking zone.
    """
    street = street_key(address.get("street", ""))
    number_text = house_number_key(address.get("house_number", ""))
    digits = "".join(ch for ch in number_text if ch.isdigit())
    number = int(digits) if digits else None
    for entry in entries:
        if street_key(entry["street"]) != street:
            continue
        if entry.get("postcode") and entry["postcode"] != address.get("postcode"):
            continue
        if "house_number" in entry:
            if house_number_key(str(entry["house_number"])) == number_text:
                return entry
            continue
        if number is None:
            continue
        if not entry.get("from", 0) <= number <= entry.get("to", 10**6):
            continue
        parity = entry.get("parity", "all")
        if parity == "all" or (number % 2 == 1) == (parity == "odd"):
            return entry
    return None


@dataclass(frozen=True)
class DefinitionProblem:
    path: Path
    message: str


class ServiceDefinition:
    """Read access to a validated definition (the JSON stored in a ServiceVersion)."""

    def __init__(self, data: dict):
        self.data = data

    @property
    def slug(self) -> str:
        return self.data["slug"]

    @property
    def steps(self) -> list[dict]:
        return self.data["steps"]

    def step(self, step_id: str) -> dict | None:
        return next((s for s in self.steps if s["id"] == step_id), None)

    def fields(self) -> Iterator[tuple[dict, dict]]:
        for step in self.steps:
            for field in step["fields"]:
                yield step, field

    def field(self, field_id: str) -> dict | None:
        return next((f for _, f in self.fields() if f["id"] == field_id), None)

    def visible_steps(self, answers: dict) -> list[dict]:
        return [s for s in self.steps if condition_holds(s.get("when"), answers)]

    def visible_fields(self, step: dict, answers: dict) -> list[dict]:
        return [f for f in step["fields"] if condition_holds(f.get("when"), answers)]

    def fee(self, answers: dict) -> Decimal | None:
        fee = self.data.get("fee")
        if not fee:
            return None
        for rule in fee.get("rules", []):
            if condition_holds(rule["when"], answers):
                return Decimal(rule["amount"])
        return Decimal(fee["amount"])

    def documents(self) -> list[dict]:
        """The documents the service produces: {kind, template} with the default template
        `documents/kinds/<kind>.html` where the definition names none."""
        return [
            {"kind": item, "template": f"documents/kinds/{item}.html"}
            if isinstance(item, str)
            else {"template": f"documents/kinds/{item['kind']}.html", **item}
            for item in self.data.get("documents", [])
        ]

    def dataset(self, name: str) -> list:
        return self.data.get("data", {}).get(name, [])

    def problems(self, *, field_types: dict, prefill_sources: set[str]) -> list[DefinitionProblem]:
        """What the schema cannot check: unique ids, references, per-type options."""
        problems: list[DefinitionProblem] = []
        seen_steps: set[str] = set()
        known: set[str] = set()
        datasets = set(self.data.get("data", {}))

        def check_condition(condition: dict | None, path: Path, allowed: set[str]) -> None:
            for name in condition_fields(condition):
                if name not in allowed:
                    problems.append(
                        DefinitionProblem(
                            path,
                            f"condition refers to field {name!r}, not asked on an earlier step",
                        )
                    )

        for s, step in enumerate(self.steps):
            step_path: Path = ("steps", s)
            if step["id"] in seen_steps:
                problems.append(DefinitionProblem((*step_path, "id"), "duplicate step id"))
            seen_steps.add(step["id"])
            # Conditions look back: they may only use answers given on earlier pages.
            earlier = set(known)
            check_condition(step.get("when"), (*step_path, "when"), earlier)
            for f, field in enumerate(step["fields"]):
                path: Path = (*step_path, "fields", f)
                if field["id"] in known:
                    problems.append(
                        DefinitionProblem((*path, "id"), f"duplicate field id {field['id']!r}")
                    )
                check_condition(field.get("when"), (*path, "when"), earlier)
                field_type = field_types.get(field["type"])
                if field_type is None:
                    problems.append(
                        DefinitionProblem(
                            (*path, "type"),
                            f"unknown field type {field['type']!r}; known: "
                            + ", ".join(sorted(field_types)),
                        )
                    )
                else:
                    for key, message in field_type.problems(field):
                        problems.append(DefinitionProblem((*path, key), message))
                if field.get("prefill") and field["prefill"] not in prefill_sources:
                    problems.append(
                        DefinitionProblem(
                            (*path, "prefill"),
                            f"unknown prefill source {field['prefill']!r}; known: "
                            + ", ".join(sorted(prefill_sources)),
                        )
                    )
                if field.get("readonly") and not field.get("prefill"):
                    problems.append(
                        DefinitionProblem((*path, "readonly"), "a read-only field needs a prefill")
                    )
                for v, validation in enumerate(field.get("validate", [])):
                    if validation.get("data") and validation["data"] not in datasets:
                        problems.append(
                            DefinitionProblem(
                                (*path, "validate", v, "data"),
                                f"unknown data set {validation['data']!r}",
                            )
                        )
                known.add(field["id"])
        for r, rule in enumerate(self.data.get("fee", {}).get("rules", [])):
            check_condition(rule["when"], ("fee", "rules", r, "when"), known)
        for a, rule in enumerate(self.data.get("automation", [])):
            for c, check in enumerate(rule["checks"]):
                path = ("automation", a, "checks", c)
                if check.get("field") and check["field"] not in known:
                    problems.append(
                        DefinitionProblem((*path, "field"), f"unknown field {check['field']!r}")
                    )
                if check.get("data") and check["data"] not in datasets:
                    problems.append(
                        DefinitionProblem((*path, "data"), f"unknown data set {check['data']!r}")
                    )
                check_condition(check.get("condition"), (*path, "condition"), known)
        return problems
