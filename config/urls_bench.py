"""The platform's URLs plus a plain Django reference endpoint, for `make load` only.

The reference view returns the same observations as ``GET /api/v1/indicators/{code}/
observations?country=`` the way a straightforward Django view would (model instances turned
into dictionaries, ``JsonResponse``), so that the load run can report the API's throughput
against it. Never mounted by the production or default settings.
"""

from django.forms.models import model_to_dict
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as platform_urlpatterns
from sdg87.indicators.models import Observation


def reference_observations(request: HttpRequest) -> JsonResponse:
    rows = Observation.objects.filter(
        indicator__code=request.GET.get("indicator", ""),
        country__iso3=request.GET.get("country", ""),
    ).order_by("year", "id")
    results = [model_to_dict(row) for row in rows]
    return JsonResponse({"count": len(results), "results": results})


urlpatterns = [
    path("bench/reference/observations", reference_observations),
    *platform_urlpatterns,
]
