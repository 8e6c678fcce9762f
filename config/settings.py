"""Rathaus settings, read from the environment (see docs/configuration.md for every variable).

Defaults are safe for production; `make run` sets RATHAUS_DEBUG=1 for the local demo.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("RATHAUS_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("RATHAUS_DEBUG", False)


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept under var/ (one machine)."""
    key = env_str("RATHAUS_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("RATHAUS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("RATHAUS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "rathaus.core",
    "rathaus.frontend",
    "rathaus.accounts",
    "rathaus.registry",
    "rathaus.catalog",
    "rathaus.applications",
    "rathaus.cases",
    "rathaus.audit",
    "rathaus.outbox",
    "rathaus.documents",
    "rathaus.verification",
    "rathaus.payments",
    "rathaus.classifier",
    "rathaus.intake",
    "rathaus.budget",
    "rathaus.comments",
    "rathaus.consultations",
    "rathaus.workshops",
    "rathaus.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rathaus.accounts.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # A city may put its own templates (imprint, privacy notice...) first in line.
        "DIRS": [Path(p) for p in env_list("RATHAUS_TEMPLATE_DIRS")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rathaus.frontend.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "rathaus.frontend.forms.KernFormRenderer"

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rathaus.sqlite3'}"),
        conn_max_age=env_int("RATHAUS_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache is shared by every web process and worker, so rate limits hold across them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rathaus_cache",
    }
}

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("RATHAUS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_ADAPTER = "rathaus.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Brute-force protection on every login form: per IP and per account, shared through the cache.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("RATHAUS_MFA_ISSUER", "Rathaus")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False

# eID login (the city's BundID, Keycloak or any OpenID Connect provider).
RATHAUS_EID_PROVIDER_ID = "eid"
RATHAUS_EID_SERVER_URL = env_str("RATHAUS_EID_SERVER_URL")
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"APPS": []}}
if RATHAUS_EID_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": RATHAUS_EID_PROVIDER_ID,
            "name": env_str("RATHAUS_EID_NAME", "eID"),
            "client_id": env_str("RATHAUS_EID_CLIENT_ID"),
            "secret": env_str("RATHAUS_EID_CLIENT_SECRET"),
            "settings": {
                "server_url": RATHAUS_EID_SERVER_URL,
                "scope": env_list("RATHAUS_EID_SCOPES", "openid,email,profile"),
                "oauth_pkce_enabled": True,
            },
        }
    )
# How the eID provider's `acr` claim maps to our levels of assurance (eIDAS and STORK names).
RATHAUS_EID_ACR_LEVELS = {
    "http://eidas.europa.eu/LoA/low": "basic",
    "http://eidas.europa.eu/LoA/substantial": "substantial",
    "http://eidas.europa.eu/LoA/high": "high",
    "STORK-QAA-Level-1": "basic",
    "STORK-QAA-Level-2": "basic",
    "STORK-QAA-Level-3": "substantial",
    "STORK-QAA-Level-4": "high",
    "low": "basic",
    "basic": "basic",
    "substantial": "substantial",
    "high": "high",
}
# The level an eID login gets when the provider sends no acr claim.
RATHAUS_EID_DEFAULT_LEVEL = env_str("RATHAUS_EID_DEFAULT_LEVEL", "substantial")

# --- Service catalogue ------------------------------------------------------------------------
RATHAUS_CATALOG_DIR = Path(env_str("RATHAUS_CATALOG_DIR", str(BASE_DIR / "catalog")))
# The site's public address, for links in e-mails sent by background jobs.
RATHAUS_SITE_URL = env_str("RATHAUS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# File references read PREFIX-DEPARTMENT-YEAR-NUMBER, for example WUP-104-2026-00042.
RATHAUS_REFERENCE_PREFIX = env_str("RATHAUS_REFERENCE_PREFIX", "WUP")
# Local time after which `manage.py scheduler` enqueues the daily jobs (deadlines, retention).
RATHAUS_DAILY_JOBS_AT = env_str("RATHAUS_DAILY_JOBS_AT", "03:00")

# --- Verifiable documents (docs/verification.md) ----------------------------------------------
# Ed25519 keys that sign the QR codes on permits and certificates, one `<key id>.pem` each.
# Every key in the folder verifies; the active one (default: the greatest id) signs.
RATHAUS_TOKEN_KEYS_DIR = Path(
    env_str("RATHAUS_TOKEN_KEYS_DIR", str(VAR_DIR / "keys" / "verification"))
)
RATHAUS_TOKEN_ACTIVE_KEY = env_str("RATHAUS_TOKEN_ACTIVE_KEY")
# Keys no longer trusted (leaked, say): documents signed with them check as invalid.
RATHAUS_TOKEN_WITHDRAWN_KEYS = env_list("RATHAUS_TOKEN_WITHDRAWN_KEYS")
# Records of issued tokens are deleted this many days after their document expired.
RATHAUS_TOKEN_RETENTION_DAYS = env_int("RATHAUS_TOKEN_RETENTION_DAYS", 365)
# Checks on the public page and its API, per client address (django-allauth's rate syntax).
RATHAUS_VERIFICATION_RATE_LIMIT = env_str("RATHAUS_VERIFICATION_RATE_LIMIT", "60/m/ip")

# --- Resident register ------------------------------------------------------------------------
RATHAUS_REGISTRY_BACKEND = env_str(
    "RATHAUS_REGISTRY_BACKEND", "rathaus.registry.backends.local.LocalRegistry"
)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("RATHAUS_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("RATHAUS_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go out through views that check access
RATHAUS_STORAGE = env_str("RATHAUS_STORAGE", "filesystem")
if RATHAUS_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("RATHAUS_S3_BUCKET"),
            "endpoint_url": env_str("RATHAUS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("RATHAUS_S3_REGION") or None,
            "access_key": env_str("RATHAUS_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("RATHAUS_S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif RATHAUS_STORAGE == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("RATHAUS_STORAGE must be 'filesystem' or 's3'")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("RATHAUS_DEFAULT_FROM_EMAIL", "Rathaus <noreply@rathaus.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("RATHAUS_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("RATHAUS_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("RATHAUS_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("RATHAUS_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("RATHAUS_EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("RATHAUS_EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 30
else:
    # No mail server configured: messages are written as files under var/mail to read locally.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Sent e-mails hold links and addresses: the outbox deletes them after this many days.
RATHAUS_EMAIL_RETENTION_DAYS = env_int("RATHAUS_EMAIL_RETENTION_DAYS", 30)
# The print shop's copies of posted letters (the documents stay in the case file).
RATHAUS_PRINT_RETENTION_DAYS = env_int("RATHAUS_PRINT_RETENTION_DAYS", 30)
# Named in the notice of appeal rights of every decision: in North Rhine-Westphalia an action
# goes straight to the administrative court (§ 110 JustG NRW: no objection procedure).
RATHAUS_APPEAL_COURT = env_str(
    "RATHAUS_APPEAL_COURT", "Verwaltungsgericht Düsseldorf, Bastionstraße 39, 40213 Düsseldorf"
)
# Members of this department run the central print shop (Druckstraße) at /amt/druck/.
RATHAUS_PRINT_DEPARTMENT = env_str("RATHAUS_PRINT_DEPARTMENT", "400")

# --- Workshops and events (docs/events.md) ----------------------------------------------------
# Confirmed participants get a reminder e-mail this many days before the event.
RATHAUS_EVENTS_REMINDER_DAYS = env_int("RATHAUS_EVENTS_REMINDER_DAYS", 2)
# Sign-ups are deleted this many days after their event ended.
RATHAUS_EVENTS_RETENTION_DAYS = env_int("RATHAUS_EVENTS_RETENTION_DAYS", 90)
# Sign-ups per client address (django-allauth's rate syntax).
RATHAUS_EVENTS_SIGNUP_RATE_LIMIT = env_str("RATHAUS_EVENTS_SIGNUP_RATE_LIMIT", "10/m/ip,60/h/ip")

# --- Citizens' budget: proposals and the map (docs/budget.md) ----------------------------------
# Proposal submissions per logged-in user (django-allauth's rate syntax).
RATHAUS_BUDGET_PROPOSAL_RATE_LIMIT = env_str(
    "RATHAUS_BUDGET_PROPOSAL_RATE_LIMIT", "3/h/user,10/d/user"
)
# Photos of proposals: largest upload, most pixels decoded, longest edge stored (re-encoded).
RATHAUS_BUDGET_IMAGE_MAX_BYTES = env_int("RATHAUS_BUDGET_IMAGE_MAX_BYTES", 10_000_000)
RATHAUS_BUDGET_IMAGE_MAX_PIXELS = env_int("RATHAUS_BUDGET_IMAGE_MAX_PIXELS", 40_000_000)
RATHAUS_BUDGET_IMAGE_MAX_EDGE = env_int("RATHAUS_BUDGET_IMAGE_MAX_EDGE", 2000)
# Photos, authors and hidden proposals are removed this many days after a process's results
# were published; the proposals themselves stay as the public record of the result.
RATHAUS_BUDGET_PROPOSAL_RETENTION_DAYS = env_int("RATHAUS_BUDGET_PROPOSAL_RETENTION_DAYS", 1095)
# Map tiles for every map (the Leaflet include frontend/includes/map_point.html): a URL template
# with {z}/{x}/{y} (and optionally {s}), the attribution the tile provider requires, and the
# centre ("latitude,longitude") a map shows when it has no point yet.
RATHAUS_MAP_TILES_URL = env_str(
    "RATHAUS_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
RATHAUS_MAP_TILES_ATTRIBUTION = env_str(
    "RATHAUS_MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
RATHAUS_MAP_CENTER = env_str("RATHAUS_MAP_CENTER", "51.2562,7.1508")

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("RATHAUS_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("RATHAUS_SESSION_SECONDS", 60 * 60 * 8)
SECURE_SSL_REDIRECT = env_bool("RATHAUS_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("RATHAUS_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("RATHAUS_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive only takes effect once the apex domain is submitted to the list.
SECURE_HSTS_PRELOAD = env_bool("RATHAUS_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "rathaus.frontend.views.csrf_failure"
if env_bool("RATHAUS_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SILENCED_SYSTEM_CHECKS: list[str] = []
if not SECURE_SSL_REDIRECT and env_bool("RATHAUS_BEHIND_PROXY", False):
    # TLS ends at the proxy, which redirects http to https itself.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# "https://{s}.tile.example/{z}/{x}/{y}.png" → "https://*.tile.example".
_map_tiles_origin = "{0.scheme}://{0.netloc}".format(
    urlsplit(RATHAUS_MAP_TILES_URL.replace("{s}", "*"))
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The map tiles' host (RATHAUS_MAP_TILES_URL) besides our own pictures.
        "img-src": ["'self'", "data:", _map_tiles_origin],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", *env_list("RATHAUS_CSP_FORM_ACTION")],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- The city ---------------------------------------------------------------------------------
RATHAUS_CITY_NAME = env_str("RATHAUS_CITY_NAME", "Stadt Wuppertal (Demo)")
RATHAUS_CITY_ADDRESS = env_str("RATHAUS_CITY_ADDRESS", "Johannes-Rau-Platz 1, 42275 Wuppertal")
RATHAUS_CITY_EMAIL = env_str("RATHAUS_CITY_EMAIL", "rathaus@demo.invalid")
RATHAUS_CITY_PHONE = env_str("RATHAUS_CITY_PHONE", "+49 202 000000")
RATHAUS_ACCESSIBILITY_EMAIL = env_str(
    "RATHAUS_ACCESSIBILITY_EMAIL", "barrierefreiheit@demo.invalid"
)
RATHAUS_PRIVACY_OFFICER_EMAIL = env_str("RATHAUS_PRIVACY_OFFICER_EMAIL", "datenschutz@demo.invalid")

# --- Documents: the city's electronic seal (docs/documents.md) ----------------------------------
# PEM or DER files of the seal's private key, its certificate and the CA certificates above it
# (issuing CA and root). Unset with DEBUG on: the demo seal under var/seal/ is used; unset with
# DEBUG off: `manage.py check --deploy` fails and nothing is sealed.
RATHAUS_SEAL_KEY_FILE = env_str("RATHAUS_SEAL_KEY_FILE")
RATHAUS_SEAL_CERT_FILE = env_str("RATHAUS_SEAL_CERT_FILE")
RATHAUS_SEAL_CHAIN_FILE = env_str("RATHAUS_SEAL_CHAIN_FILE")
RATHAUS_SEAL_KEY_PASSPHRASE = env_str("RATHAUS_SEAL_KEY_PASSPHRASE")

# --- Fees and payments (docs/payments.md) -----------------------------------------------------
# The city's account that fees are paid to, printed on fee notices and in their GiroCode. With
# debug on, a made-up account stands in (valid check digits, no real bank); in production the
# system check `payments.E001` refuses to start until the city's real account is set.
RATHAUS_PAYEE_NAME = env_str("RATHAUS_PAYEE_NAME", "Stadtkasse Wuppertal (Demo)" if DEBUG else "")
RATHAUS_PAYEE_IBAN = env_str("RATHAUS_PAYEE_IBAN", "DE48123456780000042026" if DEBUG else "")
RATHAUS_PAYEE_BIC = env_str("RATHAUS_PAYEE_BIC")
# A fee is due this many days after it is issued.
RATHAUS_FEE_DUE_DAYS = env_int("RATHAUS_FEE_DUE_DAYS", 14)
# The code of the department whose members work the city treasury's pages (Stadtkasse).
RATHAUS_TREASURY_DEPARTMENT = env_str("RATHAUS_TREASURY_DEPARTMENT", "202")

# --- Text classifiers (docs/classifier.md) -------------------------------------------------------
# Staff corrections and imported letters (personal data) are training examples this many days;
# generated letters stay.
RATHAUS_CLASSIFIER_EXAMPLE_RETENTION_DAYS = env_int(
    "RATHAUS_CLASSIFIER_EXAMPLE_RETENTION_DAYS", 730
)
# A model that is no longer active can be activated again (rolled back to) this many days.
RATHAUS_CLASSIFIER_MODEL_RETENTION_DAYS = env_int("RATHAUS_CLASSIFIER_MODEL_RETENTION_DAYS", 90)
# Each process looks up the active model version at most this often (seconds).
RATHAUS_CLASSIFIER_CHECK_SECONDS = env_int("RATHAUS_CLASSIFIER_CHECK_SECONDS", 5)

# --- Incoming mail (docs/intake.md) ------------------------------------------------------------
# The folder a scan street writes to; `manage.py intake_watch` stores what arrives there and moves
# it to processed/ (or rejected/). Empty: no drop folder.
RATHAUS_INTAKE_DROP_DIR = env_str("RATHAUS_INTAKE_DROP_DIR")
# Processed files stay in the drop folder's processed/ for this many days (the stored original
# is kept in the intake item).
RATHAUS_INTAKE_DROP_KEEP_DAYS = env_int("RATHAUS_INTAKE_DROP_KEEP_DAYS", 14)
# Letters with more pages go to the dead-letter list; larger files are refused at the door.
RATHAUS_INTAKE_MAX_PAGES = env_int("RATHAUS_INTAKE_MAX_PAGES", 100)
RATHAUS_INTAKE_MAX_MB = env_int("RATHAUS_INTAKE_MAX_MB", 200)
# OCR engine (a class with the interface of rathaus.intake.pipeline.ocr.OcrBackend), its
# Tesseract languages and the pages it reads at once (0: one per core).
RATHAUS_INTAKE_OCR_BACKEND = env_str(
    "RATHAUS_INTAKE_OCR_BACKEND", "rathaus.intake.pipeline.ocr_scans.TesseractScanBackend"
)
RATHAUS_INTAKE_OCR_LANGUAGES = env_str("RATHAUS_INTAKE_OCR_LANGUAGES", "deu+eng")
RATHAUS_INTAKE_OCR_JOBS = env_int("RATHAUS_INTAKE_OCR_JOBS", 0)
# A worker holds a pipeline step this long (per page for OCR); a step whose worker died is taken
# up again by the reconciliation once its lease has run out.
RATHAUS_INTAKE_LEASE_SECONDS = env_int("RATHAUS_INTAKE_LEASE_SECONDS", 120)
# Incoming letters (scan, text, fields) are deleted this many days after they arrived, or with
# the case they were attached to, whichever is later.
RATHAUS_INTAKE_RETENTION_DAYS = env_int("RATHAUS_INTAKE_RETENTION_DAYS", 365)

# --- Participation: comments and consultations -------------------------------------------------
# Comments per logged-in user (django-allauth's rate syntax).
RATHAUS_COMMENT_RATE_LIMIT = env_str("RATHAUS_COMMENT_RATE_LIMIT", "5/m/user,30/h/user")
# Comments are deleted this many days after they were written.
RATHAUS_COMMENT_RETENTION_DAYS = env_int("RATHAUS_COMMENT_RETENTION_DAYS", 1095)
# Questionnaire answers are deleted this many days after their consultation closed (the
# aggregated results are kept).
RATHAUS_CONSULTATION_RESPONSE_RETENTION_DAYS = env_int(
    "RATHAUS_CONSULTATION_RESPONSE_RETENTION_DAYS", 365
)

# --- Citizens' budget: voting ---------------------------------------------------------------
# The secret of the voters' pseudonyms (HMAC-SHA256 of process and register id); empty: derived
# from SECRET_KEY. Must not change while a vote runs (the pseudonyms would change with it).
RATHAUS_BUDGET_VOTER_KEY_SECRET = env_str("RATHAUS_BUDGET_VOTER_KEY_SECRET")
# Paper ballots may still be entered this many days after voting closed (post, ballot boxes).
RATHAUS_BUDGET_PAPER_GRACE_DAYS = env_int("RATHAUS_BUDGET_PAPER_GRACE_DAYS", 7)
# Voter pseudonyms are erased, and paper ballot entries deleted, this many days after the
# results were published (the anonymous ballots stay).
RATHAUS_BUDGET_VOTER_KEY_RETENTION_DAYS = env_int("RATHAUS_BUDGET_VOTER_KEY_RETENTION_DAYS", 30)

# --- Logging: no personal data, ever (no request bodies, no e-mail addresses) ------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("RATHAUS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # 4xx warnings print request paths, which can hold one-time keys.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},
        # WeasyPrint's warnings quote the letter's HTML and CSS; fontTools chats about subsetting.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # OCRmyPDF and pdfminer report per page at INFO; their warnings name no content.
        "ocrmypdf": {"level": "WARNING"},
        "pdfminer": {"level": "WARNING"},
    },
}
