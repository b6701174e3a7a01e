"""Case addresses: the people part (see urls.py). Every one is a POST or a form behind a POST."""

from django.urls import URLPattern, path

from meesaq.cases.views import people

urlpatterns: list[URLPattern] = [
    path("<str:reference>/people/add/", people.person_add, name="person_add"),
    path("<str:reference>/people/link/", people.person_link, name="person_link"),
    path("<str:reference>/people/<int:person_id>/edit/", people.person_edit, name="person_edit"),
    path(
        "<str:reference>/people/<int:person_id>/remove/",
        people.person_remove,
        name="person_remove",
    ),
]
