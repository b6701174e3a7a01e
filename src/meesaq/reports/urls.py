"""Report addresses under /<lang>/reports/."""

from django.urls import URLPattern, path

from meesaq.reports.views import builder, dashboard, exports, indicators, periodic

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("refresh/", dashboard.refresh, name="refresh"),
    path("indicators/", indicators.indicators, name="indicators"),
    path("builder/", builder.builder, name="builder"),
    path("builder/save/", builder.builder_save, name="builder_save"),
    path("builder/export.<str:fmt>", builder.builder_export, name="builder_export"),
    path("saved/<int:report_id>/", builder.saved_open, name="saved_open"),
    path("saved/<int:report_id>/delete/", builder.saved_delete, name="saved_delete"),
    path("monthly/", periodic.periodic_list, name="periodic_list"),
    path("monthly/generate/", periodic.periodic_generate, name="periodic_generate"),
    path("monthly/<int:report_id>.<str:fmt>", periodic.periodic_download, name="periodic_download"),
    path("open-data/", exports.open_data, name="open_data"),
    path("open-data/export.<str:fmt>", exports.open_data_download, name="open_data_download"),
]
