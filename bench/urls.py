"""The benchmark server's addresses: Meesaq's own, plus the admin baseline at /bench-admin/."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, path

from meesaq.urls import handler400, handler403, handler404, handler500
from meesaq.urls import urlpatterns as meesaq

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns: list[URLPattern | URLResolver] = [path("bench-admin/", admin.site.urls), *meesaq]
