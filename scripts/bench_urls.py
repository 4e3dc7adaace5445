"""The site's URLs plus `bench/bare/`, a view that only answers "ok": the floor every page of
`make bench-throughput` is measured against (the same server, middleware and run)."""

from django.http import HttpResponse
from django.urls import path

from thresholds_site.urls import handler404  # noqa: F401 (Django finds it in ROOT_URLCONF)
from thresholds_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/bare/", lambda request: HttpResponse("ok"), name="bench_bare"),
    *site_urlpatterns,
]
