from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "sdg87.partners"
    label = "partners"
