from django.http import HttpResponse
from django.urls import path

app_name = "accounts"
urlpatterns = [
    path("login/", lambda r: HttpResponse("stub"), name="login"),
    path("logout/", lambda r: HttpResponse("stub"), name="logout"),
    path("profile/", lambda r: HttpResponse("stub"), name="profile"),
]
