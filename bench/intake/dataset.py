"""Read the data sets written by `generate.py` (format: docs/intake-data.md)."""

import json
from pathlib import Path

MANIFEST = "manifest.jsonl"
KEYS = ("id", "file", "label", "pages", "rotation", "born_digital", "fields", "text")


def load_manifest(path: Path | str) -> list[dict]:
    """The items of a set, in order. `path` is the set's folder or its manifest.jsonl.

    Each item is the manifest's object plus `path`: the absolute path of its file."""
    path = Path(path)
    manifest = path / MANIFEST if path.is_dir() else path
    items = []
    with manifest.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{manifest}:{number}: not JSON ({error.msg})") from error
            missing = [key for key in KEYS if key not in item]
            if missing:
                raise ValueError(f"{manifest}:{number}: missing {', '.join(missing)}")
            item["path"] = str((manifest.parent / item["file"]).resolve())
            items.append(item)
    return items
