from django.urls import path

from meesaq.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("template.csv", views.template_csv, name="template_csv"),
    path("template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("<int:run_id>/", views.import_detail, name="detail"),
    path("<int:run_id>/start/", views.import_start, name="start"),
]
