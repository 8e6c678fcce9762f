"""Ed25519 signing keys: one PEM file per key in `RATHAUS_TOKEN_KEYS_DIR`, named `<key id>.pem`.

- The active key (`RATHAUS_TOKEN_ACTIVE_KEY`, else the signing key with the greatest id) signs
  new tokens.
- Every key in the directory verifies, so documents printed before a rotation still check.
- Keys listed in `RATHAUS_TOKEN_WITHDRAWN_KEYS` (a key that leaked, say) verify nothing: tokens
  signed with them are reported as invalid.
- A file may hold only the public key: it then verifies but cannot sign (a retired key whose
  private half was destroyed).

The directory is read again whenever a file in it changes, so a new key needs no restart.
"""

import datetime
import functools
import hashlib
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

# Short, because the key id travels in every token (and so in every QR code).
KEY_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,15}")


class KeyConfigurationError(Exception):
    """No usable signing key; the message tells the operator what to do (in English)."""


@dataclass(frozen=True)
class TokenKey:
    key_id: str
    path: Path
    public_key: Ed25519PublicKey
    private_key: Ed25519PrivateKey | None

    @property
    def can_sign(self) -> bool:
        return self.private_key is not None

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the raw public key, shortened: compare it with an exported public key."""
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        digest = hashlib.sha256(raw).hexdigest()[:16]
        return ":".join(digest[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class Keyring:
    directory: Path
    exists: bool
    keys: Mapping[str, TokenKey]
    problems: tuple[str, ...]  # files that could not be used, for the operator


def keyring() -> Keyring:
    """The keys of `RATHAUS_TOKEN_KEYS_DIR`, cached until a file in the directory changes."""
    directory = Path(settings.RATHAUS_TOKEN_KEYS_DIR)
    return _keyring_load(directory, _directory_state(directory))


def _directory_state(directory: Path) -> tuple | None:
    try:
        entries = list(os.scandir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return None
    state = []
    for entry in entries:
        if entry.name.endswith(".pem"):
            try:
                stat = entry.stat()
            except OSError:
                continue
            state.append((entry.name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(state))


@functools.lru_cache(maxsize=8)
def _keyring_load(directory: Path, state: tuple | None) -> Keyring:
    if state is None:
        return Keyring(directory=directory, exists=False, keys={}, problems=())
    keys: dict[str, TokenKey] = {}
    problems: list[str] = []
    for name, _mtime, _size in state:
        key_id = name.removesuffix(".pem")
        if not KEY_ID_PATTERN.fullmatch(key_id):
            problems.append(f"{name}: a key id has 1 to 16 lower-case letters, digits or hyphens")
            continue
        try:
            keys[key_id] = _key_read(key_id=key_id, path=directory / name)
        except (OSError, ValueError, TypeError) as exc:
            problems.append(f"{name}: {exc}")
    return Keyring(directory=directory, exists=True, keys=keys, problems=tuple(problems))


def _key_read(*, key_id: str, path: Path) -> TokenKey:
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        private_key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        return TokenKey(
            key_id=key_id, path=path, public_key=private_key.public_key(), private_key=private_key
        )
    public_key = serialization.load_pem_public_key(data)
    if not isinstance(public_key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return TokenKey(key_id=key_id, path=path, public_key=public_key, private_key=None)


def withdrawn_key_ids() -> frozenset[str]:
    return frozenset(settings.RATHAUS_TOKEN_WITHDRAWN_KEYS)


def key_active() -> TokenKey:
    """The key that signs new tokens; raises KeyConfigurationError when there is none."""
    ring = keyring()
    withdrawn = withdrawn_key_ids()
    wanted = settings.RATHAUS_TOKEN_ACTIVE_KEY
    if wanted:
        key = ring.keys.get(wanted)
        if key is None:
            raise KeyConfigurationError(
                f"RATHAUS_TOKEN_ACTIVE_KEY is {wanted!r}, but {ring.directory} has no "
                f"readable {wanted}.pem"
            )
        if not key.can_sign:
            raise KeyConfigurationError(f"{key.path} holds only a public key and cannot sign")
        if wanted in withdrawn:
            raise KeyConfigurationError(
                f"the active key {wanted!r} is listed in RATHAUS_TOKEN_WITHDRAWN_KEYS"
            )
        return key
    signing = [k for k in ring.keys.values() if k.can_sign and k.key_id not in withdrawn]
    if not signing:
        raise KeyConfigurationError(
            f"no signing key in {ring.directory}: run `manage.py verification_keys create`"
        )
    return max(signing, key=lambda k: k.key_id)


def key_status(*, key: TokenKey, active: TokenKey | None) -> str:
    """`active`, `withdrawn` or `verifies` (an older key that still checks old documents)."""
    if key.key_id in withdrawn_key_ids():
        return "withdrawn"
    if active is not None and key.key_id == active.key_id:
        return "active"
    return "verifies"


def key_create(
    *, directory: Path | None = None, key_id: str = "", today: datetime.date | None = None
) -> TokenKey:
    """Write a new private key (mode 0600); its id defaults to today's date, `yymmdd`."""
    directory = Path(directory or settings.RATHAUS_TOKEN_KEYS_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if key_id:
        if not KEY_ID_PATTERN.fullmatch(key_id):
            raise ValueError("a key id has 1 to 16 lower-case letters, digits or hyphens")
        candidates = [key_id]
    else:
        base = (today or timezone.localdate()).strftime("%y%m%d")
        # Suffixes keep ids of one day in creation order: 260315 < 260315b < 260315c.
        candidates = [base] + [base + letter for letter in string.ascii_lowercase[1:]]
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    for candidate in candidates:
        path = directory / f"{candidate}.pem"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return TokenKey(
            key_id=candidate,
            path=path,
            public_key=private_key.public_key(),
            private_key=private_key,
        )
    raise ValueError(f"a key named {candidates[-1]!r} exists already in {directory}")


def key_ensure(*, directory: Path | None = None) -> TokenKey | None:
    """Create a first key when the directory holds no signing key; returns it, else None."""
    directory = Path(directory or settings.RATHAUS_TOKEN_KEYS_DIR)
    ring = _keyring_load(directory, _directory_state(directory))
    withdrawn = withdrawn_key_ids()
    if any(key.can_sign and key.key_id not in withdrawn for key in ring.keys.values()):
        return None
    return key_create(directory=directory)
