"""The routing table (catalog/intake.yaml) and the routing rules."""

from types import SimpleNamespace

import pytest
import yaml

from rathaus.accounts.models import Department
from rathaus.classifier.vocabularies import VocabularyError, vocabulary_for
from rathaus.intake.routing import (
    RoutingConfigError,
    classifier_vocabulary,
    route_decide,
    routing_path,
    routing_table,
)

pytestmark = pytest.mark.django_db


def test_the_shipped_table_names_every_type_with_both_labels(departments):
    table = routing_table()

    assert set(table.types) == {
        "objection",
        "parking_application",
        "business_registration",
        "fine_hearing_response",
        "dog_tax",
        "supplier_invoice",
        "complaint",
        "social_benefits",
        "childcare",
        "building_permit",
        "registration",
        "other",
    }
    assert table.triage_department == "400"
    assert table.types["objection"].department == "030"
    assert table.types["other"].department is None
    assert all(t.label_de and t.label_en for t in table.types.values())


def test_an_unknown_department_is_an_error_naming_the_line(departments, tmp_path):
    Department.objects.filter(code="107").delete()

    with pytest.raises(RoutingConfigError) as error:
        routing_table()

    source = routing_path().read_text().splitlines()
    line = next(n for n, text in enumerate(source, 1) if '"107"' in text)
    assert f"intake.yaml:{line}:" in str(error.value)
    assert "'107' does not exist" in str(error.value)


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("triage_department: '400'\ntypes:\n  other: {label: {de: X}, department: null}\n", ":3:"),
        ("triage_department: '400'\ntypes: {}\n", "other"),
        (
            "triage_department: '400'\ntypes:\n"
            "  other: {label: {de: X, en: Y}, department: '104'}\n",
            "triage queue",
        ),
        ("triage_department: [\n", "not valid YAML"),
        (
            "triage_department: '400'\ntypes:\n"
            "  other: {label: {de: X, en: Y}, department: null, terms: [Werbung, 5]}\n",
            ":3: types/other/terms/1: 5 is not of type 'string'",
        ),
        (
            "triage_department: '400'\ntypes:\n"
            "  other: {label: {de: X, en: Y}, department: null, terms: ['*']}\n",
            ":3: types/other/terms/0",
        ),
    ],
)
def test_a_broken_table_is_refused_with_file_and_line(departments, tmp_path, yaml_text, expected):
    path = tmp_path / "intake.yaml"
    path.write_text(yaml_text)

    with pytest.raises(RoutingConfigError, match=expected) as error:
        routing_table(path=path)
    assert str(path) in str(error.value)


def test_the_shipped_table_gives_the_classifier_its_vocabulary():
    vocabulary = classifier_vocabulary()

    table = yaml.safe_load(routing_path().read_text(encoding="utf-8"))["types"]
    assert set(vocabulary.terms) == set(table)  # every type has its terms
    assert all(len(terms) >= 20 for terms in vocabulary.terms.values())
    assert "Hundesteuer" in vocabulary.terms["dog_tax"]
    assert "*parkausweis" in vocabulary.terms["parking_application"]
    assert vocabulary.any_topic == ("complaint",)


def test_the_classifier_of_incoming_mail_learns_the_routing_tables_vocabulary():
    assert vocabulary_for("intake") == classifier_vocabulary()
    assert not vocabulary_for("another-classifier")


def test_a_broken_routing_table_is_a_vocabulary_that_cannot_be_read(settings, tmp_path):
    (tmp_path / "intake.yaml").write_text("types: [\n")
    settings.RATHAUS_CATALOG_DIR = tmp_path

    with pytest.raises(VocabularyError, match=r"intake\.yaml:2: not valid YAML"):
        vocabulary_for("intake")


def _case(code: str):
    return SimpleNamespace(reference="WUP-104-2026-00042", department=SimpleNamespace(code=code))


@pytest.mark.parametrize(
    ("document_type", "abstained", "model", "case", "department", "reason"),
    [
        ("dog_tax", False, "3", None, "201", "type"),
        ("objection", False, "3", None, "030", "type"),
        ("objection", False, "3", "104", "104", "case"),
        ("complaint", False, "3", "104", "010", "type"),
        ("supplier_invoice", False, "3", "104", "202", "type"),
        ("dog_tax", True, "3", None, "400", "abstained"),
        ("dog_tax", True, "3", "201", "201", "case_untyped"),
        ("other", True, "3", None, "400", "other"),
        ("", True, "", None, "400", "no_model"),
        ("horoscope", False, "3", None, "400", "unknown_type"),
    ],
)
def test_routing_rules(departments, document_type, abstained, model, case, department, reason):
    decision = route_decide(
        table=routing_table(),
        document_type=document_type,
        confidence=0.9,
        abstained=abstained,
        model_version=model,
        case=_case(case) if case else None,
    )

    assert (decision.department, decision.explanation["reason"]) == (department, reason)
    assert decision.triage == (department == "400")
