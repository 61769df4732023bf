"""Reading delimited text into a header and numbered rows, for the CSV-based formats."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sdg87.indicators.importers.base import ImportProblem, ParsedFile, clean_text

csv.field_size_limit(10_000_000)


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, int, list[str]]]  # (data row number, physical line, cells)


PROGRESS_EVERY = 20_000


def read_table(
    text: str,
    file: str,
    parsed: ParsedFile,
    progress: Callable[[str, int, int], None] | None = None,
) -> Table | None:
    """The header (cleaned) and an iterator over the data rows; None if the CSV is unreadable.

    Blank lines are passed over; a row with more non-empty cells than the header is a
    problem; missing trailing cells count as empty. A header without a comma but with
    semicolons (or tabs) sets the delimiter.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter_of(text))
    try:
        raw_header = next(reader)
    except StopIteration:
        parsed.problem(ImportProblem(file, "the file has no header row", line=1))
        return None
    except csv.Error as error:
        parsed.problem(ImportProblem(file, f"the CSV cannot be read: {error}", line=1))
        return None
    header = [clean_text(name) for name in raw_header]
    while header and not header[-1]:
        header.pop()
    width = len(header)

    expected = text.count("\n") if progress is not None else 0
    phase = f"reading {file}"

    def rows() -> Iterator[tuple[int, int, list[str]]]:
        number = 0
        next_progress = 0
        try:
            for cells in reader:
                if len(cells) != width or width <= 1:
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue
                    if len(cells) < width:
                        cells = cells + [""] * (width - len(cells))
                    elif len(cells) > width:
                        if any(cell.strip() for cell in cells[width:]):
                            if progress is not None and number >= next_progress:
                                progress(phase, number, expected)
                                next_progress = number + PROGRESS_EVERY
                            number += 1
                            parsed.problem(
                                ImportProblem(
                                    file,
                                    f"the row has {len(cells)} cells but the header only {width}",
                                    row=number,
                                    line=reader.line_num,
                                )
                            )
                            continue
                        cells = cells[:width]
                if progress is not None and number >= next_progress:
                    progress(phase, number, expected)
                    next_progress = number + PROGRESS_EVERY
                number += 1
                yield number, reader.line_num, cells
        except csv.Error as error:
            parsed.problem(
                ImportProblem(
                    file, f"the CSV cannot be read: {error}", row=number + 1, line=reader.line_num
                )
            )

    return Table(header=header, rows=rows())


def delimiter_of(text: str) -> str:
    first = text[: text.find("\n")] if "\n" in text else text
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def find_column(header: list[str], *names: str) -> int | None:
    """Index of the first header cell equal (case-insensitively) to one of ``names``."""
    wanted = {name.lower() for name in names}
    for index, name in enumerate(header):
        if name.lower() in wanted:
            return index
    return None
