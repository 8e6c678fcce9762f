"""Labelled letters from a manifest in the gold data format (one JSON object a line, see
docs/classifier.md), without Django: the import command and the benchmark read it alike."""

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ManifestProblem:
    line: int
    code: str  # "json", "label" or "text"


@dataclass(frozen=True)
class ManifestItem:
    line: int
    id: str
    text: str
    label: str
    text_field: str  # the field the text came from


def manifest_read(
    path: Path, *, text_fields: tuple[str, ...] = ("text",)
) -> tuple[list[ManifestItem], list[ManifestProblem]]:
    """The items of a manifest and the problems of the lines that are not usable.

    The text of an item is the first of `text_fields` that holds a non-empty string, so that
    `("ocr_text", "text")` takes the OCR text where there is one and the clean text elsewhere.
    """
    items, problems = [], []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if not isinstance(entry, dict):
                problems.append(ManifestProblem(line=number, code="json"))
                continue
            label = entry.get("label")
            if not isinstance(label, str) or not label:
                problems.append(ManifestProblem(line=number, code="label"))
                continue
            field = next(
                (f for f in text_fields if isinstance(entry.get(f), str) and entry[f].strip()),
                None,
            )
            if field is None:
                problems.append(ManifestProblem(line=number, code="text"))
                continue
            items.append(
                ManifestItem(
                    line=number,
                    id=str(entry.get("id", number)),
                    text=entry[field],
                    label=label,
                    text_field=field,
                )
            )
    return items, problems
