from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "sdg87.library"
    label = "library"
