"""Deadline addresses under /<lang>/deadlines/."""

from django.urls import URLPattern, path

from meesaq.sla import views

app_name = "sla"

urlpatterns: list[URLPattern] = [
    path("", views.queues, name="queues"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/rules/add/", views.rule_add, name="rule_add"),
    path("settings/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("settings/rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path(
        "settings/holidays/<int:holiday_id>/delete/",
        views.holiday_delete,
        name="holiday_delete",
    ),
    path("cases/<str:reference>/contact/", views.contact_record, name="contact_record"),
    path("cases/<str:reference>/follow/", views.follow, name="follow"),
    path("cases/<str:reference>/unfollow/", views.unfollow, name="unfollow"),
]
