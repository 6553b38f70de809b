"""The partner endpoints as a Django app: add ``"linkkit.django"`` to ``INSTALLED_APPS``, name your
server in ``LINKKIT_PARTNER = {"SERVER": "shop.partner.server"}``, and include the URLs::

    urlpatterns = [path("samsung/", include("linkkit.django.urls"))]   # Samsung calls /samsung/cards/...

``partner_urls(server)`` gives the same patterns for a server object, without the settings entry.
"""

from linkkit.errors import MissingDependencyError

try:
    import django  # noqa: F401  (only to say which extra is missing before a submodule fails)
except ImportError as exc:
    raise MissingDependencyError("linkkit.django", package="Django", extra="django") from exc

from linkkit.django.conf import SETTING as SETTING
from linkkit.django.conf import get_server as get_server
from linkkit.django.views import partner_urls as partner_urls

__all__ = ["SETTING", "get_server", "partner_urls"]
