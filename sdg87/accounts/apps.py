from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sdg87.accounts"
    label = "accounts"
