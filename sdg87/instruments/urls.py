from django.http import HttpResponse
from django.urls import path

app_name = "instruments"
urlpatterns = [path("", lambda r: HttpResponse("stub"), name="list")]
