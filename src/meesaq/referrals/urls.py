"""Referral addresses, under /<lang>/referrals/ (case-level actions take the case reference)."""

from django.urls import URLPattern, path

from meesaq.referrals import views

app_name = "referrals"

urlpatterns: list[URLPattern] = [
    path("", views.referral_list, name="list"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/step/", views.referral_step, name="step"),
    path("<int:referral_id>/onward/", views.referral_onward, name="onward"),
    path("new/<str:reference>/", views.referral_create, name="create"),
    path("transfer/<str:reference>/", views.transfer_request, name="transfer_request"),
    path("transfers/<int:transfer_id>/", views.transfer_decide, name="transfer_decide"),
]
