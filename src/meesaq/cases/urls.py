"""Case addresses under /<lang>/cases/, one module per part of the case work."""

from django.urls import include, path

app_name = "cases"

# Each part's patterns; names are flat in the "cases" namespace (cases:list, cases:detail …).
urlpatterns = [
    path("", include("meesaq.cases.urls_intake")),
    path("", include("meesaq.cases.urls_page")),
    path("", include("meesaq.cases.urls_people")),
    path("", include("meesaq.cases.urls_workflow")),
    path("", include("meesaq.cases.urls_taxonomy")),
    path("", include("meesaq.cases.urls_feedback")),
    path("", include("meesaq.cases.urls_export")),
]
