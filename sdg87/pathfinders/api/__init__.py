"""``/api/v1/pathfinders``: pathfinder countries, their roadmaps (priorities, actions, budgets,
indicators, milestones), annual reports and their review workflow, funding gaps and the
exchange-rate table. One router, one module per area.

Reads are public for what the public may see (adopted roadmaps, published reports); the
country's focal points and curators also see drafts. Writes need a signed-in user (API token
or session) and the services decide who may do what: 401 signed out, 403 not allowed, 404 for
what the caller may not even see, 409 for an out-of-order step or a stale ``lock_version``.
Money is a string with two decimals (see ``common``). Lists are paginated with ``?page=`` and
``?page_size=`` (≤ 1000) and carry ``count``.

Order matters: ninja matches paths in declaration order, so the routers whose paths start
with a literal (``/roadmaps``, ``/reports``, ``/funding-gaps``…) come before ``/{iso3}``.
"""

from ninja import Router

from sdg87.pathfinders.api.countries import PathfinderOut, list_pathfinders
from sdg87.pathfinders.api.countries import router as countries_router
from sdg87.pathfinders.api.funding_gaps import router as funding_router
from sdg87.pathfinders.api.reports import router as reports_router
from sdg87.pathfinders.api.roadmaps import router as roadmaps_router

router = Router()
# On this router itself: a child mounted at "" would answer on "/pathfinders/" only.
router.get("", response=list[PathfinderOut], summary="Pathfinder countries")(list_pathfinders)
router.add_router("", roadmaps_router)
router.add_router("", reports_router)
router.add_router("", funding_router)
router.add_router("", countries_router)
