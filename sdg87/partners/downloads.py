"""Serving a stored evidence file (pledge updates, pathfinder report evidence, roadmap
documents): always as a download of its checked kind, under a policy that lets the browser run
nothing from it."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse

from sdg87.partners.uploads import EVIDENCE_KINDS


def evidence_download(name: str) -> FileResponse | None:
    """The stored file ``name`` as an attachment; None when there is no such file or it is not
    of an accepted kind (the caller answers its own 404)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    if extension not in EVIDENCE_KINDS or not default_storage.exists(name):
        return None
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type=EVIDENCE_KINDS[extension][1],
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
