"""Every write of the library: ingestion (one service behind import, load-data, contribution and
harvest), the review workflow, contributions and the bundled corpus."""

from sdg87.library.services.contribution import Contribution, Upload, resource_contribute
from sdg87.library.services.corpus import import_source, library_load_bundled, resources_import_file
from sdg87.library.services.editing import UNCHANGED, ResourceEdit, can_edit, resource_edit
from sdg87.library.services.ingestion import IngestReport, resources_ingest, tagging_vocabulary
from sdg87.library.services.review import (
    RESOURCE_TRANSITIONS,
    duplicate_link_decide,
    resource_publish,
    resource_restore,
    resource_return_to_draft,
    resource_submit,
    resource_withdraw,
    tag_suggestion_decide,
)

__all__ = [
    "RESOURCE_TRANSITIONS",
    "UNCHANGED",
    "Contribution",
    "IngestReport",
    "ResourceEdit",
    "Upload",
    "can_edit",
    "duplicate_link_decide",
    "import_source",
    "library_load_bundled",
    "resource_contribute",
    "resource_edit",
    "resource_publish",
    "resource_restore",
    "resource_return_to_draft",
    "resource_submit",
    "resource_withdraw",
    "resources_import_file",
    "resources_ingest",
    "tag_suggestion_decide",
    "tagging_vocabulary",
]
