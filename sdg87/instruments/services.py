from pathlib import Path

from sdg87.core.reports import LoadReport


def instruments_load_bundled(data_dir: Path) -> list[LoadReport]:
    return []
