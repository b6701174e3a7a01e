"""Case addresses: the intake part (see urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
