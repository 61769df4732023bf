"""Mounts each app's router under /api/v1/."""

from ninja import NinjaAPI

from sdg87.accounts.api import audit_router
from sdg87.accounts.api import router as accounts_router
from sdg87.core.api_errors import install_error_handlers
from sdg87.countries.api import regions_router
from sdg87.countries.api import router as countries_router
from sdg87.framework.api import router as framework_router
from sdg87.indicators.api import router as indicators_router
from sdg87.indicators.api_coverage import router as coverage_router
from sdg87.indicators.api_progress import router as progress_router
from sdg87.instruments.api import ratifications_router
from sdg87.instruments.api import router as instruments_router
from sdg87.library.api import router as library_router
from sdg87.library.api_search import router as search_router
from sdg87.library.api_tasks import router as tasks_router
from sdg87.partners.api import router as partners_router
from sdg87.pathfinders.api import router as pathfinders_router
from sdg87.profiles.api import router as profiles_router

api = NinjaAPI(
    title="sdg87 API",
    version="1",
    description=(
        "Open data and knowledge for SDG Target 8.7: forced labour, modern slavery, "
        "human trafficking and child labour. Errors have the shape "
        '`{"error": {"code", "message", "details"}}`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/countries", countries_router, tags=["countries"])
api.add_router("/countries", profiles_router, tags=["countries"])
api.add_router("/regions", regions_router, tags=["countries"])
api.add_router("/", framework_router, tags=["framework"])
api.add_router("/instruments", instruments_router, tags=["instruments"])
api.add_router("/ratifications", ratifications_router, tags=["instruments"])
api.add_router("/indicators", indicators_router, tags=["indicators"])
api.add_router("/indicators", progress_router, tags=["indicators"])
api.add_router("/", coverage_router, tags=["coverage"])
api.add_router("/resources", search_router, tags=["library"])
api.add_router("/resources", library_router, tags=["library"])
api.add_router("/", partners_router, tags=["partners"])
api.add_router("/pathfinders", pathfinders_router, tags=["pathfinders"])
api.add_router("/accounts", accounts_router, tags=["accounts"])
api.add_router("/audit", audit_router, tags=["audit"])
api.add_router("/tasks", tasks_router, tags=["tasks"])
