from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in. Roles and scopes are added by the accounts app."""
