"""System check: a production site must be able to sign and verify document tokens."""

from django.conf import settings
from django.core import checks

from .keys import KeyConfigurationError, key_active, keyring

HINT = "Create a key with `manage.py verification_keys create`; see docs/verification.md."


@checks.register(checks.Tags.security)
def check_signing_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    # The local demo (make run) creates its key itself, so debug mode only warns.
    level = checks.Warning if settings.DEBUG else checks.Error
    prefix = "verification.W" if settings.DEBUG else "verification.E"
    ring = keyring()
    if not ring.exists:
        return [
            level(
                f"The key directory {ring.directory} (RATHAUS_TOKEN_KEYS_DIR) does not exist, "
                "so permits and certificates cannot carry a verifiable QR code.",
                hint=HINT,
                id=f"{prefix}001",
            )
        ]
    messages = [
        level(f"Unusable key file in {ring.directory}: {problem}", hint=HINT, id=f"{prefix}002")
        for problem in ring.problems
    ]
    try:
        key_active()
    except KeyConfigurationError as exc:
        messages.append(level(f"No key to sign tokens: {exc}.", hint=HINT, id=f"{prefix}003"))
    return messages
