"""The German catalogues are complete, formal ("Sie") and in use; English stays English.

Two catalogues: locale/de (our own strings, made by makemessages) and locale_overrides/de
(formal German for allauth strings whose own German says "du"; LOCALE_PATHS wins over app
catalogues). Rendering tests need compiled catalogues: `make messages` or
`manage.py compilemessages --ignore=.venv --ignore=node_modules`.
"""

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import allauth
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
MAIN_PO = BASE_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"
OVERRIDES_PO = BASE_DIR / "locale_overrides" / "de" / "LC_MESSAGES" / "django.po"
ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
CATALOGUES = [MAIN_PO, OVERRIDES_PO]
# Same ignores as the documented command; bench/ is not copied at all.
MAKEMESSAGES = ["makemessages", "-l", "de", "--ignore=.venv", "--ignore=node_modules"]
MAKEMESSAGES += ["--ignore=var", "--ignore=bench"]

# Informal address: pronouns and the 2nd person singular forms allauth's German uses.
INFORMAL = re.compile(
    r"\b(du|dich|dir|dein\w*|hast|kannst|möchtest|bist|musst|solltest|erhältst|sendest)\b",
    re.IGNORECASE,
)
INFORMAL_VISIBLE = re.compile(r"\bdu\b|\bdein|\bdich\b|\bdir\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[sd]|\{\w*\}")


# --- a tiny .po parser (stdlib only) --------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a quoted string: {text}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, header included (msgid "")."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # the keyword that continuation lines extend
    seen_msgstr = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        obsolete = raw.startswith("#~")
        line = raw[2:].strip() if obsolete else raw.strip()
        if obsolete and line.startswith("|"):  # previous msgid of an obsolete fuzzy entry
            line = "#" + line
        if not line:
            continue
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if entry is None or (starts_entry and seen_msgstr):
            entry = Entry(line=number)
            entries.append(entry)
            seen_msgstr = False
            target = None
        entry.obsolete = entry.obsolete or obsolete
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), int(match.group(2) or 0), match.group(3)
            if keyword == "msgstr":
                entry.msgstr[index] = _unquote(value)
                seen_msgstr = True
            else:
                setattr(entry, keyword, _unquote(value))
                entry.line = entry.line if keyword != "msgid" else number
            target = (keyword, index)
        elif line.startswith('"') and target is not None:
            keyword, index = target
            if keyword == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, keyword, getattr(entry, keyword) + _unquote(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
    return entries


def messages(path: Path) -> list[Entry]:
    """The live entries: no header, no obsolete (#~) ones."""
    return [e for e in parse_po(path) if e.msgid != "" and not e.obsolete]


def header(path: Path) -> dict[str, str]:
    [head] = [e for e in parse_po(path) if e.msgid == "" and e.msgctxt is None]
    lines = [line.split(":", 1) for line in head.msgstr[0].splitlines() if ":" in line]
    return {name.strip(): value.strip() for name, value in lines}


def _listing(entries) -> str:
    return "\n".join(f"  {entry}" for entry in entries)


# --- (a) every entry is translated, formal, and keeps its placeholders -----------------------


@pytest.mark.parametrize("path", CATALOGUES, ids=["locale", "locale_overrides"])
def test_catalogue_header_is_german_utf8_with_german_plurals(path):
    fields = header(path)
    assert fields.get("Language") == "de"
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert fields.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert fields.get("Project-Id-Version", "").startswith("Rathaus")


@pytest.mark.parametrize("path", CATALOGUES, ids=["locale", "locale_overrides"])
def test_every_entry_is_translated_and_not_fuzzy(path):
    entries = messages(path)
    assert entries, f"{path} has no entries"
    untranslated = [
        e
        for e in entries
        if not e.msgstr
        or not all(e.msgstr.values())
        or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {path}:\n{_listing(untranslated)}"
    assert not fuzzy, f"fuzzy in {path} (check, then remove the flag):\n{_listing(fuzzy)}"


@pytest.mark.parametrize("path", CATALOGUES, ids=["locale", "locale_overrides"])
def test_translations_use_the_formal_sie(path):
    informal = [
        (e, m.group(0))
        for e in messages(path)
        for text in e.msgstr.values()
        if (m := INFORMAL.search(text))
    ]
    assert not informal, "informal German:\n" + "\n".join(f"  {e} ({w})" for e, w in informal)


@pytest.mark.parametrize("path", CATALOGUES, ids=["locale", "locale_overrides"])
def test_translations_keep_every_placeholder(path):
    wrong = []
    for e in messages(path):
        for index, text in e.msgstr.items():
            source = e.msgid if (e.msgid_plural is None or index == 0) else e.msgid_plural
            expected = sorted(PLACEHOLDER.findall(source))
            found = sorted(PLACEHOLDER.findall(text))
            # A singular form may leave out the number (“one key”), nothing else.
            if e.msgid_plural is not None and index == 0:
                found_set, expected_set = set(found), set(expected)
                if found_set <= expected_set and len(expected_set - found_set) <= 1:
                    continue
            if found != expected:
                wrong.append(f"  {e}: expected {expected}, msgstr[{index}] has {found}")
    assert not wrong, "placeholders changed:\n" + "\n".join(wrong)


def test_overrides_only_contain_allauth_msgids():
    """After an allauth upgrade a reworded msgid silently falls back to allauth's German."""
    allauth_entries = {e.key: e for e in messages(ALLAUTH_PO)}
    unknown = [e for e in messages(OVERRIDES_PO) if e.key not in allauth_entries]
    plural_mismatch = [
        e
        for e in messages(OVERRIDES_PO)
        if e.key in allauth_entries and allauth_entries[e.key].msgid_plural != e.msgid_plural
    ]
    assert not unknown, f"not (any more) in allauth's catalogue:\n{_listing(unknown)}"
    assert not plural_mismatch, f"msgid_plural differs from allauth's:\n{_listing(plural_mismatch)}"


def test_overrides_cover_every_informal_allauth_entry():
    overridden = {e.key for e in messages(OVERRIDES_PO)}
    informal = [
        e
        for e in messages(ALLAUTH_PO)
        if e.key not in overridden and any(INFORMAL.search(t) for t in e.msgstr.values())
    ]
    assert not informal, (
        "allauth's German says 'du' here; add a formal translation to "
        f"{OVERRIDES_PO.relative_to(BASE_DIR)}:\n{_listing(informal)}"
    )


def test_overrides_come_after_our_own_catalogue_in_locale_paths():
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    assert paths[0] == BASE_DIR / "locale", "makemessages writes to the first LOCALE_PATHS entry"
    assert BASE_DIR / "locale_overrides" in paths


# --- (b) the committed catalogue has every msgid of the source code --------------------------


def test_main_catalogue_has_every_msgid_of_the_code(tmp_path):
    for name in ("rathaus", "config", "locale"):
        shutil.copytree(
            BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-m", "django", *MAKEMESSAGES],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    regenerated = {e.key: e for e in messages(tmp_path / "locale/de/LC_MESSAGES/django.po")}
    committed = {e.key for e in messages(MAIN_PO)}
    missing = sorted((regenerated[key] for key in regenerated.keys() - committed), key=str)
    stale = sorted(committed - regenerated.keys(), key=str)
    problems = []
    if missing:
        problems.append(f"Missing msgids ({len(missing)}):\n{_listing(missing)}")
    if stale:
        problems.append(
            f"Msgids no longer in the code ({len(stale)}):\n"
            + "\n".join(f"  {context or ''} {msgid!r}" for context, msgid in stale)
        )
    assert not problems, (
        "locale/de/LC_MESSAGES/django.po is out of date. Run\n"
        "  .venv/bin/python manage.py makemessages -l de --ignore=.venv --ignore=node_modules"
        " --ignore=var --ignore=bench\n"
        "and translate the new entries.\n" + "\n".join(problems)
    )


# --- (c) the login page speaks formal German, and English under /en/ ------------------------


def _visible_text(content: bytes) -> str:
    body = content.decode()
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


GERMAN_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/unknown-key/",
    "/accounts/password/reset/key/1-unknown-key/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", GERMAN_PAGES)
def test_account_pages_in_german_use_no_informal_address(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
    text = _visible_text(response.content)
    assert 'lang="de"' in response.content.decode()
    informal = INFORMAL_VISIBLE.findall(text)
    assert not informal, f"informal address {informal} on {path}: {text}"


@pytest.mark.django_db
def test_login_page_in_german(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    text = _visible_text(response.content)
    # If these fail, the catalogues may not be compiled: manage.py compilemessages.
    assert "Anmelden" in text
    assert "Passwort vergessen?" in text
    assert "Wenn Sie noch kein Konto haben" in text
    assert "Sign In" not in text
    assert not INFORMAL_VISIBLE.search(text), text


@pytest.mark.django_db
def test_login_page_in_english(client):
    response = client.get("/en/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    text = _visible_text(response.content)
    assert "Sign In" in text
    assert "Forgot your password?" in text
    assert "Skip to main content" in text
    assert "Anmelden" not in text
    assert "Passwort" not in text
