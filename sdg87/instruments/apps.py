from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "sdg87.instruments"
    label = "instruments"
