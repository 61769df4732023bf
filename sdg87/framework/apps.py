from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "sdg87.framework"
    label = "framework"
