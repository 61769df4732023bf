from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config.api import api
from sdg87.core import views as core_views
from sdg87.framework import views as framework_views

urlpatterns = [
    path("", core_views.root_redirect, name="root"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.health, name="health"),
    path("oai", include("sdg87.library.oai_urls")),
]

urlpatterns += i18n_patterns(
    path("", framework_views.home, name="home"),
    path("accounts/", include("sdg87.accounts.urls")),
    path("countries/", include("sdg87.countries.urls")),
    path("framework/", include("sdg87.framework.urls")),
    path("instruments/", include("sdg87.instruments.urls")),
    path("indicators/", include("sdg87.indicators.urls")),
    path("partners/", include("sdg87.partners.urls")),
    path("pathfinders/", include("sdg87.pathfinders.urls")),
    path("library/", include("sdg87.library.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler404 = "sdg87.core.views.not_found"
handler500 = "sdg87.core.views.server_error"
