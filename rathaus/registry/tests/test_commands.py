import io

import pytest
from django.core.management import CommandError, call_command

from rathaus.registry.management.commands.registry_import import Command
from rathaus.registry.models import Resident

from .test_services import ADDRESSES, RESIDENTS, VEHICLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path):
    paths = {}
    for kind, text in (("addresses", ADDRESSES), ("residents", RESIDENTS), ("vehicles", VEHICLES)):
        paths[kind] = tmp_path / f"{kind}.csv"
        paths[kind].write_text(text, encoding="utf-8")
    return paths


def run(**options) -> str:
    out = io.StringIO()
    call_command("registry_import", stdout=out, **{k: str(v) for k, v in options.items()})
    return out.getvalue()


def test_command_imports_files_and_prints_a_summary(files):
    output = run(**files)
    assert "Addresses: 3 created, 0 updated, 0 unchanged" in output
    assert "Residents: 2 created, 0 updated, 0 unchanged" in output
    assert "Vehicles: 2 created, 0 updated, 0 unchanged" in output
    assert Resident.objects.count() == 2


def test_command_run_twice_reports_everything_unchanged(files):
    run(**files)
    output = run(**files)
    assert "Residents: 0 created, 0 updated, 2 unchanged" in output


def test_command_fails_with_every_problem_and_stores_nothing(files):
    files["residents"].write_text(
        RESIDENTS.replace("1984-05-17", "17/05/1984").replace("Schäfer", ""), encoding="utf-8"
    )
    with pytest.raises(CommandError) as excinfo:
        run(**files)
    message = str(excinfo.value)
    assert "Nothing was imported; 2 problems:" in message
    assert f"{files['residents']}:2: date_of_birth '17/05/1984' is not a date" in message
    assert f"{files['residents']}:3: family_name is empty" in message
    assert Resident.objects.count() == 0


def test_command_reads_spreadsheet_exports_with_byte_order_mark(files):
    files["addresses"].write_text("\ufeff" + ADDRESSES, encoding="utf-8")
    assert "Addresses: 3 created" in run(addresses=files["addresses"])


def test_command_fails_on_a_file_that_is_not_utf8(files):
    files["addresses"].write_bytes(ADDRESSES.encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8 encoded"):
        run(addresses=files["addresses"])


def test_command_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(addresses=tmp_path / "missing.csv")


def test_command_without_files_fails():
    with pytest.raises(CommandError, match="at least one"):
        run()


def test_command_exits_non_zero_with_the_problems_on_stderr(files):
    files["vehicles"].write_text(VEHICLES.replace("w ab 123", "kein Kennzeichen"))
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())

    with pytest.raises(SystemExit) as excinfo:
        command.run_from_argv(
            ["manage.py", "registry_import", "--vehicles", str(files["vehicles"])]
        )

    assert excinfo.value.code != 0
    assert "plate 'kein Kennzeichen' is not a licence plate" in command.stderr._out.getvalue()
