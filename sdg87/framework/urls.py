from django.urls import path

from sdg87.framework import views

app_name = "framework"
urlpatterns = [
    path("", views.goal_list, name="goals"),
    path("targets/<str:code>/", views.target_detail, name="target"),
]
