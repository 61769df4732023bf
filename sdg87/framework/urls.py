from django.http import HttpResponse
from django.urls import path

app_name = "framework"
urlpatterns = [path("targets/<str:code>/", lambda r, code: HttpResponse("stub"), name="target")]
