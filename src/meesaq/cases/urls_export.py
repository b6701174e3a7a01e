"""Case addresses: the case list's exports (views in the reports app; see urls.py)."""

from django.urls import URLPattern, path

from meesaq.reports.views.exports import cases_csv, cases_xlsx

urlpatterns: list[URLPattern] = [
    path("export.csv", cases_csv, name="export_csv"),
    path("export.xlsx", cases_xlsx, name="export_xlsx"),
]
