from django.urls import path

from meesaq.access import views

app_name = "access"

urlpatterns = [
    path("break-glass/", views.break_glass_list, name="break_glass_list"),
    path(
        "break-glass/<str:object_type>/<str:object_id>/",
        views.break_glass_request,
        name="break_glass_request",
    ),
]
