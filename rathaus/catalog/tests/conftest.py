import textwrap
from pathlib import Path

import pytest

from rathaus.accounts.tests.factories import DepartmentFactory

SMALL_SERVICE = """\
slug: testleistung
title: {de: Testleistung, en: Test service}
summary: {de: Kurz, en: Short}
description: {de: Lang, en: Long}
department: "104"
assurance: basic
processing_days: 14
draft_days: 30
retention_days: 365
documents: [receipt]
fee:
  amount: "30.00"
  rules:
    - when: {field: kind, equals: change}
      amount: "15.00"
data:
  zone: [{street: Luisenstraße, postcode: "42103", from: 1, to: 99}]
steps:
  - id: kind
    title: {de: Art, en: Kind}
    fields:
      - id: kind
        type: choice
        label: {de: Art, en: Kind}
        choices:
          - {value: new, label: {de: Neu, en: New}}
          - {value: change, label: {de: Änderung, en: Change}}
  - id: address
    title: {de: Anschrift, en: Address}
    fields:
      - id: address
        type: address
        label: {de: Anschrift, en: Address}
        validate: [{rule: address_in_list, data: zone}]
  - id: proof
    title: {de: Nachweis, en: Proof}
    when: {field: kind, equals: change}
    fields:
      - id: proof
        type: file
        label: {de: Nachweis, en: Proof}
        accept: [pdf, jpeg, png]
        max_size_mb: 1
"""


def one_step_service(*, slug: str, department: str, field: str, extra: str = "") -> str:
    """A one-page service definition whose single field is the YAML `field` mapping."""
    return (
        f"slug: {slug}\n"
        f"title: {{de: {slug}, en: {slug}}}\n"
        "summary: {de: Kurz, en: Short}\n"
        "description: {de: Lang, en: Long}\n"
        f'department: "{department}"\n'
        "assurance: basic\n"
        "processing_days: 7\n"
        "draft_days: 30\n"
        "retention_days: 90\n"
        "documents: [receipt]\n"
        f"{extra}"
        "steps:\n"
        "  - id: page\n"
        "    title: {de: Seite, en: Page}\n"
        "    fields:\n"
        f"      - {field}\n"
    )


def write_service(root: Path, text: str, slug: str = "testleistung") -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "service.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def catalog_dir(tmp_path, db):
    DepartmentFactory(code="104", slug="verkehr", name="Straßen und Verkehr")
    write_service(tmp_path, SMALL_SERVICE)
    return tmp_path
