"""``/oai``: the OAI-PMH 2.0 endpoint (mounted by config.urls)."""

from django.urls import path

from sdg87.library.oai import oai_endpoint

app_name = "oai"
urlpatterns = [path("", oai_endpoint, name="endpoint")]
