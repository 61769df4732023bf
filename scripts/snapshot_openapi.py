"""Write the API's OpenAPI document to docs/openapi.json (``--check``: fail if it differs).

The snapshot makes every change of the API contract visible in review:
tests/contracts/test_openapi_snapshot.py fails until this script is run again.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def current_document() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from config.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    document = current_document()
    if "--check" in sys.argv[1:]:
        if not SNAPSHOT.exists() or SNAPSHOT.read_text(encoding="utf-8") != document:
            print(f"{SNAPSHOT} is out of date: run python scripts/snapshot_openapi.py")
            return 1
        return 0
    SNAPSHOT.write_text(document, encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
