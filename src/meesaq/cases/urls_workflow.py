"""Case addresses: the workflow part (see urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
