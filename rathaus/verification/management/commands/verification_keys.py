from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rathaus.verification.keys import (
    KeyConfigurationError,
    key_active,
    key_create,
    key_ensure,
    key_status,
    keyring,
)


class Command(BaseCommand):
    # It fixes what the signing-key check complains about, so it must run despite it.
    requires_system_checks: list[str] = []
    help = (
        "Signing keys of the QR codes on documents: list them (default), create a new one "
        "(rotation), or ensure one exists (make run)."
    )

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action")
        commands.add_parser("list", help="List the keys with their status (the default).")
        create = commands.add_parser("create", help="Create a new key (rotation).")
        create.add_argument(
            "--id", default="", dest="key_id", help="Key id (default: today's date, yymmdd)."
        )
        commands.add_parser(
            "ensure", help="Create a first key only when there is no signing key (idempotent)."
        )

    def handle(self, *args, action: str | None = None, key_id: str = "", **options) -> None:
        if action == "create":
            try:
                key = key_create(key_id=key_id)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Created key {key.key_id} ({key.fingerprint}) in {key.path}.")
            self.stdout.write(
                "Copy it to every machine first, then set "
                f"RATHAUS_TOKEN_ACTIVE_KEY={key.key_id} to sign with it. "
                "Older keys stay in the directory so that older documents still check."
            )
            return
        if action == "ensure":
            key = key_ensure()
            if key is not None:
                self.stdout.write(f"Created signing key {key.key_id} in {key.path}.")
            return
        self._list()

    def _list(self) -> None:
        ring = keyring()
        if not ring.exists:
            raise CommandError(
                f"{ring.directory} does not exist (RATHAUS_TOKEN_KEYS_DIR); "
                "create a key with `manage.py verification_keys create`."
            )
        try:
            active = key_active()
        except KeyConfigurationError as exc:
            active = None
            self.stderr.write(f"No signing key: {exc}.")
        self.stdout.write(f"Keys in {ring.directory}:")
        for key in sorted(ring.keys.values(), key=lambda k: k.key_id):
            status = key_status(key=key, active=active)
            sign = "" if key.can_sign else " (public key only)"
            self.stdout.write(f"  {key.key_id:<16} {status:<9} {key.fingerprint}{sign}")
        for problem in ring.problems:
            self.stderr.write(f"  unusable: {problem}")
        withdrawn = sorted(set(settings.RATHAUS_TOKEN_WITHDRAWN_KEYS) - set(ring.keys))
        for key_id in withdrawn:
            self.stdout.write(f"  {key_id:<16} withdrawn (file removed)")
