"""Samsung calls the partner endpoints under /samsung/ (the base URL registered in the Partner Portal)."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("health", health),
    path("samsung/", include("linkkit.django.urls")),
]
