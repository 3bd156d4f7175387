"""Overstone settings, read from the environment (see .env.example and the README).

With nothing set this is a safe local demo: SQLite and a filesystem Celery broker in
var/, e-mail written to var/mail/. DJANGO_DEBUG=false is production. Django's own debug
pages (tracebacks, every URL pattern) are a separate switch a developer turns on,
OVERSTONE_DEBUG_PAGES: the demo shows the school the same error pages as production.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured


class Env(environ.Env):
    """django-environ, except that a variable set to nothing (``NAME=``, as .env.example
    lists most of them) means its default: otherwise an empty value reads as false, 0 or
    the current folder, and a copied .env.example would turn production security off."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        value = self.ENVIRON.get(f"{self.prefix}{var}")
        if value is not None and not value.strip() and default is not self.NOTSET:
            return self.parse_value(default, cast) if parse_default else default
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)


BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()
Env.read_env(BASE_DIR / ".env")


def project_path(value: str) -> Path:
    """A folder named in the environment; a relative one is in the project folder,
    wherever the process starts (a worker or cron's backup may start elsewhere), never in
    the working directory."""
    return BASE_DIR / Path(value).expanduser()


VAR_DIR = project_path(env("OVERSTONE_VAR_DIR", default="var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
# The demo (the default) or production (DJANGO_DEBUG=false; the name is kept from when
# the two were one switch, so that existing deployments stay production).
DEMO = env.bool("DJANGO_DEBUG", default=True)
DEBUG = DEMO and env.bool("OVERSTONE_DEBUG_PAGES", default=False)

DEMO_SECRET_KEY = "django-insecure-overstone-local-demo-only-never-use-in-production"
if DEMO:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEMO_SECRET_KEY)
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "Production (DJANGO_DEBUG=false) needs DJANGO_SECRET_KEY: a random value "
            "of at least 50 characters."
        )
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Production (DJANGO_DEBUG=false) needs DJANGO_ALLOWED_HOSTS, "
            "e.g. overstone.example.sch.uk."
        )

# Absolute address of the site, used for links in e-mails.
SITE_URL = env("OVERSTONE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text and trigram search on PostgreSQL (overstone.search)
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_tomselect",  # only for its static files: Tom Select, for multi-selects
    "django_celery_beat",
    "django_celery_results",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",
    "overstone",
    "incidents",
    "complaints",
    "pupils",
    "training",
    "agreements",
    "cases",
    "surveys",
    "reporting",
    "privacy",
    "effectiveness",
    "trust",
]

MIDDLEWARE = [
    # First: a body larger than its page accepts is refused before anything reads it.
    "overstone.bodylimit.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "overstone.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, so static files stay cacheable and nothing else is.
    "overstone.middleware.PrivateNoStoreMiddleware",
    "overstone.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Everything after runs in the scope of the school the user is working in.
    "overstone.middleware.SchoolMiddleware",
    "overstone.middleware.AuditRequestMiddleware",
    "overstone.middleware.IdleSessionMiddleware",
    "overstone.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the second factor: an e-mail's link to a page of another of one's schools.
    "overstone.middleware.SchoolLinkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "overstone.middleware.ErrorPageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "overstone.urls"
WSGI_APPLICATION = "overstone.wsgi.application"

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
                "overstone.context_processors.navigation",
                "overstone.context_processors.schools",
            ],
            "builtins": ["overstone.templatetags.people"],
        },
    },
]

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'overstone.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for locks instead of failing, and take
    # the write lock at the start of a transaction so concurrent writers queue up.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so a Celery worker process in a test sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username/address pair is refused before its password
    # is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Both are idle timeouts (overstone.middleware.IdleSessionMiddleware restarts them as
# the user works); roles that see safeguarding records get the shorter one.
SESSION_COOKIE_AGE = env.int("OVERSTONE_SESSION_SECONDS", default=8 * 60 * 60)
OVERSTONE_PRIVILEGED_SESSION_SECONDS = env.int(
    "OVERSTONE_PRIVILEGED_SESSION_SECONDS", default=30 * 60
)

# The school of a single-school installation (overstone.schools); a trust adds schools
# on the Schools page.
OVERSTONE_SCHOOL_NAME = env("OVERSTONE_SCHOOL_NAME", default="Overstone School")

# Two-factor (TOTP) for the roles in overstone.roles.TWO_FACTOR_ROLES. On in production;
# off by default in the local demo so the demo users log in with a password alone.
OVERSTONE_REQUIRE_2FA = env.bool("OVERSTONE_REQUIRE_2FA", default=not DEMO)
OTP_TOTP_ISSUER = env("OVERSTONE_OTP_ISSUER", default="Overstone")

# django-axes: a username tried from one address is locked after this many failures;
# the same user from elsewhere, and other users, can still log in.
AXES_FAILURE_LIMIT = env.int("OVERSTONE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("OVERSTONE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "overstone.audit.client_ip"
AXES_VERBOSE = False

# ---------------------------------------------------------------------------
# Internationalisation
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files (whitenoise; Bootstrap and htmx come from pip packages)
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEMO
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded evidence lives here; it is never served by URL, only through views.
MEDIA_ROOT = project_path(env("OVERSTONE_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Evidence and report files, and the folders made for them, are readable by the
# service account only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Largest evidence file accepted, in bytes.
OVERSTONE_EVIDENCE_MAX_BYTES = env.int("OVERSTONE_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
# Largest image accepted, in pixels, and most image pixels in one upload: a small PNG can
# decode to hundreds of megabytes, so dimensions are read from the header and checked
# before any image is decoded (40 Mpx is a 7,000 x 5,700 screenshot).
OVERSTONE_EVIDENCE_MAX_PIXELS = env.int("OVERSTONE_EVIDENCE_MAX_PIXELS", default=40_000_000)
OVERSTONE_EVIDENCE_MAX_UPLOAD_PIXELS = env.int(
    "OVERSTONE_EVIDENCE_MAX_UPLOAD_PIXELS", default=200_000_000
)

# Largest request body, in bytes, by kind of page (overstone.bodylimit): a form, an
# upload of evidence files (several at once), an import file. Larger bodies are refused
# with 413 before they are read; the proxy in front must allow the largest.
OVERSTONE_REQUEST_MAX_BYTES = env.int("OVERSTONE_REQUEST_MAX_BYTES", default=1024 * 1024)
OVERSTONE_EVIDENCE_REQUEST_MAX_BYTES = env.int(
    "OVERSTONE_EVIDENCE_REQUEST_MAX_BYTES", default=100 * 1024 * 1024
)
OVERSTONE_IMPORT_REQUEST_MAX_BYTES = env.int(
    "OVERSTONE_IMPORT_REQUEST_MAX_BYTES", default=10 * 1024 * 1024
)
# The form fields of a request (not its files) are held in memory: no more than a form's
# worth, on upload pages too. Files over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary
# file (readable by its owner only) instead of memory while they are checked.
DATA_UPLOAD_MAX_MEMORY_SIZE = OVERSTONE_REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Years a record is kept after it is closed (incident), resolved or closed (complaint) or
# answered (parent's concern). Past that, the monthly review asks the principal to
# approve its anonymisation; nothing is ever deleted without that approval. Safeguarding
# records default to 25 years (a proxy for the IRMS schools toolkit's "date of birth of
# the child + 25 years", as Overstone holds no dates of birth); complaints to 6.
OVERSTONE_RETENTION_YEARS = {
    "incident": env.int("OVERSTONE_RETENTION_INCIDENT_YEARS", default=25),
    "complaint": env.int("OVERSTONE_RETENTION_COMPLAINT_YEARS", default=6),
    "concern": env.int("OVERSTONE_RETENTION_CONCERN_YEARS", default=6),
    # A pupil's own record, counted from the day they left (the export no longer has them).
    "pupil": env.int("OVERSTONE_RETENTION_PUPIL_YEARS", default=25),
}
# Days the mail queue (overstone.notify) keeps the record of an e-mail, deleted by a daily
# beat task. A sent one (to whom, subject, when: its body is blanked once sent) goes this
# long after it was sent. A failed one keeps its body and is listed for the principal
# (/emails/failed/) to tell the people another way; nobody marks it dealt with, so it is
# kept the longer period, counted from when it was given up, and then deleted too. One
# still being tried (about two hours at most) is never deleted.
OVERSTONE_EMAIL_RETENTION_DAYS = {
    "sent": env.int("OVERSTONE_SENT_EMAIL_RETENTION_DAYS", default=90),
    "failed": env.int("OVERSTONE_FAILED_EMAIL_RETENTION_DAYS", default=365),
}
# Days the row problems of a finished import are kept, then emptied by a daily beat task:
# they quote the file (parents' e-mail addresses, pupils' names, web-filter user names)
# and serve only to correct it and upload it again. The job's outcome and counts stay.
OVERSTONE_IMPORT_ERRORS_RETENTION_DAYS = env.int(
    "OVERSTONE_IMPORT_ERRORS_RETENTION_DAYS", default=30
)

# Alerts. A new incident of these severities is e-mailed at once to the e-Safety
# coordinator and the principal, and nobody can move it to the digest; the others go into
# each person's daily digest unless they ask for them at once (incidents.alerts). The
# first digest a person gets looks back this many days.
OVERSTONE_ALERT_IMMEDIATE_SEVERITIES = env.list(
    "OVERSTONE_ALERT_IMMEDIATE_SEVERITIES", default=["high", "critical"]
)
OVERSTONE_ALERT_DIGEST_LOOKBACK_DAYS = env.int("OVERSTONE_ALERT_DIGEST_LOOKBACK_DAYS", default=7)
# School days the principal (or the chair of governors) has to answer a parent's concern
# before it shows as overdue and they are reminded, once.
OVERSTONE_CONCERN_ANSWER_SCHOOL_DAYS = env.int("OVERSTONE_CONCERN_ANSWER_SCHOOL_DAYS", default=10)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------
# EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587; by default each
# message is written as a file in var/mail/.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
globals().update(EMAIL_CONFIG)
# A backend class by its dotted path instead, for tests: overstone.tests.mail.FlakyEmailBackend.
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = str(project_path(env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Overstone <overstone@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP server may take to answer: overstone.notify holds a lock while sending.
EMAIL_TIMEOUT = EMAIL_CONFIG.get("EMAIL_TIMEOUT", 30)

# ---------------------------------------------------------------------------
# Celery
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The folders below are the broker; the host is nominal, but without one kombu warns
    # "No hostname was supplied" at every connection the worker makes.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_DIR = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
else:
    # Fail in about a second when Redis is down or frozen instead of hanging a request.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 1,
        "socket_connect_timeout": 1,
        # A task whose worker died unacknowledged is redelivered after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
    }
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = env.bool(
    "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP", default=True
)
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=5 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=6 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "dispatch-outbox": {"task": "overstone.tasks.dispatch_outbox", "schedule": 60.0},
    "retry-emails": {"task": "overstone.tasks.retry_emails", "schedule": 60.0},
    "policy-review-reminders": {
        "task": "reporting.tasks.send_policy_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "annual-report-on-1-september": {
        "task": "reporting.tasks.generate_last_years_report",
        "schedule": crontab(hour=6, minute=0, day_of_month=1, month_of_year=9),
    },
    "training-session-reminders": {
        "task": "training.tasks.queue_session_reminders",
        "schedule": 60.0 * 60,
    },
    "training-term-meeting-reminder": {
        "task": "training.tasks.remind_unscheduled_term_meeting",
        "schedule": 60.0 * 60 * 6,
    },
    "referral-overdue-reminders": {
        "task": "cases.tasks.remind_overdue_referrals",
        "schedule": crontab(hour=7, minute=20),
    },
    "case-task-reminders": {
        "task": "cases.tasks.remind_due_case_tasks",
        "schedule": crontab(hour=7, minute=25),
    },
    "subject-access-reminders": {
        "task": "privacy.tasks.remind_subject_access_due",
        "schedule": crontab(hour=7, minute=15),
    },
    "retention-review": {
        "task": "privacy.tasks.review_retention",
        # Daily, though the review is monthly: a day missed (mail down) is made up the next.
        "schedule": crontab(hour=6, minute=30),
    },
    "purge-old-emails": {
        "task": "overstone.tasks.purge_old_emails",
        "schedule": crontab(hour=5, minute=30),
    },
    "purge-import-errors": {
        "task": "overstone.tasks.purge_import_errors",
        "schedule": crontab(hour=5, minute=35),
    },
    "report-evidence-orphans": {
        "task": "overstone.tasks.report_evidence_orphans",
        "schedule": crontab(hour=5, minute=45),
    },
    "remind-overdue-complaints": {
        "task": "complaints.tasks.remind_overdue_complaints",
        "schedule": crontab(hour=7, minute=30),
    },
    "remind-overdue-concerns": {
        "task": "complaints.tasks.remind_overdue_concerns",
        "schedule": crontab(hour=7, minute=35),
    },
    "incident-alert-digests": {
        "task": "incidents.tasks.send_alert_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "risk-assessment-reminders": {
        "task": "effectiveness.tasks.send_risk_reminders",
        "schedule": crontab(hour=7, minute=45),
    },
}

# ---------------------------------------------------------------------------
# Security (production defaults; each can be turned off behind a trusted proxy)
# ---------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEMO)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEMO else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEMO
SECURE_HSTS_PRELOAD = not DEMO
# Off only where production settings are served over plain HTTP on loopback (the bench).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEMO)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Behind a proxy the client's address is the last one it appends to X-Forwarded-For.
OVERSTONE_BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if OVERSTONE_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no page uses, switched off for the page and anything it might embed.
OVERSTONE_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Scripts only from our own origin (Bootstrap and htmx are served locally), never
# inline. Inline *styles* stay allowed (the charts, overstone.charts, no longer need
# them; every template would need checking before this is tightened).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons as data: SVG
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Libraries that narrate every PDF they draw.
        **{name: {"level": "ERROR"} for name in ("weasyprint", "fontTools")},
        # Through the root's handler alone: Django's own console handler (on with DEBUG)
        # would print each line a second time.
        "django": {"handlers": [], "level": "INFO"},
    },
}
