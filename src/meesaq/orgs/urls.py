from django.urls import URLPattern, path

from meesaq.orgs import views

app_name = "orgs"

urlpatterns: list[URLPattern] = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_new, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
]
