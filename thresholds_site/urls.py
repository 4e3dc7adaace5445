from django.contrib import admin
from django.urls import include, path

from guidance.api import api

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("guidance.urls")),
]

handler404 = "thresholds_site.views.page_not_found"
