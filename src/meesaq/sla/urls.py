"""Deadline addresses under /<lang>/deadlines/."""

from django.urls import URLPattern, path

from meesaq.sla import views

app_name = "sla"

urlpatterns: list[URLPattern] = [
    path("", views.queues, name="queues"),
    path("cases/<str:reference>/contact/", views.contact_record, name="contact_record"),
    path("cases/<str:reference>/follow/", views.follow, name="follow"),
    path("cases/<str:reference>/unfollow/", views.unfollow, name="unfollow"),
]
