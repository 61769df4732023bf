"""Checks on uploaded files: organisation logos and pledge evidence. Pure (no ORM).

Logos: PNG or JPEG only, judged by content (Pillow), never by name or declared type; SVG is
refused (it can carry scripts). The image is decoded and re-encoded, which drops anything
hidden in it (metadata, trailing data), and its size is limited in bytes and pixels.

Evidence files: PDF, PNG, JPEG, CSV or plain text, Word (.docx) or Excel (.xlsx), each
recognised by its first bytes, and limited in size. They are always served as downloads.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from sdg87.core.errors import InvalidInput

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 2000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

LOGO_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}
EVIDENCE_KINDS = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "docx": (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (b"", "text/csv"),
    "txt": (b"", "text/plain"),
}
_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: the bytes to store and the name to store them under."""

    content: bytes
    extension: str
    content_type: str


def logo_checked(content: bytes, *, field: str = "logo") -> CheckedFile:
    """The logo re-encoded as PNG or JPEG; ``InvalidInput`` for anything else."""
    # Imported here so that the rest of the platform runs where Pillow is missing.
    from PIL import Image, UnidentifiedImageError

    if len(content) > MAX_LOGO_BYTES:
        raise InvalidInput(
            "the logo is too large",
            details={field: f"at most {MAX_LOGO_BYTES // 1024} KB"},
        )
    if content.lstrip()[:5].lower() in (b"<?xml", b"<svg ") or b"<svg" in content[:1024].lower():
        raise InvalidInput(
            "SVG logos are not accepted", details={field: "upload a PNG or JPEG image"}
        )
    try:
        with Image.open(io.BytesIO(content)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in LOGO_FORMATS:
            raise InvalidInput(
                "the logo must be a PNG or JPEG image",
                details={field: f"{image_format} images are not accepted"},
            )
        if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
            raise InvalidInput(
                "the logo is too large",
                details={field: f"at most {MAX_LOGO_SIDE}×{MAX_LOGO_SIDE} pixels"},
            )
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            output = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(output, format="JPEG", quality=90)
            else:
                image.save(output, format="PNG", optimize=True)
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(
            "the logo is not a readable PNG or JPEG image",
            details={field: "upload a PNG or JPEG image"},
        ) from None
    extension, content_type = LOGO_FORMATS[image_format]
    return CheckedFile(output.getvalue(), extension, content_type)


def evidence_checked(content: bytes, filename: str, *, field: str = "evidence_file") -> CheckedFile:
    """The evidence file if its name and first bytes agree on an accepted kind."""
    if len(content) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(
            "the evidence file is too large",
            details={field: f"at most {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB"},
        )
    if not content:
        raise InvalidInput("the evidence file is empty", details={field: "empty file"})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = EVIDENCE_KINDS.get(extension)
    accepted = ", ".join(sorted(EVIDENCE_KINDS))
    if kind is None:
        raise InvalidInput(
            "this kind of evidence file is not accepted",
            details={field: f"accepted: {accepted}"},
        )
    signature, content_type = kind
    if signature and not content.startswith(signature):
        raise InvalidInput(
            "the evidence file's content does not match its name",
            details={field: f"this is not a .{extension} file"},
        )
    if not signature:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(
                "the evidence file is not UTF-8 text",
                details={field: f"a .{extension} file must be UTF-8 text"},
            ) from None
    return CheckedFile(content, extension, content_type)


def safe_stem(filename: str, default: str = "file") -> str:
    """A file name without its extension, reduced to safe characters."""
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = _SAFE_STEM.sub("-", stem).strip(".-")[:60]
    return stem or default
