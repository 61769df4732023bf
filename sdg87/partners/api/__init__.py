"""``/api/v1/partners``, ``/action-groups``, ``/pledges``, ``/research-projects`` and
``/evidence-gaps``: one router mounted at ``/api/v1/``, one module per area.

Reads are public (``?lang=en|fr|es`` chooses the language of localised names); writes need a
signed-in user (API token or session) and the services decide who may do what. Lists are
paginated with ``?page=`` and ``?page_size=`` and carry ``count``.
"""

from ninja import Router

from sdg87.partners.api.action_groups import router as action_groups_router
from sdg87.partners.api.organisations import router as organisations_router
from sdg87.partners.api.pledges import router as pledges_router
from sdg87.partners.api.research import evidence_gaps_router
from sdg87.partners.api.research import router as research_router

router = Router()
router.add_router("/partners", organisations_router)
router.add_router("/action-groups", action_groups_router)
router.add_router("/pledges", pledges_router)
router.add_router("/research-projects", research_router)
router.add_router("/evidence-gaps", evidence_gaps_router)
