"""Read `catalog/<slug>/service.yaml`, validate it and say exactly where a problem is."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from .definition import ServiceDefinition
from .fieldtypes import FIELD_TYPES, PREFILL_SOURCES
from .schema import SERVICE_SCHEMA

DEFINITION_FILE = "service.yaml"
_validator = Draft202012Validator(SERVICE_SCHEMA)


@dataclass(frozen=True)
class CatalogProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CatalogError(Exception):
    def __init__(self, problems: list[CatalogProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedDefinition:
    path: Path
    data: dict
    content_hash: str


def line_of(node: yaml.Node, path: tuple) -> int:
    """The line of the deepest YAML node that `path` reaches (1-based)."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = match
    return node.start_mark.line + 1


def definition_read(path: Path) -> LoadedDefinition:
    """Parse and validate one definition file; raise CatalogError naming file, line and problem."""
    name = str(path)
    try:
        source = path.read_text(encoding="utf-8")
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except UnicodeDecodeError:
        raise CatalogError([CatalogProblem(name, 1, "the file is not UTF-8")]) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise CatalogError([CatalogProblem(name, line, f"not valid YAML: {exc.problem}")]) from None
    if not isinstance(data, dict) or node is None:
        raise CatalogError([CatalogProblem(name, 1, "the file must hold a mapping")])

    problems = [
        CatalogProblem(name, line_of(node, tuple(error.absolute_path)), _message(error))
        for error in sorted(_validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if not problems:
        definition = ServiceDefinition(data)
        for problem in definition.problems(
            field_types=FIELD_TYPES, prefill_sources=PREFILL_SOURCES
        ):
            problems.append(CatalogProblem(name, line_of(node, problem.path), problem.message))
        if data["slug"] != path.parent.name:
            problems.append(
                CatalogProblem(
                    name,
                    line_of(node, ("slug",)),
                    f"slug {data['slug']!r} differs from the folder name {path.parent.name!r}",
                )
            )
    if problems:
        raise CatalogError(problems)
    # YAML dates become ISO strings: the definition is stored as JSON.
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return LoadedDefinition(
        path, json.loads(canonical), hashlib.sha256(canonical.encode()).hexdigest()
    )


def _message(error) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "oneOf" and error.path and "when" in [str(p) for p in error.path]:
        return f"{where}: a condition needs field with equals, not_equals or in, or all/any"
    return f"{where}: {error.message}" if where else error.message


def definition_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p / DEFINITION_FILE for p in root.iterdir() if (p / DEFINITION_FILE).is_file())
