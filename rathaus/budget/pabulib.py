"""Participatory-budgeting elections in the Pabulib format (pabulib.org/format): read and write.

A `.pb` file is UTF-8 text in three sections, META, PROJECTS and VOTES, in this order. Each
section is a title line, a header line naming the columns and one line per entry; fields are
separated by `;` and quoted with `"` like CSV. The format is line-based: a value never contains
a line break (pabutools and other readers split the file into lines first), so this module
refuses line breaks in values when reading and when writing. Spaces around a value are not part
of it (the format's own example writes `key; value`).

Reading checks the whole file before returning: an error names its line (`PabulibError`), and
hard limits on the file size, the number of projects, voters and votes keep a hostile file from
exhausting memory. Writing turns an `Election` back into bytes such that
`election_parse(data=election_write(election=e)) == e`; pabutools reads the written files.
"""

import csv
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal", "scoring")
# Ballots that are sets of approved projects; choose-1 is approval with at most one project.
APPROVAL_VOTE_TYPES = ("approval", "choose-1")
# Ballots that give points to the listed projects (the `points` column is required).
POINT_VOTE_TYPES = ("cumulative", "scoring")
SECTIONS = ("META", "PROJECTS", "VOTES")

# Hard limits. The largest real elections (a whole city such as Warsaw 2026: 3 MB, 61,668
# voters, 83 projects, 287,475 votes) stay far below them; a file above them is refused before
# it can fill the memory.
MAX_BYTES = 50 * 1024 * 1024
MAX_PROJECTS = 2_000
MAX_VOTERS = 250_000
MAX_VOTE_ENTRIES = 5_000_000

# Reserved columns, held in named fields; every other column is kept in `extra`.
PROJECT_FIELDS = ("project_id", "cost", "name", "selected")
BALLOT_FIELDS = ("voter_id", "vote", "points")

# Money and points: digits with an optional fraction (`,` is accepted as the decimal mark on
# reading, as pabutools does); no signs, no exponents, at most 18 + 6 digits.
_NUMBER = re.compile(r"\d{1,18}(?:[.,]\d{1,6})?")
_INTEGER = re.compile(r"-?\d{1,9}")
_LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Control characters other than tab: a sign of a binary file, and invisible in any display.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")


class PabulibError(ValueError):
    """A file that is not a valid Pabulib election; the message can be shown to the person."""

    def __init__(self, message, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is None:
            return str(self.message)
        return str(_("line %(line)d: %(message)s") % {"line": self.line, "message": self.message})


@dataclass(frozen=True)
class Project:
    project_id: str
    cost: Decimal
    name: str = ""
    # The official outcome where the file has the `selected` column: 1 funded, 0 not, other
    # values are explained in the META comment (for example 2: funded from other money).
    selected: int | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Ballot:
    voter_id: str
    # The projects as listed: a set for approval and choose-1 ballots (the order carries no
    # meaning), the ranking for ordinal ballots (most preferred first).
    projects: tuple[str, ...]
    # Points per listed project for cumulative and scoring ballots (and ordinal ones that carry
    # them); None where the file has no `points` column.
    points: tuple[Decimal, ...] | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def approved(self) -> frozenset[str]:
        return frozenset(self.projects)


@dataclass(frozen=True)
class Election:
    """One election: META entries, projects, ballots, and the column order of the file."""

    meta: Mapping[str, str]
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    project_columns: tuple[str, ...] = ("project_id", "cost", "name")
    voter_columns: tuple[str, ...] = ("voter_id", "vote")

    def __post_init__(self) -> None:
        problem = _election_problem(self)
        if problem:
            raise ValueError(f"not a valid Pabulib election: {problem}")

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"]

    @property
    def budget(self) -> Decimal:
        return _decimal(self.meta["budget"])

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "")

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.project_id == project_id:
                return project
        raise KeyError(project_id)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _clean(value: str) -> bool:
    """No line break, no control character, no space at either end: reads back the same."""
    return value == value.strip() and not _LINE_BREAK.search(value) and not _CONTROL.search(value)


def _election_problem(election: Election) -> str:
    """Why the election cannot be written as a Pabulib file that reads back equal, or ""."""
    meta = election.meta
    for key, value in meta.items():
        if not key or not _clean(key) or not _clean(value):
            return f"META entry {key!r}: empty key, or a line break, control character or space"
    if meta.get("vote_type") not in VOTE_TYPES:
        return f"META vote_type must be one of {', '.join(VOTE_TYPES)}"
    if not _NUMBER.fullmatch(meta.get("budget", "")):
        return "META budget must be a non-negative number"
    for key, count in (
        ("num_projects", len(election.projects)),
        ("num_votes", len(election.ballots)),
    ):
        if key in meta and meta[key] != str(count):
            return f"META {key} is {meta[key]!r} but there are {count}"
    problem = _columns_problem(election.project_columns, ("project_id", "cost"), PROJECT_FIELDS)
    problem = problem or _columns_problem(
        election.voter_columns, ("voter_id", "vote"), BALLOT_FIELDS
    )
    if problem:
        return problem
    project_extra = [c for c in election.project_columns if c not in PROJECT_FIELDS]
    ids = set()
    for project in election.projects:
        pid = project.project_id
        if not pid or "," in pid or not _clean(pid) or pid in ids:
            return f"project id {pid!r}: empty, duplicate, or with a comma or unclean"
        ids.add(pid)
        if (
            not isinstance(project.cost, Decimal)
            or not project.cost.is_finite()
            or project.cost < 0
        ):
            return f"project {pid}: the cost must be a non-negative Decimal"
        if project.name and "name" not in election.project_columns:
            return f"project {pid} has a name but there is no name column"
        if project.selected is not None and "selected" not in election.project_columns:
            return f"project {pid} has `selected` but there is no selected column"
        if list(project.extra) != project_extra:
            return f"project {pid}: the extra fields must be exactly {project_extra}"
        if not all(_clean(v) for v in (project.name, *project.extra.values())):
            return (
                f"project {pid}: a value has a line break, control character or surrounding spaces"
            )
    voter_extra = [c for c in election.voter_columns if c not in BALLOT_FIELDS]
    has_points = "points" in election.voter_columns
    voters = set()
    for ballot in election.ballots:
        vid = ballot.voter_id
        if not vid or not _clean(vid) or vid in voters:
            return f"voter id {vid!r}: empty, duplicate or unclean"
        voters.add(vid)
        if len(set(ballot.projects)) != len(ballot.projects) or not ids.issuperset(ballot.projects):
            return f"voter {vid}: unknown or repeated project in the vote"
        if (ballot.points is not None) != has_points or (
            has_points and len(ballot.points) != len(ballot.projects)
        ):
            return f"voter {vid}: points must match the vote and the points column"
        if list(ballot.extra) != voter_extra:
            return f"voter {vid}: the extra fields must be exactly {voter_extra}"
        if not all(_clean(v) for v in ballot.extra.values()):
            return f"voter {vid}: a value has a line break, control character or surrounding spaces"
    return ""


def _columns_problem(columns: tuple[str, ...], required: tuple[str, ...], known) -> str:
    if len(set(columns)) != len(columns) or not all(c and _clean(c) for c in columns):
        return (
            f"columns {columns}: empty, repeated or with a control character or surrounding spaces"
        )
    missing = [c for c in required if c not in columns]
    if missing:
        return f"columns {columns}: {', '.join(missing)} missing"
    return ""


def pabulib_text(value: str) -> str:
    """Free text as a Pabulib value: line breaks and runs of spaces become one space, control
    characters go."""
    return " ".join(_LINE_BREAK.sub(" ", _CONTROL.sub("", value)).split())


def pabulib_sha256(data: bytes) -> str:
    """The SHA-256 of a written file, in hex, to publish next to it."""
    return hashlib.sha256(data).hexdigest()


class _Reader:
    """Rows of the file with their line numbers, stripped; blank lines skipped."""

    def __init__(self, text: str):
        self._rows = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
        self.line = 0
        self._pushed: list[str] | None = None

    def next(self) -> list[str] | None:
        if self._pushed is not None:
            row, self._pushed = self._pushed, None
            return row
        while True:
            try:
                row = next(self._rows)
            except StopIteration:
                return None
            except csv.Error as exc:
                # Quoting errors, NUL bytes, fields over the csv module's size limit (128 KiB).
                raise PabulibError(
                    _("the line cannot be read (%(error)s).") % {"error": exc},
                    line=self._rows.line_num,
                ) from None
            self.line = self._rows.line_num
            if any(_LINE_BREAK.search(value) for value in row):
                raise PabulibError(_("a value contains a line break."), line=self.line)
            if any(_CONTROL.search(value) for value in row):
                raise PabulibError(_("a value contains a control character."), line=self.line)
            row = [value.strip() for value in row]
            if any(row):
                return row

    def push(self, row: list[str]) -> None:
        self._pushed = row


def election_parse(
    *,
    data: bytes,
    max_bytes: int = MAX_BYTES,
    max_projects: int = MAX_PROJECTS,
    max_voters: int = MAX_VOTERS,
    max_vote_entries: int = MAX_VOTE_ENTRIES,
) -> Election:
    """Read a Pabulib file; `PabulibError` (with the line number) if it is not a valid one."""
    if len(data) > max_bytes:
        raise PabulibError(
            _("The file is larger than %(limit)d MB.") % {"limit": max_bytes // (1024 * 1024)}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PabulibError(
            _("the file is not UTF-8 text."), line=data.count(b"\n", 0, exc.start) + 1
        ) from None
    reader = _Reader(text)
    meta = _read_meta(reader)
    vote_type = meta["vote_type"]
    columns, projects = _read_projects(reader, meta=meta, max_projects=max_projects)
    voter_columns, ballots = _read_votes(
        reader,
        vote_type=vote_type,
        projects={p.project_id: p.project_id for p in projects},
        max_voters=max_voters,
        max_vote_entries=max_vote_entries,
    )
    for key, count in (("num_projects", len(projects)), ("num_votes", len(ballots))):
        if key in meta and meta[key] != str(count):
            raise PabulibError(
                _("META says %(key)s is %(value)s, but the file has %(count)d.")
                % {"key": key, "value": meta[key], "count": count}
            )
    return Election(
        meta=meta,
        projects=tuple(projects),
        ballots=tuple(ballots),
        project_columns=tuple(columns),
        voter_columns=tuple(voter_columns),
    )


def _section_title(row: list[str] | None) -> str | None:
    if row is not None and len(row) == 1 and row[0].upper() in SECTIONS:
        return row[0].upper()
    return None


def _expect_section(reader: _Reader, title: str) -> None:
    row = reader.next()
    if _section_title(row) != title:
        raise PabulibError(
            _("expected the section %(title)s here.") % {"title": title},
            line=reader.line if row is not None else reader.line + 1,
        )


def _header(reader: _Reader, *, section: str, required: tuple[str, ...]) -> list[str]:
    row = reader.next()
    if row is None or _section_title(row):
        raise PabulibError(
            _("the section %(section)s has no header line.") % {"section": section},
            line=reader.line,
        )
    if len(set(row)) != len(row) or not all(row):
        raise PabulibError(
            _("the header of %(section)s has an empty or repeated column.") % {"section": section},
            line=reader.line,
        )
    missing = [column for column in required if column not in row]
    if missing:
        raise PabulibError(
            _("the header of %(section)s lacks the column(s) %(columns)s.")
            % {"section": section, "columns": ", ".join(missing)},
            line=reader.line,
        )
    return row


def _fields(reader: _Reader, row: list[str], header: list[str]) -> dict[str, str]:
    if len(row) != len(header):
        raise PabulibError(
            _("%(found)d fields, but the header names %(expected)d.")
            % {"found": len(row), "expected": len(header)},
            line=reader.line,
        )
    return dict(zip(header, row, strict=True))


def _read_meta(reader: _Reader) -> dict[str, str]:
    _expect_section(reader, "META")
    header = _header(reader, section="META", required=("key", "value"))
    if header != ["key", "value"]:
        raise PabulibError(_("the META header must be key;value."), line=reader.line)
    meta: dict[str, str] = {}
    while (row := reader.next()) is not None and not _section_title(row):
        key, value = _fields(reader, row, header).values()
        if not key or key in meta:
            raise PabulibError(_("empty or repeated META key."), line=reader.line)
        meta[key] = value
        if key == "vote_type" and value not in VOTE_TYPES:
            raise PabulibError(
                _("unknown vote_type %(value)s (known: %(known)s).")
                % {"value": value, "known": ", ".join(VOTE_TYPES)},
                line=reader.line,
            )
        if key == "budget" and not _NUMBER.fullmatch(value):
            raise PabulibError(_("the budget must be a non-negative number."), line=reader.line)
    if row is not None:
        reader.push(row)
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(_("META lacks the key %(key)s.") % {"key": key})
    return meta


def _read_projects(
    reader: _Reader, *, meta: dict[str, str], max_projects: int
) -> tuple[list[str], list[Project]]:
    _expect_section(reader, "PROJECTS")
    header = _header(reader, section="PROJECTS", required=("project_id", "cost"))
    extra_columns = [c for c in header if c not in PROJECT_FIELDS]
    projects: dict[str, Project] = {}
    while (row := reader.next()) is not None and not _section_title(row):
        if len(projects) >= max_projects:
            raise PabulibError(
                _("more than %(limit)d projects.") % {"limit": max_projects}, line=reader.line
            )
        values = _fields(reader, row, header)
        pid = values["project_id"]
        if not pid or "," in pid:
            raise PabulibError(_("a project id is empty or contains a comma."), line=reader.line)
        if pid in projects:
            raise PabulibError(
                _("the project id %(id)s appears twice.") % {"id": pid}, line=reader.line
            )
        if not _NUMBER.fullmatch(values["cost"]):
            raise PabulibError(
                _("the cost of project %(id)s must be a non-negative number.") % {"id": pid},
                line=reader.line,
            )
        selected = values.get("selected", "")
        if selected and not _INTEGER.fullmatch(selected):
            raise PabulibError(
                _("selected must be a whole number (project %(id)s).") % {"id": pid},
                line=reader.line,
            )
        projects[pid] = Project(
            project_id=pid,
            cost=_decimal(values["cost"]),
            name=values.get("name", ""),
            selected=int(selected) if selected else None,
            extra={column: values[column] for column in extra_columns},
        )
    if row is not None:
        reader.push(row)
    return header, list(projects.values())


def _read_votes(
    reader: _Reader,
    *,
    vote_type: str,
    projects: dict[str, str],
    max_voters: int,
    max_vote_entries: int,
) -> tuple[list[str], list[Ballot]]:
    _expect_section(reader, "VOTES")
    header = _header(reader, section="VOTES", required=("voter_id", "vote"))
    if vote_type in POINT_VOTE_TYPES and "points" not in header:
        raise PabulibError(
            _("%(type)s ballots need the column points.") % {"type": vote_type}, line=reader.line
        )
    has_points = "points" in header
    extra_columns = [c for c in header if c not in BALLOT_FIELDS]
    ballots: list[Ballot] = []
    voter_ids: set[str] = set()
    entries = 0
    # Repeated texts (ages, districts, "internet") share one string object.
    shared: dict[str, str] = {}
    while (row := reader.next()) is not None:
        if _section_title(row):
            raise PabulibError(_("VOTES must be the last section."), line=reader.line)
        if len(ballots) >= max_voters:
            raise PabulibError(
                _("more than %(limit)d voters.") % {"limit": max_voters}, line=reader.line
            )
        values = _fields(reader, row, header)
        vid = values["voter_id"]
        if not vid or vid in voter_ids:
            raise PabulibError(
                _("the voter id %(id)s is empty or appears twice.") % {"id": vid},
                line=reader.line,
            )
        voter_ids.add(vid)
        vote = _vote(reader, values["vote"], projects=projects, vote_type=vote_type)
        entries += len(vote)
        if entries > max_vote_entries:
            raise PabulibError(
                _("more than %(limit)d votes in all.") % {"limit": max_vote_entries},
                line=reader.line,
            )
        points = _points(reader, values["points"], count=len(vote)) if has_points else None
        ballots.append(
            Ballot(
                voter_id=vid,
                projects=vote,
                points=points,
                extra={c: shared.setdefault(values[c], values[c]) for c in extra_columns},
            )
        )
    return header, ballots


def _vote(reader: _Reader, text: str, *, projects: dict[str, str], vote_type: str) -> tuple:
    if not text:
        return ()
    vote = []
    for item in text.split(","):
        pid = projects.get(item.strip())
        if pid is None:
            raise PabulibError(
                _("the vote names the unknown project %(id)s.") % {"id": item.strip()},
                line=reader.line,
            )
        vote.append(pid)
    if len(set(vote)) != len(vote):
        raise PabulibError(_("the vote names a project twice."), line=reader.line)
    if vote_type == "choose-1" and len(vote) > 1:
        raise PabulibError(_("a choose-1 ballot names more than one project."), line=reader.line)
    return tuple(vote)


def _points(reader: _Reader, text: str, *, count: int) -> tuple[Decimal, ...]:
    items = [item.strip() for item in text.split(",")] if text else []
    if len(items) != count or not all(_NUMBER.fullmatch(item) for item in items):
        raise PabulibError(
            _("points must be one non-negative number per voted project."), line=reader.line
        )
    return tuple(_decimal(item) for item in items)


def _number(value: Decimal) -> str:
    return format(value, "f")


def election_write(*, election: Election) -> bytes:
    """The election as a Pabulib file (UTF-8, `\\n` line ends), readable by pabutools."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(election.meta.items())
    writer.writerow(["PROJECTS"])
    writer.writerow(election.project_columns)
    for project in election.projects:
        named = {
            "project_id": project.project_id,
            "cost": _number(project.cost),
            "name": project.name,
            "selected": "" if project.selected is None else str(project.selected),
        }
        writer.writerow(
            [named[c] if c in named else project.extra[c] for c in election.project_columns]
        )
    writer.writerow(["VOTES"])
    writer.writerow(election.voter_columns)
    for ballot in election.ballots:
        named = {
            "voter_id": ballot.voter_id,
            "vote": ",".join(ballot.projects),
            "points": ",".join(_number(p) for p in ballot.points or ()),
        }
        writer.writerow(
            [named[c] if c in named else ballot.extra[c] for c in election.voter_columns]
        )
    return buffer.getvalue().encode("utf-8")
