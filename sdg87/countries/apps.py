from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "sdg87.countries"
    label = "countries"
