from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sdg87.core"
    label = "core"
