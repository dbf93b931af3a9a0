"""Settings for the portal, read from environment variables.

Every variable is listed in `.env.example`. Nothing needs setting to run locally:
the default database is a SQLite file next to manage.py and DEBUG is on.
Production sets DJANGO_DEBUG=false, which makes a real secret key mandatory.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true or false")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (SECRET_KEY in {"", _DEV_SECRET_KEY} or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of 50+ characters when "
        "DJANGO_DEBUG=false (python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)

INSTALLED_APPS = [
    # The admin site class is chosen in portal.apps (two-factor when DJANGO_ADMIN_2FA).
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    # The login lockout and two-factor apps under Korean names (portal.apps).
    "portal.apps.AxesConfig",
    "django_otp",
    "portal.apps.TOTPConfig",
    "portal",
    "contacts",
    "programs",
    "schedules",
    "alerts",
    "simple_history",
    "history",
]

MIDDLEWARE = [
    # First, so its one line per request covers every answer, static files and 400s too.
    "portal.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Above CommonMiddleware, so the 400 for an unknown host is not frameable either.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Public pages for anonymous visitors come from here, with every header
    # above applied as to a fresh page, and skip everything below.
    "portal.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Historical rows name the staff member who made an admin change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A public page reads in one snapshot: old plan or new, never a mix of both.
    "portal.middleware.ConsistentReadMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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

# --- Database ---------------------------------------------------------------
# DATABASE_URL selects the database; the default is a SQLite file so that
# `make run` needs no server. PostgreSQL is what production and CI use.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two
        # gunicorn workers wait for each other instead of failing with
        # "database is locked" half-way through; WAL lets readers run meanwhile.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # Below gunicorn's 30 s timeout, so a runaway query fails cleanly
        # before the worker is killed mid-request.
        "options": f"-c statement_timeout={env_int('DJANGO_STATEMENT_TIMEOUT_MS', 20000)}",
        "connect_timeout": 2,
    }
else:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff paste addresses without a scheme ("www.seoulcoop.net"): every URL form
# field, the admin's included, reads them as https, never plain http. Django 6.0
# makes this the default and drops the setting (hence its deprecation warning).
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache ----------------------------------------------------------------------
# Rendered public pages (portal.caching). They are keyed on the plan version kept
# in the database, so even the per-process default is never stale; REDIS_URL
# (redis://host:6379/0) lets every worker and app server share rendered pages.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r}: expected redis://host:port/db")
_PROCESS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 500},
}
CACHES = {"default": _PROCESS_CACHE}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("DJANGO_CACHE_KEY_PREFIX", "portal"),
            # A slow or absent Redis costs a render, never a hung request.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # In front of Redis: a page's key names its content, so a copy kept in
        # the process can never go stale, and a repeat hit skips the round trip.
        "local": _PROCESS_CACHE,
    }

# Where each process learns that another one changed the plan (portal.stamps):
# a directory every process of the site can write, on this machine. Set it only
# when all of them run on one machine (one app server); several app servers
# share stamps through REDIS_URL instead. A SQLite database needs neither: its
# stamps live beside it.
_STAMP_DIR = env_str("DJANGO_STAMP_DIR")
if _STAMP_DIR and not Path(_STAMP_DIR).is_absolute():
    raise ImproperlyConfigured(f"DJANGO_STAMP_DIR={_STAMP_DIR!r}: expected an absolute path")
STAMP_DIR = Path(_STAMP_DIR) if _STAMP_DIR else None

# The largest page the page cache stores under one key (bytes); a larger one is
# rendered on every request rather than crowding out the rest.
PAGE_CACHE_MAX_BYTES = 4 * 1024 * 1024

# --- Language and time --------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
# Korean for texts third-party apps mark for translation but ship no Korean for.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
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
# Development serves static/ straight from the finders (no collectstatic, no
# "No directory at staticfiles" warning); production serves the collected,
# hashed and compressed copies, which WhiteNoise caches for a year (immutable).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Auth -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The admin lives at a configurable path so it is not where scanners look first.
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# --- Uploaded files ---------------------------------------------------------------
# Files the site keeps itself, never served: yearly sheets uploaded in the admin
# wait here between preview and confirm (a day at most).
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "var" / "media")
# The largest yearly sheet the admin accepts (the 2019 plan is about 30 KB).
PLAN_UPLOAD_MAX_BYTES = env_int("PLAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# --- E-mail (alerts) ------------------------------------------------------------
# An SMTP server when DJANGO_EMAIL_HOST is set; otherwise mail is printed to the
# console, which is what development wants.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = (
    env_str("DJANGO_DEFAULT_FROM_EMAIL") or "서울 사회적경제 지원사업 <noreply@localhost>"
)
# The site's public address, for links in digests (sent by `manage.py send_alerts`,
# with no request to take a host from). Required in production (check --deploy
# warns when mail is sent without an https one; send_alerts refuses to run).
_DEV_BASE_URL = "http://127.0.0.1:8000" if DEBUG else ""
PORTAL_BASE_URL = (env_str("PORTAL_BASE_URL") or _DEV_BASE_URL).rstrip("/")
if PORTAL_BASE_URL and not PORTAL_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"PORTAL_BASE_URL={PORTAL_BASE_URL!r}: expected https://host")

# --- Security -------------------------------------------------------------------
# Production values are keyed on DEBUG, so DJANGO_DEBUG=false alone gives a site
# that `manage.py check --deploy --fail-level WARNING` passes with nothing silenced.

# Only when a reverse proxy that we run terminates TLS and sets X-Forwarded-Proto
# and X-Forwarded-For; otherwise any client could claim HTTPS or another address.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_SSL_REDIRECT = not DEBUG
# Probes from the load balancer or the host itself speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# `preload` only says the owner may submit the domain to the browsers' preload
# list; nothing happens until someone does, from the apex domain. It is on so
# check --deploy is clean; set false if the parent domain must keep plain HTTP.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Our pages link to notices on other sites; they need not learn which page.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF token; forms carry it in a hidden field.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end with the browser and after 8 hours at the latest.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 60 * 60

# Every response: scripts, styles, images and fonts only from our own origin,
# never inline (no nonces: no page needs an inline script or style).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Admin login throttling (django-axes): five wrong passwords for one user name
# from one address lock that pair out for 15 minutes; other pairs are unaffected.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_COOLOFF_MESSAGE = "로그인을 여러 번 잘못 시도해 잠시 막았습니다. 15분 뒤에 다시 시도하세요."
if BEHIND_PROXY:
    # One proxy that appends the client to X-Forwarded-For (nginx's
    # $proxy_add_x_forwarded_for): the right-most entry is the one it wrote;
    # whatever a client put before it is ignored, not trusted.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = 0
    IPWARE_STRICT = False
else:
    # Direct connections: a client-sent X-Forwarded-For must not pick its own address.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Two-factor admin login (django-otp, TOTP): staff without a verified device are
# treated as not staff. Enrol a device with `manage.py enrol_totp <username>`.
ADMIN_2FA = env_bool("DJANGO_ADMIN_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Seoul Social Economy Portal"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        # Errors reach the log with their traceback; users see templates/500.html.
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # Login failures and lockouts stay (WARNING); the start-up banner goes.
        "axes.apps": {"level": "WARNING"},
    },
}
