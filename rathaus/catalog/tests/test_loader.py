import pytest

from rathaus.catalog.loader import CatalogError, definition_read
from rathaus.catalog.models import Service
from rathaus.catalog.services import catalog_load

from .conftest import SMALL_SERVICE, write_service


def _problems(tmp_path, text: str) -> list[str]:
    path = write_service(tmp_path, text)
    with pytest.raises(CatalogError) as info:
        definition_read(path)
    return [str(p) for p in info.value.problems]


def test_a_valid_definition_loads(tmp_path):
    loaded = definition_read(write_service(tmp_path, SMALL_SERVICE))
    assert loaded.data["slug"] == "testleistung"
    assert len(loaded.content_hash) == 64


def test_a_missing_key_is_reported_with_file_and_line(tmp_path):
    text = SMALL_SERVICE.replace("processing_days: 14\n", "")
    problems = _problems(tmp_path, text)
    assert any(
        "service.yaml:1:" in p and "'processing_days' is a required property" in p for p in problems
    )


def test_a_wrong_value_is_reported_on_its_own_line(tmp_path):
    text = SMALL_SERVICE.replace("assurance: basic", "assurance: maximal")
    [problem] = _problems(tmp_path, text)
    assert ":6: assurance: 'maximal' is not one of" in problem


def test_an_unknown_field_type_names_the_known_ones(tmp_path):
    text = SMALL_SERVICE.replace("type: choice", "type: colour")
    [problem] = _problems(tmp_path, text)
    line = SMALL_SERVICE.splitlines().index("        type: choice") + 1
    assert f":{line}: unknown field type 'colour'" in problem
    assert "licence_plate" in problem


def test_a_condition_on_a_later_answer_is_refused(tmp_path):
    text = SMALL_SERVICE.replace(
        "when: {field: kind, equals: change}\n    fields",
        "when: {field: proof, equals: x}\n    fields",
    )
    problems = _problems(tmp_path, text)
    assert any(
        "condition refers to field 'proof', not asked on an earlier step" in p for p in problems
    )


def test_broken_yaml_is_reported_with_its_line(tmp_path):
    [problem] = _problems(tmp_path, SMALL_SERVICE.replace("slug: testleistung", "slug: [unclosed"))
    assert "not valid YAML" in problem


def test_the_slug_must_match_the_folder(tmp_path):
    [problem] = _problems(tmp_path, SMALL_SERVICE.replace("slug: testleistung", "slug: anders"))
    assert "differs from the folder name" in problem


def test_an_unknown_data_set_is_refused(tmp_path):
    problems = _problems(tmp_path, SMALL_SERVICE.replace("data: zone}", "data: zonen}"))
    assert any("unknown data set 'zonen'" in p for p in problems)


@pytest.mark.django_db
def test_loading_creates_a_version_and_again_changes_nothing(catalog_dir):
    first = catalog_load(root=catalog_dir)
    assert first.created == ["testleistung"]
    again = catalog_load(root=catalog_dir)
    assert again.unchanged == ["testleistung"]
    assert Service.objects.get().versions.count() == 1


@pytest.mark.django_db
def test_a_changed_definition_becomes_a_new_version_and_the_old_one_stays(catalog_dir):
    catalog_load(root=catalog_dir)
    old = Service.objects.get().current_version
    write_service(catalog_dir, SMALL_SERVICE.replace("processing_days: 14", "processing_days: 21"))
    report = catalog_load(root=catalog_dir)
    service = Service.objects.get()
    assert report.updated == ["testleistung"]
    assert service.current_version.number == 2
    old.refresh_from_db()
    assert old.definition["processing_days"] == 14


@pytest.mark.django_db
def test_a_broken_definition_stops_the_whole_load(catalog_dir):
    write_service(
        catalog_dir,
        SMALL_SERVICE.replace("testleistung", "kaputt").replace("type: choice", "type: x"),
        slug="kaputt",
    )
    with pytest.raises(CatalogError):
        catalog_load(root=catalog_dir)
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_an_unknown_department_is_refused(catalog_dir):
    write_service(catalog_dir, SMALL_SERVICE.replace('department: "104"', 'department: "999"'))
    with pytest.raises(CatalogError, match="unknown department '999'"):
        catalog_load(root=catalog_dir)


@pytest.mark.django_db
def test_a_removed_folder_deactivates_its_service(catalog_dir):
    catalog_load(root=catalog_dir)
    (catalog_dir / "testleistung" / "service.yaml").unlink()
    assert catalog_load(root=catalog_dir).deactivated == ["testleistung"]
    assert not Service.objects.get().active


@pytest.mark.django_db
def test_the_command_fails_with_the_problems(catalog_dir):
    from django.core.management import CommandError, call_command

    write_service(catalog_dir, SMALL_SERVICE.replace("assurance: basic", "assurance: x"))
    with pytest.raises(CommandError, match=r"service\.yaml:6"):
        call_command("catalog_load", root=catalog_dir)
