"""Reads deployment configuration from the environment, and only from there.

Every value has a working default for a fresh laptop (SQLite, Celery's filesystem broker, a
local-memory cache). A value that is set but cannot be used stops start-up with a message naming
the variable, instead of failing later somewhere far away.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MARKETPLACE_VAR_DIR", BASE_DIR / "var"))


def _bad(name: str, value: str, why: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Environment variable {name}={value!r} is not usable: {why}")


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise _bad(name, raw, "expected one of 1/0, true/false, yes/no, on/off")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def database_config() -> dict:
    raw = os.environ.get("DATABASE_URL", "")
    if not raw:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            # SQLite serialises writers; wait for the lock instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    scheme = urlparse(raw).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise _bad("DATABASE_URL", raw, "use postgres://… or sqlite:///path")
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises plain ValueErrors
        raise _bad("DATABASE_URL", raw, str(exc)) from exc
    return config


def celery_broker_url() -> str:
    raw = os.environ.get("CELERY_BROKER_URL", "")
    if not raw:
        return "filesystem://"
    scheme = urlparse(raw).scheme
    if scheme not in {"redis", "rediss", "filesystem", "memory", "amqp"}:
        raise _bad("CELERY_BROKER_URL", raw, "use redis://host:port/db or filesystem://")
    return raw


def celery_filesystem_folder() -> Path:
    folder = VAR_DIR / "celery-broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return folder


def cache_config() -> dict:
    raw = os.environ.get("CACHE_URL", "")
    if not raw:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "marketplace"}
    parsed = urlparse(raw)
    if parsed.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    if parsed.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "marketplace"}
    raise _bad("CACHE_URL", raw, "use redis://host:port/db or locmem://")


def secret_key(debug: bool) -> str:
    raw = os.environ.get("DJANGO_SECRET_KEY", "")
    if raw:
        if len(raw) < 32:
            raise _bad("DJANGO_SECRET_KEY", "***", "must be at least 32 characters")
        return raw
    if not debug:
        raise ImproperlyConfigured("Environment variable DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    return "insecure-development-key-only-for-the-local-demo-0123456789"


def wechat_app(id_variable: str, secret_variable: str) -> dict | None:
    """A WeChat app's credentials (an AppID and its AppSecret) as an allauth ``APPS`` entry, or None
    when neither variable is set (WeChat sign-in is then switched off). Half a pair, or an AppID that
    is not one, stops start-up."""
    app_id = os.environ.get(id_variable, "").strip()
    secret = os.environ.get(secret_variable, "").strip()
    if not app_id and not secret:
        return None
    if not app_id:
        raise _bad(id_variable, app_id, f"set it together with {secret_variable}")
    if not secret:
        raise _bad(secret_variable, "", f"set it together with {id_variable}")
    if not (app_id.startswith("wx") and len(app_id) == 18 and app_id.isalnum()):
        raise _bad(id_variable, app_id, "a WeChat AppID is 18 characters starting with wx")
    return {"client_id": app_id, "secret": secret, "key": "", "settings": {}}


# What each payment provider needs from the environment in production (DJANGO_DEBUG off). The demo
# defaults in settings point at the local fakes; a live site must never run on them.
PAYMENT_CREDENTIALS = {
    "wechat": (("WECHATPAY_MCHID",), ("WECHATPAY_APPID",), ("WECHATPAY_APIV3_KEY",), ("WECHATPAY_CERT_SERIAL_NO",),
               ("WECHATPAY_PRIVATE_KEY", "WECHATPAY_PRIVATE_KEY_PATH"), ("WECHATPAY_PUBLIC_KEY", "WECHATPAY_CERT_DIR"),
               ("WECHATPAY_NOTIFY_URL",)),
    "stripe": (("STRIPE_SECRET_KEY",), ("STRIPE_PUBLISHABLE_KEY",), ("STRIPE_WEBHOOK_SECRET",)),
}


def payment_credentials_check(providers: list[str], *, debug: bool) -> None:
    """With DJANGO_DEBUG off, every enabled payment provider's credentials must be set in the environment
    (one of each group), and WeChat Pay's public key needs its id. Stops start-up naming the variable."""
    if debug:
        return
    for provider in providers:
        for group in PAYMENT_CREDENTIALS.get(provider, ()):
            if not any(os.environ.get(name, "").strip() for name in group):
                names = " or ".join(group)
                raise ImproperlyConfigured(
                    f"Environment variable {names} must be set when DJANGO_DEBUG is off and PAYMENT_PROVIDERS "
                    f"includes {provider} (the defaults are the local demo fakes)")
    if "wechat" in providers and os.environ.get("WECHATPAY_PUBLIC_KEY") and not os.environ.get("WECHATPAY_PUBLIC_KEY_ID"):
        raise _bad("WECHATPAY_PUBLIC_KEY_ID", "", "set it together with WECHATPAY_PUBLIC_KEY")
    secret = os.environ.get("STRIPE_SECRET_KEY", "")
    if "stripe" in providers and not secret.startswith(("sk_live_", "sk_test_", "rk_live_", "rk_test_")):
        raise _bad("STRIPE_SECRET_KEY", "***", "a Stripe secret key starts with sk_live_ or sk_test_")
