"""Case addresses: the administrators' taxonomy pages."""

from django.urls import path

from meesaq.cases.views import taxonomy

urlpatterns = [
    path("taxonomy/", taxonomy.taxonomy_index, name="taxonomy"),
    path("taxonomy/<slug:kind>/new/", taxonomy.taxonomy_edit, name="taxonomy_add"),
    path("taxonomy/<slug:kind>/<slug:code>/", taxonomy.taxonomy_edit, name="taxonomy_edit"),
]
