"""Text out of an uploaded file: PDF, Word (.docx), HTML or plain text. Pure (no ORM).

The type is judged by the bytes, never by the file name or the browser: the content is sniffed
(PDF and ZIP signatures, known binary formats through ``filetype``, UTF-8/UTF-16 text, HTML
markup) and must agree with the name's extension, so a ".pdf" that is HTML or an executable
renamed ".txt" is refused. Limits: the file size; for .docx (a ZIP archive) the number of
entries, the declared expanded size and the compression ratio of every entry, and the bytes
actually read, so an archive bomb is refused before it is expanded. HTML is sanitised with nh3
before its text is taken. Every refusal raises ``UploadRefused`` with a message for the person
who uploaded the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

import filetype
import nh3
from defusedxml import ElementTree

from sdg87.core.errors import InvalidInput

ALLOWED_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "html", "htm": "html", "txt": "txt"}
KIND_LABELS = {
    "pdf": "a PDF document",
    "docx": "a Word (.docx) document",
    "html": "an HTML page",
    "txt": "plain text",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
    "txt": "text/plain",
}
MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 200
MAX_PDF_PAGES = 3000
MAX_TEXT_CHARS = 5_000_000
HTML_CONTENT_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg", "math"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:html|body|head|div|p|h[1-6]|table|span|a\s|br|script|meta)\b", re.I)


class UploadRefused(InvalidInput):
    code = "upload_refused"

    def __init__(self, message: str) -> None:
        super().__init__(message, details={"file": message})


@dataclass(frozen=True)
class ExtractedDocument:
    kind: str  # "pdf", "docx", "html" or "txt"
    content_type: str
    extension: str
    text: str
    title: str = ""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def extract_upload(
    content: bytes, *, filename: str, max_bytes: int, max_expanded_bytes: int
) -> ExtractedDocument:
    """Check the upload and take its text; ``UploadRefused`` says why a file is refused."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    declared = ALLOWED_EXTENSIONS.get(extension)
    if declared is None:
        raise UploadRefused(
            f"Files of type “.{extension or '?'}” are not accepted: upload a PDF, Word (.docx), "
            "HTML or plain-text (.txt) file."
        )
    if len(content) > max_bytes:
        raise UploadRefused(
            f"The file is {megabytes(len(content))}; the limit is {megabytes(max_bytes)}."
        )
    if not content.strip():
        raise UploadRefused("The file is empty.")
    actual = sniff(content)
    if actual != declared:
        raise UploadRefused(
            f"The file is named “.{extension}” but its content is {describe(content, actual)}: "
            "upload the file in the format its name says."
        )
    if actual == "pdf":
        text, title = _pdf_text(content)
    elif actual == "docx":
        text, title = _docx_text(content, max_expanded_bytes=max_expanded_bytes)
    else:
        decoded = decode_text(content)
        text, title = _html_text(decoded) if actual == "html" else (decoded, "")
    return ExtractedDocument(
        kind=actual,
        content_type=CONTENT_TYPES[actual],
        extension="html" if actual == "html" else actual,
        text=tidy(text),
        title=tidy(title)[:500],
    )


def sniff(content: bytes) -> str:
    """What the bytes are: "pdf", "docx", "html", "txt", "zip" (not a Word document),
    "binary" or the ``filetype`` extension of another known format."""
    head = content[:2048]
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx" if _is_docx(content) else "zip"
    guessed = filetype.guess(head)
    if guessed is not None:
        return str(guessed.extension)
    try:
        text = decode_text(content)
    except UploadRefused:
        return "binary"
    if _looks_binary(text):
        return "binary"
    sample = text[:4096].encode("utf-8", "replace")
    if _HTML_START.match(sample) or len(_HTML_TAGS.findall(sample)) >= 2:
        return "html"
    return "txt"


def describe(content: bytes, kind: str) -> str:
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    if kind == "zip":
        return "a ZIP archive that is not a Word document"
    if kind == "exe":
        return "a Windows program"
    if kind == "elf":
        return "a Linux program"
    if kind == "binary":
        return "binary data, not text"
    guessed = filetype.guess(content[:2048])
    return f"a {guessed.mime} file" if guessed is not None else f"a .{kind} file"


def decode_text(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise UploadRefused("The file is not readable text (bad UTF-16).") from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        raise UploadRefused("The file is not readable text: save it as UTF-8.") from None
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(
        1 for char in sample if unicodedata.category(char) == "Cc" and char not in "\r\n\t\f"
    )
    return controls > max(8, len(sample) // 100)


def tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    text = "".join(char for char in text if unicodedata.category(char) != "Cc" or char in "\n\t")
    text = re.sub(r"[ \t\r\f\v]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()[:MAX_TEXT_CHARS]


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> tuple[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise UploadRefused("The PDF is encrypted: upload a copy without a password.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UploadRefused(f"The PDF has more than {MAX_PDF_PAGES} pages.")
        parts = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_TEXT_CHARS:
                break
        metadata = reader.metadata
        title = str(metadata.title) if metadata is not None and metadata.title else ""
    except UploadRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as problem:
        raise UploadRefused(f"The PDF could not be read ({problem}).") from None
    except Exception as problem:
        raise UploadRefused(f"The PDF could not be read ({type(problem).__name__}).") from None
    return "\n\n".join(parts), title


# --- DOCX ---------------------------------------------------------------------------------------


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def _docx_text(content: bytes, *, max_expanded_bytes: int) -> tuple[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused("The Word document is damaged (not a valid ZIP archive).") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise UploadRefused(f"The Word document holds more than {MAX_ZIP_ENTRIES} parts.")
        expanded = sum(entry.file_size for entry in entries)
        if expanded > max_expanded_bytes:
            raise UploadRefused(
                f"The Word document would expand to {megabytes(expanded)}; the limit is "
                f"{megabytes(max_expanded_bytes)}."
            )
        for entry in entries:
            if entry.file_size > 1024 * 1024 and entry.file_size > MAX_COMPRESSION_RATIO * max(
                entry.compress_size, 1
            ):
                raise UploadRefused(
                    "The Word document is compressed to an implausible degree (a possible "
                    "archive bomb) and was refused."
                )
        body = _read_bounded(archive, "word/document.xml", max_expanded_bytes)
        core = (
            _read_bounded(archive, "docProps/core.xml", 1024 * 1024)
            if "docProps/core.xml" in archive.namelist()
            else b""
        )
    try:
        root = ElementTree.fromstring(body)
    except Exception:
        raise UploadRefused("The Word document's text could not be read.") from None
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                pieces.append(node.text)
            elif node.tag == f"{_W}tab":
                pieces.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                pieces.append("\n")
        paragraphs.append("".join(pieces))
    title = ""
    if core:
        try:
            title_node = ElementTree.fromstring(core).find(f"{_DC}title")
            title = title_node.text or "" if title_node is not None else ""
        except Exception:
            title = ""
    return "\n".join(paragraphs), title


def _read_bounded(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Read one entry, refusing it once it expands past ``limit`` (sizes can lie)."""
    try:
        with archive.open(name) as handle:
            data = handle.read(limit + 1)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise UploadRefused("The Word document is damaged.") from None
    if len(data) > limit:
        raise UploadRefused("The Word document expands beyond the size limit and was refused.")
    return data


# --- HTML ---------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "pre", "article", "section", "header", "footer", "dd", "dt", "hr", "title",
}  # fmt: skip


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        else:
            self.parts.append(data)


def sanitise_html(html: str) -> str:
    """The HTML with scripts, styles, event handlers and unsafe tags removed (nh3)."""
    allowed = (set(nh3.ALLOWED_TAGS) | {"title", "section"}) - HTML_CONTENT_TAGS
    return nh3.clean(html, tags=allowed, clean_content_tags=HTML_CONTENT_TAGS)


def _html_text(html: str) -> tuple[str, str]:
    collector = _TextCollector()
    collector.feed(sanitise_html(html))
    collector.close()
    text = "".join(collector.parts)
    text = "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return text, " ".join("".join(collector.title_parts).split())
