"""The routing table `catalog/intake.yaml`: document types, their labels and owning departments.

Validated on every use (parsed again whenever the file changes): a department that does not
exist, or a type without German and English labels, is an error that names the file and line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import get_language
from jsonschema import Draft202012Validator

from rathaus.accounts.models import Department
from rathaus.catalog.loader import line_of

ROUTING_FILE = "intake.yaml"
OTHER = "other"

_LABEL = {
    "type": "object",
    "properties": {"de": {"type": "string", "minLength": 1}, "en": {"type": "string"}},
    "required": ["de", "en"],
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "properties": {
        "triage_department": {"type": "string", "minLength": 1},
        "types": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "label": _LABEL,
                    "department": {"type": ["string", "null"]},
                    "follow_case": {"type": "boolean"},
                    "any_topic": {"type": "boolean"},
                    "terms": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "[^*\\s]"},
                    },
                },
                "required": ["label", "department"],
                "additionalProperties": False,
            },
            "required": [OTHER],
        },
    },
    "required": ["triage_department", "types"],
    "additionalProperties": False,
}
_validator = Draft202012Validator(SCHEMA)


class RoutingConfigError(ValueError):
    """The routing table is not usable; the message names the file and line."""


@dataclass(frozen=True)
class DocumentType:
    slug: str
    label_de: str
    label_en: str
    department: str | None
    follow_case: bool
    terms: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "de")[:2] == "en" else self.label_de


@dataclass(frozen=True)
class RoutingTable:
    triage_department: str
    types: dict[str, DocumentType]

    def type_of(self, slug: str) -> DocumentType | None:
        return self.types.get(slug)

    def choices(self) -> list[tuple[str, str]]:
        return [(t.slug, t.label) for t in self.types.values()]


def routing_path() -> Path:
    return Path(settings.RATHAUS_CATALOG_DIR) / ROUTING_FILE


@functools.lru_cache(maxsize=4)
def _parsed(name: str, mtime_ns: int, size: int):
    """The file's YAML (node tree and data) and its first schema error, if any: parsed and
    checked again whenever the file changes, not for every letter (the terms make the check
    cost some 20 ms)."""
    source = Path(name).read_text(encoding="utf-8")
    node, data = yaml.compose(source, Loader=yaml.SafeLoader), yaml.safe_load(source)
    if not isinstance(data, dict) or node is None:
        return node, data, None
    errors = sorted(_validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return node, data, errors[0] if errors else None


def _routing_data(path: Path):
    """The file's node tree and data, checked against the schema."""
    name = str(path)
    try:
        stat = path.stat()
        node, data, error = _parsed(name, stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        raise RoutingConfigError(f"{name}: the routing table is missing") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise RoutingConfigError(f"{name}:{line}: not valid YAML: {exc.problem}") from None
    if not isinstance(data, dict) or node is None:
        raise RoutingConfigError(f"{name}:1: the file must hold a mapping")
    if error is not None:
        line = line_of(node, tuple(error.absolute_path))
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        raise RoutingConfigError(f"{name}:{line}: {where}: {error.message}")
    return node, data


def routing_table(*, path: Path | None = None) -> RoutingTable:
    """Read and check the routing table; raise RoutingConfigError naming file and line."""
    path = path or routing_path()
    name = str(path)
    node, data = _routing_data(path)
    known = set(Department.objects.values_list("code", flat=True))
    wanted = [(("triage_department",), data["triage_department"])] + [
        (("types", slug, "department"), spec["department"])
        for slug, spec in data["types"].items()
        if spec["department"] is not None
    ]
    for path_in_file, code in wanted:
        if code not in known:
            line = line_of(node, path_in_file)
            raise RoutingConfigError(
                f"{name}:{line}: department {code!r} does not exist "
                "(create it first, for example with manage.py demo_city)"
            )
    if data["types"][OTHER]["department"] is not None:
        line = line_of(node, ("types", OTHER, "department"))
        raise RoutingConfigError(f"{name}:{line}: the type 'other' must go to the triage queue")
    types = {
        slug: DocumentType(
            slug=slug,
            label_de=spec["label"]["de"],
            label_en=spec["label"]["en"] or spec["label"]["de"],
            department=spec["department"],
            follow_case=spec.get("follow_case", False),
            terms=tuple(spec.get("terms", ())),
        )
        for slug, spec in data["types"].items()
    }
    return RoutingTable(triage_department=data["triage_department"], types=types)


def classifier_vocabulary(*, path: Path | None = None):
    """The terms of each document type and the types that may be about any topic: the
    vocabulary of the classifier `intake` (docs/classifier.md). Read from the routing table
    without its department checks: a model can be trained before the departments exist."""
    from rathaus.classifier.training import Vocabulary

    _node, data = _routing_data(path or routing_path())
    return Vocabulary.of_types(data["types"])


@dataclass(frozen=True)
class RouteDecision:
    department: str  # the code of the department whose mail inbox gets the letter
    triage: bool
    explanation: dict  # reason and the facts behind it; see selectors.routing_explained


def route_decide(
    *,
    table: RoutingTable,
    document_type: str,
    confidence: float | None,
    abstained: bool,
    model_version: str,
    case=None,
) -> RouteDecision:
    """Where a letter goes: the owner of its type, the department of the case it quotes, or,
    when the classifier was not sure (or the type belongs to nobody), the triage queue."""
    known = table.type_of(document_type) if document_type else None
    facts = {
        "type": document_type or None,
        "confidence": confidence,
        "model_version": model_version or None,
        "reference": case.reference if case is not None else None,
    }
    trusted = known is not None and not abstained
    if case is not None and (not trusted or known.follow_case):
        reason = "case" if trusted else "case_untyped"
        return RouteDecision(case.department.code, False, {**facts, "reason": reason})
    if trusted and known.department:
        return RouteDecision(known.department, False, {**facts, "reason": "type"})
    if not model_version:
        reason = "no_model"
    elif document_type == OTHER:
        reason = "other"  # the classifier is sure it belongs to no department
    elif document_type and known is None:
        reason = "unknown_type"
    else:
        reason = "abstained"
    return RouteDecision(table.triage_department, True, {**facts, "reason": reason})
