"""Settings of the example shop: a plain Django project plus linkkit's partner app.

Everything deployment-specific comes from the environment (see README.md): the identity folder
(LINKKIT_CONFIG), the store (LINKKIT_STORE_URL), where Samsung is (LINKKIT_ATW_BASE_URL and
LINKKIT_WALLET_API_URL: the sandbox in tests), and the click-time link secret.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-a-secret")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "linkkit.django",  # the partner endpoints: Get Card Data, Send Card State, Request Action, /w/{token}
    "shop",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
# The shop's own tables; linkkit's partner store is its own URL (LINKKIT_STORE_URL), and may be
# this same PostgreSQL database: its tables are all prefixed linkkit_.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "shop.sqlite3"}}
STATIC_URL = "static/"
USE_TZ = True

# The one settings entry of linkkit.django: the function that builds the PartnerServer, once per
# worker process, on its first request.
LINKKIT_PARTNER = {"SERVER": "shop.partner.build_server"}
