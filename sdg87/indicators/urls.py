from django.urls import path

from sdg87.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("coverage/", views.coverage, name="coverage"),
    path("import/", views.observations_upload, name="import"),
    path("<str:code>/", views.indicator_detail, name="detail"),
    path("<str:code>/map/", views.indicator_map, name="map"),
]
