"""``include("linkkit.django.urls")``: the partner endpoints of the server the settings name."""

from __future__ import annotations

from linkkit.django.conf import get_server
from linkkit.django.views import partner_urls

app_name = "linkkit_partner"
urlpatterns = partner_urls(get_server)
