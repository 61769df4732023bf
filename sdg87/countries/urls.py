from django.urls import path

from sdg87.countries import views
from sdg87.profiles import views as profile_views

app_name = "countries"
urlpatterns = [
    path("", views.country_list, name="list"),
    path("<str:iso3>/", views.country_detail, name="detail"),
    path("<str:iso3>/profile.pdf", profile_views.profile_pdf, name="profile_pdf"),
]
