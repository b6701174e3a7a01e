from django.urls import path

from meesaq.accounts import manage_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="logout_everywhere"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("devices/", views.devices, name="devices"),
    path("profile/", views.profile, name="profile"),
    path("set-password/<str:uidb64>/<str:token>/", views.set_password, name="set_password"),
    path("users/", manage_views.user_list, name="user_list"),
    path("users/new/", manage_views.user_create, name="user_create"),
    path("users/<int:pk>/", manage_views.user_detail, name="user_detail"),
]
