"""Case addresses: the page part (see urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
