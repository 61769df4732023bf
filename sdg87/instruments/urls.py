from django.urls import path

from sdg87.instruments import views

app_name = "instruments"
urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("timeline/", views.timeline, name="timeline"),
    path("countries/<str:iso3>/", views.country_ratifications, name="country"),
    path("<str:code>/", views.instrument_detail, name="detail"),
]
