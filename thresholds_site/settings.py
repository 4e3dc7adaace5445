"""Settings for the threshold guidance site, all driven by environment variables.

Production: DEBUG off (the default), SECRET_KEY and ALLOWED_HOSTS set, DATABASE_URL pointing at
PostgreSQL; HTTPS and HSTS are then on unless switched off. Local development: `make run` sets
DEBUG=true and uses the SQLite default. README.md lists every variable.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Read as it is: django-environ would treat a key that starts with "$" as the name of another
# variable, and a random key does so one time in fifty.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A guessable key would let anyone forge sessions on a live site.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First: Django takes a management command from the first app that has it, and guidance's
    # changepassword finds a lead by their email in any case.
    "guidance",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    # Serves the API docs' Swagger UI from the site's own static files, not a CDN.
    "ninja",
]

AUTHENTICATION_BACKENDS = [
    # Failed-login throttling first, then per-authority rules for leads, then Django's own
    # (taking the email in any case).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "thresholds_site.auth.EmailBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and CSRF middleware, so it sees the cookies they set (and then leaves
    # the answer uncompressed: BREACH). Static files never reach it: WhiteNoise answers first.
    "guidance.caching.SecretFreeGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thresholds_site.urls"

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

WSGI_APPLICATION = "thresholds_site.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Keep connections between requests: a cached page costs one small query, and opening a new
# PostgreSQL connection for it took most of its time (make bench-throughput: 0.1 of a bare view
# with a new connection per request, 0.3-0.66 with kept connections).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Django's check of a kept connection is a query of its own before each request's first: half
# the database work of a cached page. Off by default: the cached pages' version check notices a
# connection the database dropped and opens a new one (guidance/caching.py `_one_row`), and
# Django closes a connection that failed at the end of its request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
# Django sends each query as text with its values in it, and PostgreSQL parses and plans it
# anew every time: planning was a third to a half of the database's work for a page at 155
# areas. With the values bound by the server instead, a query's text is the same whatever the
# values, so psycopg prepares it after its fifth use on a connection (its default threshold) and
# PostgreSQL plans it once (make bench-scale: a level page's database time 4.7-6.0 ms -> 2.7-3.3,
# the search page's 12 -> 8). Behind PgBouncer older than 1.21 in transaction mode, which loses
# prepared statements, set DATABASE_PREPARED_STATEMENTS=false: values bound by the client again,
# nothing prepared (Django's default).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

# Public pages and API answers are cached whole (guidance/caching.py); keys name the versions of
# the data shown, so any backend is never stale. Local memory per process by default; Redis
# (redis://host:6379/1, Django's RedisCache) shares the warm cache between servers.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, without building a redis-py client per call (see the module).
    CACHES["default"]["BACKEND"] = "thresholds_site.redis_cache.RedisCache"
# With a shared cache (Redis), each process also keeps the pages it served most recently in its
# own memory, in front of it: keys name the versions, so this copy is never stale either, and a
# hit then costs no round trip to Redis. Entries per process (about 50 KB each).
SHARED_CACHE_BACKENDS = (".RedisCache", ".PyMemcacheCache", ".PyLibMCCache")
if CACHES["default"]["BACKEND"].endswith(SHARED_CACHE_BACKENDS):
    CACHES["near"] = {
        "BACKEND": "thresholds_site.near_cache.NearCache",
        "OPTIONS": {"MAX_ENTRIES": env.int("NEAR_CACHE_ENTRIES", default=300)},
    }
# Seconds browsers and shared caches may reuse a public page without asking (then they revalidate
# with the ETag, a 304 when nothing changed).
CACHE_MAX_AGE = env.int("CACHE_MAX_AGE", default=300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
# Without collected, hashed files (development, tests) whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files with far-future cache headers in production; tests and the
        # development server use plain storage (live_server cannot serve manifest names).
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

FIXTURES_DIR = BASE_DIR / "fixtures"

# Logins: five failures for one username from one address lock that pair out for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# "Lee@Example.org" and "lee@example.org" are one account, so they share one failure count.
AXES_USERNAME_CALLABLE = "thresholds_site.auth.lockout_username"

# The address a failed login is counted against. By default the connecting address: a client can
# set X-Forwarded-For to anything. Behind N reverse proxies that each append the address they
# saw to X-Forwarded-For (a load balancer: 1), set TRUSTED_PROXY_COUNT=N and the entry the
# nearest trusted proxy wrote is used, whatever a client put before it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    # ipware counts the proxies listed in the header; the nearest one is REMOTE_ADDR, not listed.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    # Strict checking would reject a chain a client had prepended to, and fall back to the proxy.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = None

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SESSION_COOKIE_HTTPONLY = True
# An admin session lasts a working day.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# HTTPS only when DEBUG is off; a proxy that terminates TLS must say so in a header it sets
# itself (e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO for X-Forwarded-Proto: https).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
PROXY_SSL_HEADER = env.str("SECURE_PROXY_SSL_HEADER", default="")
SECURE_PROXY_SSL_HEADER = (PROXY_SSL_HEADER, "https") if PROXY_SSL_HEADER else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading (a request to browser makers, slow to undo) is the operator's choice: no warning.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Only the site's own scripts, styles and images (and data: images, which the GOV.UK Frontend
# and Swagger UI stylesheets use). No inline script or style: a single injected tag can do no harm.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # The service worker (/sw.js) and the web app manifest, both the site's own.
        "worker-src": [SELF],
        "manifest-src": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {"django": {"level": env.str("LOG_LEVEL", default="WARNING")}},
}
