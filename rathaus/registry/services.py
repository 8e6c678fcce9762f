"""Import the city's register export (three CSV files, see docs/registry.md) into the local tables.

The import is all-or-nothing: every row of every file is checked first, and one problem anywhere
means nothing is written and every problem is reported with its file and line. Rows are matched
to what is stored by their key (address, register ID, plate), so importing the same files again
changes nothing. Rows missing from a file are kept: an export of changes is a valid import.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .matching import address_lookup_key, plate_normalise
from .models import POSTCODE_PATTERN, Address, Resident, Vehicle

ADDRESS_COLUMNS = ("street", "house_number", "postcode")
ADDRESS_OPTIONAL_COLUMNS = ("town", "district")
RESIDENT_COLUMNS = (
    "register_id",
    "family_name",
    "given_names",
    "date_of_birth",
    "street",
    "house_number",
    "postcode",
    "moved_in",
)
RESIDENT_OPTIONAL_COLUMNS = ("secondary_street", "secondary_house_number", "secondary_postcode")
VEHICLE_COLUMNS = ("plate", "holder_register_id", "make", "registered_since")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
DEFAULT_TOWN = "Wuppertal"
BATCH_SIZE = 500


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class RegistryImportError(Exception):
    """The files were refused; `problems` lists every bad row. Nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class ImportReport:
    addresses: ImportCounts
    residents: ImportCounts
    vehicles: ImportCounts


class _Row:
    """One data row of a CSV file: typed access to its values, problems noted against its line."""

    def __init__(
        self, *, file: str, line: int, values: dict[str, str], problems: list[ImportProblem]
    ) -> None:
        self.file, self.line, self.values = file, line, values
        self._problems = problems
        self.ok = True

    def problem(self, message: Any) -> None:
        self._problems.append(ImportProblem(self.file, self.line, str(message)))
        self.ok = False

    def text(self, column: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.problem(_("%(column)s is empty") % {"column": column})
        if max_length is not None and len(value) > max_length:
            self.problem(
                _("%(column)s is longer than %(max)d characters")
                % {"column": column, "max": max_length}
            )
        return value

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column)
        if not value:
            return None
        for date_format in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(value, date_format).date()
            except ValueError:
                continue
        self.problem(
            _("%(column)s %(value)r is not a date (YYYY-MM-DD or DD.MM.YYYY)")
            % {"column": column, "value": value}
        )
        return None

    def postcode(self, column: str, *, required: bool = True) -> str:
        value = self.text(column, required=required)
        if value and not _is_postcode(value):
            self.problem(
                _("%(column)s %(value)r is not a postcode of five digits")
                % {"column": column, "value": value}
            )
        return value


def _max_length(model: type[models.Model], field: str) -> int | None:
    return model._meta.get_field(field).max_length


def _is_postcode(value: str) -> bool:
    return re.fullmatch(POSTCODE_PATTERN, value) is not None


def _file_name(stream: TextIO, default: str) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) else default


def _csv_rows(
    stream: TextIO,
    *,
    default_name: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    problems: list[ImportProblem],
) -> Iterator[_Row]:
    """The data rows of one file; a bad header or a row of the wrong width becomes a problem."""
    name = _file_name(stream, default_name)
    try:
        text = stream.read().removeprefix("\ufeff")
    except UnicodeDecodeError:
        problems.append(ImportProblem(name, None, str(_("the file is not UTF-8 encoded"))))
        return
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = [value.strip().lower() for value in values]
                if not _header_ok(header, name, reader.line_num, required, optional, problems):
                    return
                continue
            if len(values) != len(header):
                problems.append(
                    ImportProblem(
                        name,
                        reader.line_num,
                        str(
                            _("expected %(expected)d values, found %(found)d")
                            % {"expected": len(header), "found": len(values)}
                        ),
                    )
                )
                continue
            yield _Row(
                file=name,
                line=reader.line_num,
                values={
                    column: value.strip() for column, value in zip(header, values, strict=True)
                },
                problems=problems,
            )
    except csv.Error as exc:
        problems.append(ImportProblem(name, reader.line_num, str(exc)))
    if header is None:
        problems.append(ImportProblem(name, None, str(_("the file has no header row"))))


def _header_ok(
    header: list[str],
    name: str,
    line: int,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[ImportProblem],
) -> bool:
    messages = []
    missing = [column for column in required if column not in header]
    if missing:
        messages.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    unknown = [column for column in header if column not in required + optional]
    if unknown:
        messages.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        messages.append(_("repeated columns: %(columns)s") % {"columns": ", ".join(repeated)})
    problems.extend(ImportProblem(name, line, str(message)) for message in messages)
    return not messages


def _address_rows(stream: TextIO, problems: list[ImportProblem]) -> dict[str, dict[str, str]]:
    """Address values by lookup key."""
    rows: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    for row in _csv_rows(
        stream,
        default_name="addresses.csv",
        required=ADDRESS_COLUMNS,
        optional=ADDRESS_OPTIONAL_COLUMNS,
        problems=problems,
    ):
        values = {
            "street": row.text("street", max_length=_max_length(Address, "street")),
            "house_number": row.text(
                "house_number", max_length=_max_length(Address, "house_number")
            ),
            "postcode": row.postcode("postcode"),
            "town": row.text("town", required=False, max_length=_max_length(Address, "town"))
            or DEFAULT_TOWN,
            "district": row.text(
                "district", required=False, max_length=_max_length(Address, "district")
            ),
        }
        if not row.ok:
            continue
        key = address_lookup_key(
            street=values["street"],
            house_number=values["house_number"],
            postcode=values["postcode"],
        )
        if key in rows:
            row.problem(
                _("duplicate address %(address)s, already on line %(line)d")
                % {"address": _address_text(values), "line": first_line[key]}
            )
            continue
        rows[key], first_line[key] = values, row.line
    return rows


def _address_text(values: dict[str, str]) -> str:
    return f"{values['street']} {values['house_number']}, {values['postcode']}"


@dataclass(frozen=True)
class _AddressReference:
    key: str
    text: str


@dataclass(frozen=True)
class _ResidentRow:
    row: _Row
    values: dict[str, Any]
    address: _AddressReference
    secondary_address: _AddressReference | None


def _resident_rows(
    stream: TextIO, problems: list[ImportProblem], *, seen_ids: set[str]
) -> dict[str, _ResidentRow]:
    """Resident rows that pass their own checks, by register ID (addresses not yet resolved).

    `seen_ids` collects every register ID in the file, good row or bad, so that a vehicle of a
    resident whose row has a problem is not reported a second time as having an unknown holder.
    """
    rows: dict[str, _ResidentRow] = {}
    today = timezone.localdate()
    for row in _csv_rows(
        stream,
        default_name="residents.csv",
        required=RESIDENT_COLUMNS,
        optional=RESIDENT_OPTIONAL_COLUMNS,
        problems=problems,
    ):
        register_id = row.text("register_id", max_length=_max_length(Resident, "register_id"))
        seen_ids.add(register_id)
        values = {
            "family_name": row.text("family_name", max_length=_max_length(Resident, "family_name")),
            "given_names": row.text("given_names", max_length=_max_length(Resident, "given_names")),
            "date_of_birth": row.date("date_of_birth"),
            "moved_in": row.date("moved_in"),
        }
        born, moved_in = values["date_of_birth"], values["moved_in"]
        if born and born > today:
            row.problem(_("date_of_birth lies in the future"))
        if born and moved_in and moved_in < born:
            row.problem(_("moved_in lies before date_of_birth"))
        address = _address_reference(row, prefix="")
        secondary = None
        if any(row.values.get(column) for column in RESIDENT_OPTIONAL_COLUMNS):
            secondary = _address_reference(row, prefix="secondary_")
            if address and secondary and secondary.key == address.key:
                row.problem(_("the secondary address is the main address"))
        if not row.ok or address is None:
            continue
        if register_id in rows:
            row.problem(
                _("duplicate register_id %(id)s, already on line %(line)d")
                % {"id": register_id, "line": rows[register_id].row.line}
            )
            continue
        rows[register_id] = _ResidentRow(row, values, address, secondary)
    return rows


def _address_reference(row: _Row, *, prefix: str) -> _AddressReference | None:
    values = {
        "street": row.text(f"{prefix}street"),
        "house_number": row.text(f"{prefix}house_number"),
        "postcode": row.postcode(f"{prefix}postcode"),
    }
    if not row.ok:
        return None
    return _AddressReference(key=address_lookup_key(**values), text=_address_text(values))


@dataclass(frozen=True)
class _VehicleRow:
    row: _Row
    holder: str
    values: dict[str, Any]


def _vehicle_rows(stream: TextIO, problems: list[ImportProblem]) -> dict[str, _VehicleRow]:
    """Vehicle rows that pass their own checks, by normalised plate (holders not yet resolved)."""
    rows: dict[str, _VehicleRow] = {}
    for row in _csv_rows(
        stream, default_name="vehicles.csv", required=VEHICLE_COLUMNS, problems=problems
    ):
        raw_plate = row.text("plate")
        plate = ""
        if raw_plate:
            try:
                plate = plate_normalise(raw_plate)
            except ValueError:
                row.problem(
                    _("plate %(plate)r is not a licence plate like W-AB 123") % {"plate": raw_plate}
                )
        holder = row.text("holder_register_id")
        values = {
            "make": row.text("make", max_length=_max_length(Vehicle, "make")),
            "registered_since": row.date("registered_since"),
        }
        if not row.ok:
            continue
        if plate in rows:
            row.problem(
                _("duplicate plate %(plate)s, already on line %(line)d")
                % {"plate": plate, "line": rows[plate].row.line}
            )
            continue
        rows[plate] = _VehicleRow(row, holder, values)
    return rows


def _stored_keys(model: type[models.Model], *, key_field: str, keys: set[str]) -> dict[str, int]:
    """Primary keys of the stored rows among `keys` (in batches, for SQLite's parameter limit)."""
    return {
        key: instance.pk
        for key, instance in model.objects.in_bulk(list(keys), field_name=key_field).items()
    }


def _upsert(
    model: type[models.Model], *, key_field: str, rows: dict[str, dict[str, Any]]
) -> ImportCounts:
    """Create the rows whose key is new, update those that differ, count the rest."""
    existing = model.objects.in_bulk(list(rows), field_name=key_field)
    to_create, to_update = [], []
    fields: list[str] = []
    for key, values in rows.items():
        fields = list(values)
        instance = existing.get(key)
        if instance is None:
            to_create.append(model(**{key_field: key}, **values))
        elif any(getattr(instance, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(instance, field, value)
            to_update.append(instance)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, fields=fields, batch_size=BATCH_SIZE)
    return ImportCounts(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
    )


def _sorted(problems: list[ImportProblem], *, streams: list[TextIO | None]) -> list[ImportProblem]:
    """Problems file by file in the order the files were given, line by line."""
    names = ["addresses.csv", "residents.csv", "vehicles.csv"]
    file_order = {
        _file_name(stream, default): index
        for index, (stream, default) in enumerate(zip(streams, names, strict=True))
        if stream is not None
    }
    return sorted(problems, key=lambda problem: (file_order[problem.file], problem.line or 0))


@transaction.atomic
def registry_import(
    *, addresses: TextIO | None, residents: TextIO | None, vehicles: TextIO | None
) -> ImportReport:
    """Check every row of the given register files, then store them all, or raise and store none."""
    problems: list[ImportProblem] = []
    address_rows = _address_rows(addresses, problems) if addresses is not None else {}
    seen_ids: set[str] = set()
    resident_rows = (
        _resident_rows(residents, problems, seen_ids=seen_ids) if residents is not None else {}
    )
    vehicle_rows = _vehicle_rows(vehicles, problems) if vehicles is not None else {}

    # References may point into the same import or at what is already stored.
    referenced_addresses = {
        reference.key
        for resident in resident_rows.values()
        for reference in (resident.address, resident.secondary_address)
        if reference is not None
    }
    known_addresses = set(address_rows) | set(
        _stored_keys(Address, key_field="lookup_key", keys=referenced_addresses - set(address_rows))
    )
    for resident in resident_rows.values():
        for reference in (resident.address, resident.secondary_address):
            if reference is not None and reference.key not in known_addresses:
                resident.row.problem(
                    _("unknown address %(address)s: in neither the addresses file nor the register")
                    % {"address": reference.text}
                )
    holders = {vehicle.holder for vehicle in vehicle_rows.values()}
    known_holders = seen_ids | set(
        _stored_keys(Resident, key_field="register_id", keys=holders - seen_ids)
    )
    for vehicle in vehicle_rows.values():
        if vehicle.holder not in known_holders:
            vehicle.row.problem(
                _(
                    "unknown holder_register_id %(id)s: in neither the residents file nor the "
                    "register"
                )
                % {"id": vehicle.holder}
            )
    if problems:
        raise RegistryImportError(_sorted(problems, streams=[addresses, residents, vehicles]))

    address_counts = _upsert(Address, key_field="lookup_key", rows=address_rows)
    address_ids = _stored_keys(Address, key_field="lookup_key", keys=referenced_addresses)
    resident_counts = _upsert(
        Resident,
        key_field="register_id",
        rows={
            register_id: {
                **resident.values,
                "address_id": address_ids[resident.address.key],
                "secondary_address_id": address_ids[resident.secondary_address.key]
                if resident.secondary_address is not None
                else None,
            }
            for register_id, resident in resident_rows.items()
        },
    )
    holder_ids = _stored_keys(Resident, key_field="register_id", keys=holders)
    vehicle_counts = _upsert(
        Vehicle,
        key_field="plate",
        rows={
            plate: {"holder_id": holder_ids[vehicle.holder], **vehicle.values}
            for plate, vehicle in vehicle_rows.items()
        },
    )
    return ImportReport(
        addresses=address_counts, residents=resident_counts, vehicles=vehicle_counts
    )
