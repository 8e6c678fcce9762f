"""Signing keys: rotation, withdrawal, public-only keys, the command and the system check."""

import datetime
import io
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.core.management.base import CommandError

from rathaus.verification.checks import check_signing_keys
from rathaus.verification.keys import (
    KeyConfigurationError,
    key_active,
    key_create,
    key_ensure,
    keyring,
)
from rathaus.verification.selectors import CheckStatus, token_check

pytestmark = pytest.mark.django_db


def test_after_rotation_new_tokens_use_the_new_key_and_old_ones_still_verify(issue, settings):
    old = issue()
    assert old.record.key_id == "test"
    key_create(key_id="zz-next")  # sorts after "test": the newest id signs by default
    new = issue()
    assert new.record.key_id == "zz-next"
    assert token_check(token=old.token).status == CheckStatus.VALID
    assert token_check(token=new.token).status == CheckStatus.VALID


def test_the_configured_active_key_wins_over_the_newest(issue, settings):
    key_create(key_id="zz-next")
    settings.RATHAUS_TOKEN_ACTIVE_KEY = "test"
    assert issue().record.key_id == "test"


def test_a_withdrawn_key_verifies_nothing(issue, settings):
    old = issue()
    key_create(key_id="zz-next")
    settings.RATHAUS_TOKEN_WITHDRAWN_KEYS = ["test"]
    result = token_check(token=old.token)
    assert result.status == CheckStatus.KEY_WITHDRAWN
    assert not result.is_valid
    assert result.claims == ()
    # Signing moves on to a key that is not withdrawn.
    assert token_check(token=issue().token).status == CheckStatus.VALID


def test_a_withdrawn_key_whose_file_is_gone_is_still_reported_as_withdrawn(issue, settings):
    old = issue()
    (settings.RATHAUS_TOKEN_KEYS_DIR / "test.pem").unlink()
    settings.RATHAUS_TOKEN_WITHDRAWN_KEYS = ["test"]
    assert token_check(token=old.token).status == CheckStatus.KEY_WITHDRAWN


def test_a_removed_key_makes_its_tokens_unknown(issue, settings):
    old = issue()
    (settings.RATHAUS_TOKEN_KEYS_DIR / "test.pem").unlink()
    assert token_check(token=old.token).status == CheckStatus.UNKNOWN_KEY


def test_a_public_key_file_verifies_but_cannot_sign(issue, settings):
    old = issue()
    path = settings.RATHAUS_TOKEN_KEYS_DIR / "test.pem"
    public_key = keyring().keys["test"].public_key
    pem = serialization.PublicFormat.SubjectPublicKeyInfo
    path.write_bytes(public_key.public_bytes(serialization.Encoding.PEM, pem))
    assert not keyring().keys["test"].can_sign
    assert token_check(token=old.token).status == CheckStatus.VALID
    with pytest.raises(KeyConfigurationError):
        issue()


def test_without_a_signing_key_nothing_is_issued_or_stored(issue, settings, tmp_path):
    from rathaus.verification.models import IssuedToken

    settings.RATHAUS_TOKEN_KEYS_DIR = tmp_path / "missing"
    with pytest.raises(KeyConfigurationError):
        issue()
    assert not IssuedToken.objects.exists()


@pytest.mark.parametrize(
    ("active", "withdrawn", "message"),
    [
        ("nope", [], "has no readable nope.pem"),
        ("test", ["test"], "RATHAUS_TOKEN_WITHDRAWN_KEYS"),
        ("", ["test"], "no signing key"),
    ],
)
def test_an_unusable_active_key_is_explained(settings, active, withdrawn, message):
    settings.RATHAUS_TOKEN_ACTIVE_KEY = active
    settings.RATHAUS_TOKEN_WITHDRAWN_KEYS = withdrawn
    with pytest.raises(KeyConfigurationError, match=message):
        key_active()


def test_broken_files_are_reported_and_skipped(issue, settings):
    directory = settings.RATHAUS_TOKEN_KEYS_DIR
    (directory / "broken.pem").write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n")
    (directory / "Bad_Name.pem").write_bytes((directory / "test.pem").read_bytes())
    (directory / "README.txt").write_text("not a key")
    ring = keyring()
    assert set(ring.keys) == {"test"}
    assert len(ring.problems) == 2
    assert token_check(token=issue().token).status == CheckStatus.VALID


def test_keys_of_other_algorithms_are_refused(settings):
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (settings.RATHAUS_TOKEN_KEYS_DIR / "ecdsa.pem").write_bytes(other)
    assert "not an Ed25519 private key" in " ".join(keyring().problems)


def test_new_keys_are_private_to_the_owner_and_named_by_date(tmp_path):
    day = datetime.date(2026, 3, 15)
    first = key_create(directory=tmp_path, today=day)
    second = key_create(directory=tmp_path, today=day)
    assert (first.key_id, second.key_id) == ("260315", "260315b")
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert first.key_id < second.key_id  # the later key sorts later and becomes active


@pytest.mark.parametrize("key_id", ["UPPER", "a" * 17, "../evil", "a b", ""])
def test_key_ids_are_short_and_safe(tmp_path, key_id):
    if not key_id:
        assert key_create(directory=tmp_path, key_id=key_id)  # empty: the date
        return
    with pytest.raises(ValueError, match="key id"):
        key_create(directory=tmp_path, key_id=key_id)


def test_a_key_id_is_never_overwritten(tmp_path):
    key_create(directory=tmp_path, key_id="k1")
    with pytest.raises(ValueError, match="exists already"):
        key_create(directory=tmp_path, key_id="k1")


def test_ensure_creates_a_first_key_once(tmp_path):
    created = key_ensure(directory=tmp_path / "keys")
    assert created is not None
    assert key_ensure(directory=tmp_path / "keys") is None
    assert len(list((tmp_path / "keys").glob("*.pem"))) == 1


class TestCommand:
    def run(self, *args) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("verification_keys", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_list_shows_each_key_with_its_status(self, settings):
        key_create(key_id="zz-next")
        key_create(key_id="old")
        settings.RATHAUS_TOKEN_WITHDRAWN_KEYS = ["old", "gone"]
        out, _ = self.run("list")
        lines = {line.split()[0]: line for line in out.splitlines()[1:]}
        assert "active" in lines["zz-next"]
        assert "verifies" in lines["test"]
        assert "withdrawn" in lines["old"]
        assert "file removed" in lines["gone"]
        assert self.run()[0] == out  # list is the default

    def test_create_makes_a_key_and_says_how_to_activate_it(self, settings):
        out, _ = self.run("create", "--id", "k2027")
        assert "RATHAUS_TOKEN_ACTIVE_KEY=k2027" in out
        assert "k2027" in keyring().keys

    def test_create_refuses_a_bad_id(self):
        with pytest.raises(CommandError, match="key id"):
            self.run("create", "--id", "Nope!")

    def test_ensure_is_idempotent(self, settings, tmp_path):
        settings.RATHAUS_TOKEN_KEYS_DIR = tmp_path / "fresh"
        out, _ = self.run("ensure")
        assert "Created signing key" in out
        assert self.run("ensure") == ("", "")
        assert len(keyring().keys) == 1

    def test_list_without_a_directory_fails_with_the_fix(self, settings, tmp_path):
        settings.RATHAUS_TOKEN_KEYS_DIR = tmp_path / "missing"
        with pytest.raises(CommandError, match="verification_keys create"):
            self.run("list")


class TestSystemCheck:
    def test_all_good(self):
        assert check_signing_keys() == []

    def test_production_without_key_directory_is_an_error(self, settings, tmp_path):
        settings.DEBUG = False
        settings.RATHAUS_TOKEN_KEYS_DIR = tmp_path / "missing"
        [message] = check_signing_keys()
        assert message.id == "verification.E001"
        assert message.is_serious()

    def test_debug_without_key_directory_only_warns(self, settings, tmp_path):
        settings.DEBUG = True
        settings.RATHAUS_TOKEN_KEYS_DIR = tmp_path / "missing"
        [message] = check_signing_keys()
        assert message.id == "verification.W001"
        assert not message.is_serious()

    def test_an_empty_directory_or_bad_file_is_an_error(self, settings, tmp_path):
        settings.DEBUG = False
        settings.RATHAUS_TOKEN_KEYS_DIR = tmp_path
        (tmp_path / "broken.pem").write_text("nonsense")
        ids = sorted(message.id for message in check_signing_keys())
        assert ids == ["verification.E002", "verification.E003"]

    def test_a_missing_active_key_is_an_error(self, settings):
        settings.DEBUG = False
        settings.RATHAUS_TOKEN_ACTIVE_KEY = "nope"
        [message] = check_signing_keys()
        assert message.id == "verification.E003"
