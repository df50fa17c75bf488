"""Django settings for the Minsheng 110 marketplace.

Every deployment choice comes from the environment (see ``marketplace/config.py`` and the README).
With nothing set the project runs on a laptop: SQLite, Celery's filesystem broker, a local-memory cache.
"""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  (Oscar's documented way to take its defaults)

from marketplace import config

BASE_DIR = config.BASE_DIR
VAR_DIR = config.VAR_DIR

DEBUG = config.env_bool("DJANGO_DEBUG", True)
SECRET_KEY = config.secret_key(DEBUG)
ALLOWED_HOSTS = config.env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = config.env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    # Our apps come before Oscar so our templates win.
    "marketplace.apps.MarketplaceConfig",
    "providers.apps.ProvidersConfig",
    "pricing.apps.PricingConfig",
    "matching.apps.MatchingConfig",
    "ratings.apps.RatingsConfig",
    "subsidies.apps.SubsidiesConfig",
    "volunteers.apps.VolunteersConfig",
    "marketplace.payments.apps.PaymentsConfig",
    # Oscar, as listed in oscar.INSTALLED_APPS. One app is forked by Oscar's recipe
    # (dashboard.catalogue: its stock-record form must apply our pricing rule; Oscar resolves it
    # through the parent dashboard app, so that is forked too).
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "marketplace.oscar_forks.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "marketplace.oscar_forks.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # API, audit, jobs
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "django_celery_beat",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.middleware.ChineseFirstLocaleMiddleware",  # Django's LocaleMiddleware, Chinese unless chosen
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "marketplace.middleware.AdministratorOnlyBackOffices",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "marketplace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "marketplace.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": config.database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": config.cache_config()}

AUTH_USER_MODEL = "marketplace.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "site-home"  # not "home": Oscar also names its shop page "home", and the last name wins

# allauth: email or phone number plus password, or phone number plus a texted code (docs/sign-in.md).
ACCOUNT_ADAPTER = "marketplace.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# Phone is optional at the allauth level so staff created with only an email can sign in; the signup
# form itself asks for at least one of phone or email (marketplace.forms.SignupExtra). The password is
# optional too: a sign-up with a phone number and no password is confirmed by a texted code, and
# SignupExtra asks for a password when only an email is given.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1", "password2"]
ACCOUNT_SIGNUP_FORM_CLASS = "marketplace.forms.SignupExtra"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# A phone number given at sign-up is verified by a six-digit code before the new account is signed in
# (marketplace.adapters.SignUpPhoneVerificationStage limits allauth's stage to sign-ups).
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True  # rate-limited by allauth ("verify_phone": 1 per 30 s per number)
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 5 * 60  # as sign-in codes: the text says how many minutes
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Phone + SMS code sign-in (web and the mini program through allauth.headless): six-digit numeric codes,
# sent by marketplace.sms. allauth's rate limits (ACCOUNT_RATE_LIMITS) keep their defaults: they are on.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3

# Internationalisation: Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files from the app folders in development too (no CDN, no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SITE_ID = 1
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "noreply@minsheng110.example"

# Oscar: a service catalogue priced in CNY; search runs on the database.
OSCAR_SHOP_NAME = _("Minsheng 110 service platform")
OSCAR_DEFAULT_CURRENCY = "CNY"
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¥#,##0.00"}}
OSCAR_HOMEPAGE = "/"
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_REQUIRED_ADDRESS_FIELDS = ("line1",)
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# REST API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "marketplace.api.AutoSchema",  # drf-spectacular, naming nested serializers
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "marketplace.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minsheng 110 marketplace API",
    "DESCRIPTION": "Service catalogue, guide prices and contracted companies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Celery: filesystem broker on a laptop, Redis when CELERY_BROKER_URL says so.
CELERY_BROKER_URL = config.celery_broker_url()
if CELERY_BROKER_URL.startswith("filesystem://"):
    _folder = config.celery_filesystem_folder()
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_folder / "queue"),
        "data_folder_out": str(_folder / "queue"),
        "processed_folder": str(_folder / "processed"),
        "control_folder": str(_folder / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again on restart
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = config.env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_RESULT_BACKEND = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"marketplace": {"level": "INFO"}, "providers": {"level": "INFO"}, "pricing": {"level": "INFO"}},
}

# Periodic work (django-celery-beat loads these into its database schedule on start).
CELERY_BEAT_SCHEDULE = {
    "expire-due-offers": {"task": "matching.tasks.expire_due_offers", "schedule": 15.0},
    "assign-waiting-requests": {"task": "matching.tasks.assign_waiting_requests", "schedule": 30.0},
    "volunteers-route-public-interest": {"task": "volunteers.tasks.public_interest_requests_route", "schedule": 60.0},
    "volunteers-duty-reminders": {"task": "volunteers.tasks.duty_reminders_send", "schedule": crontab(hour=9, minute=0)},
    "ratings-callbacks-enqueue": {"task": "ratings.tasks.callbacks_enqueue", "schedule": 300.0},
    "ratings-rating-reminders": {"task": "ratings.tasks.rating_reminders_send", "schedule": crontab(minute=15)},
    "ratings-renewals-enqueue": {"task": "ratings.tasks.renewals_enqueue", "schedule": crontab(hour=6, minute=0)},
    "ratings-monthly-report": {"task": "ratings.tasks.monthly_report_generate", "schedule": crontab(day_of_month=1, hour=2, minute=0)},
    "reconcile-payments-daily": {"task": "marketplace.payments.tasks.reconcile_yesterday", "schedule": crontab(hour=2, minute=30)},
    # Subsidy payouts sent through WeChat Pay and still in progress: asked about and booked, as the system user.
    "subsidies-payouts-refresh": {"task": "subsidies.tasks.payouts_refresh_processing", "schedule": crontab(minute="*/15")},
}

# Payments (marketplace.payments, docs/payments.md). Which providers residents may use, and each
# provider's keys. With nothing set (development) WeChat Pay and Stripe point at the local fakes that
# `manage.py payments_fakes` runs on 127.0.0.1 (WeChat Pay's fake on 8421, localstripe on 8420).
import os  # noqa: E402  (kept inside this block: plain string settings)

PAYMENT_PROVIDERS = config.env_list("PAYMENT_PROVIDERS", ["cash", "wechat", "stripe"])
config.payment_credentials_check(PAYMENT_PROVIDERS, debug=DEBUG)  # production never runs on the demo fakes' keys
PAYMENTS_FAKES_DIR = VAR_DIR / "payment-fakes"
PAYMENTS_DEMO_FAKES = config.env_bool("PAYMENTS_DEMO_FAKES", DEBUG)  # show "pay with the fake" helpers
_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WECHATPAY_MCHID = os.environ.get("WECHATPAY_MCHID", "1900000109")
WECHATPAY_APPID = os.environ.get("WECHATPAY_APPID", "wxd0000000000demo")
WECHATPAY_APIV3_KEY = os.environ.get("WECHATPAY_APIV3_KEY", "demoApiV3Key0123456789abcdefABCD")  # 32 bytes
WECHATPAY_CERT_SERIAL_NO = os.environ.get("WECHATPAY_CERT_SERIAL_NO", "DEMO0000000000000000000000000001")
WECHATPAY_PRIVATE_KEY = os.environ.get("WECHATPAY_PRIVATE_KEY", "")  # PEM text, or a file:
WECHATPAY_PRIVATE_KEY_PATH = os.environ.get("WECHATPAY_PRIVATE_KEY_PATH", str(PAYMENTS_FAKES_DIR / "merchant_key.pem"))
WECHATPAY_PUBLIC_KEY = os.environ.get("WECHATPAY_PUBLIC_KEY", "")  # platform public key mode (instead of certificates)
WECHATPAY_PUBLIC_KEY_ID = os.environ.get("WECHATPAY_PUBLIC_KEY_ID", "")
WECHATPAY_CERT_DIR = os.environ.get("WECHATPAY_CERT_DIR", str(VAR_DIR / "wechatpay-certs"))
WECHATPAY_NOTIFY_URL = os.environ.get("WECHATPAY_NOTIFY_URL", f"{_SITE_URL}/payments/notify/wechat/")
WECHATPAY_API_BASE = os.environ.get("WECHATPAY_API_BASE", "http://127.0.0.1:8421" if DEBUG else "https://api.mch.weixin.qq.com")
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_localstripe_demo")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe_demo")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_localstripe_demo")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "http://127.0.0.1:8420" if DEBUG else "https://api.stripe.com")
STRIPE_JS_URL = os.environ.get(
    "STRIPE_JS_URL", f"{STRIPE_API_BASE}/js.stripe.com/v3/" if DEBUG else "https://js.stripe.com/v3/"
)
LOGGING["loggers"]["marketplace.payments"] = {"level": "INFO"}

# allauth warns that neither phone nor email is required at sign-up; marketplace.forms.SignupExtra
# requires one of the two, which allauth's check cannot see.
SILENCED_SYSTEM_CHECKS = ["account.W001"]

# Sign-in for app clients, staff two-factor and SMS (marketplace.mfa, marketplace.sms, marketplace.headless).
INSTALLED_APPS.append("allauth.headless")
# Staff (agents, finance officers, administrators) must use TOTP; see marketplace/mfa.py. Tests that log
# staff in with force_login switch it off (tests/conftest.py) except those marked ``mfa``.
MARKETPLACE_REQUIRE_STAFF_MFA = config.env_bool("MARKETPLACE_REQUIRE_STAFF_MFA", True)
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1, "marketplace.mfa.StaffTwoFactorRequired"
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Minsheng 110"
# allauth.headless: the mini program talks to /_allauth/app/v1/... and receives JWT access + refresh tokens,
# which the REST API accepts as ``Authorization: Bearer <access token>``.
HEADLESS_CLIENTS = ("browser", "app")
HEADLESS_TOKEN_STRATEGY = "allauth.headless.tokens.strategies.jwt.JWTTokenStrategy"
HEADLESS_JWT_PRIVATE_KEY = os.environ.get("HEADLESS_JWT_PRIVATE_KEY", "")  # PEM (RS256); empty: HS256 with SECRET_KEY
HEADLESS_JWT_ALGORITHM = "RS256" if HEADLESS_JWT_PRIVATE_KEY else "HS256"
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = 15 * 60
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = 30 * 24 * 3600
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True  # signing out (or an administrator ending the session) revokes access tokens at once
HEADLESS_SERVE_SPECIFICATION = True
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    *REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"],
    "marketplace.headless.JWTAuthentication",
]
SMS_BACKEND = os.environ.get("SMS_BACKEND", "marketplace.sms.ConsoleSmsBackend")  # or marketplace.sms.HttpGatewaySmsBackend
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_API_KEY = os.environ.get("SMS_GATEWAY_API_KEY", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "民生110")
SMS_TEMPLATE_CODE = os.environ.get("SMS_TEMPLATE_CODE", "SMS_CODE")
SMS_TEMPLATE_UNKNOWN_ACCOUNT = os.environ.get("SMS_TEMPLATE_UNKNOWN_ACCOUNT", "SMS_UNKNOWN_ACCOUNT")
SMS_TEMPLATE_ACCOUNT_EXISTS = os.environ.get("SMS_TEMPLATE_ACCOUNT_EXISTS", "SMS_ACCOUNT_EXISTS")
LOGGING["loggers"]["marketplace.sms"] = {"level": "INFO"}

# WeChat sign-in (marketplace.social, marketplace.wechat_miniprogram; docs/sign-in.md): QR login on the web
# (allauth's weixin provider) and the mini program's wx.login code (jscode2session, through allauth.headless's
# provider/token). Both link to the person's phone account. Credentials come from the environment only; with
# none set there is no WeChat button and the provider URLs answer 404.
INSTALLED_APPS += [
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "marketplace.wechat_miniprogram",
]
SOCIALACCOUNT_ADAPTER = "marketplace.social.adapter.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"disconnect": "marketplace.social.forms.DisconnectForm"}  # phone-code people may unlink
SOCIALACCOUNT_AUTO_SIGNUP = False  # an unknown WeChat identity proves a phone number first (marketplace.social)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
_WECHAT_WEB_APP = config.wechat_app("WECHAT_WEB_APP_ID", "WECHAT_WEB_APP_SECRET")
_WECHAT_MINIPROGRAM_APP = config.wechat_app("WECHAT_MINIPROGRAM_APP_ID", "WECHAT_MINIPROGRAM_APP_SECRET")
SOCIALACCOUNT_PROVIDERS = {
    "weixin": {
        "provider_class": "marketplace.social.weixin.WeChatWebProvider",
        "SCOPE": ["snsapi_login"],
        "APPS": [_WECHAT_WEB_APP] if _WECHAT_WEB_APP else [],
    },
    "wechat_miniprogram": {"APPS": [_WECHAT_MINIPROGRAM_APP] if _WECHAT_MINIPROGRAM_APP else []},
}
