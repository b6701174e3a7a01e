"""Case addresses: the intake part and the case list (see urls.py)."""

from django.urls import URLPattern, path

from meesaq.cases.views.case_list import case_list
from meesaq.cases.views.intake import case_intake

urlpatterns: list[URLPattern] = [
    path("", case_list, name="list"),
    path("new/", case_intake, name="intake"),
]
