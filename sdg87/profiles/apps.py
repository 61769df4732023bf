from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "sdg87.profiles"
    label = "profiles"
