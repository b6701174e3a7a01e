"""Case addresses: the people part (see urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
