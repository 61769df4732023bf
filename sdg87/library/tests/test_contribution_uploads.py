"""Uploads: the type is judged from the bytes; lies, oversize files, archive bombs and binaries
are refused with a message; HTML is sanitised before its text is taken. Pure."""

from __future__ import annotations

import pytest

from sdg87.library.extraction import UploadRefused, extract_upload, sanitise_html
from sdg87.library.tests.uploads_support import WINDOWS_PROGRAM, docx_with_paragraphs, pdf_with_text

LIMIT = 1024 * 1024
EXPANDED = 10 * 1024 * 1024


def extract(content: bytes, filename: str, **limits):
    options = {"max_bytes": LIMIT, "max_expanded_bytes": EXPANDED, **limits}
    return extract_upload(content, filename=filename, **options)


def test_text_is_extracted_from_a_pdf():
    document = extract(pdf_with_text("Child labour in cocoa farming"), "report.pdf")
    assert document.kind == "pdf"
    assert "Child labour in cocoa farming" in document.text


def test_text_is_extracted_from_a_word_document():
    document = extract(docx_with_paragraphs("Forced labour", "in brick kilns"), "study.docx")
    assert document.kind == "docx"
    assert document.text == "Forced labour\nin brick kilns"


def test_text_is_extracted_from_plain_text_in_utf8_or_windows_1252():
    assert extract("Travail forcé".encode(), "note.txt").text == "Travail forcé"
    assert extract("Travail forcé".encode("cp1252"), "note.txt").text == "Travail forcé"


def test_html_is_sanitised_and_its_text_and_title_taken():
    page = (
        b"<!DOCTYPE html><html><head><title>Trata de personas</title>"
        b"<script>alert('x')</script><style>p{}</style></head>"
        b"<body><h1>Informe</h1><p onclick='steal()'>La trata de personas.</p></body></html>"
    )
    document = extract(page, "page.html")
    assert document.title == "Trata de personas"
    assert "La trata de personas." in document.text
    assert "alert" not in document.text
    assert "steal" not in document.text


def test_sanitising_removes_scripts_and_event_handlers():
    clean = sanitise_html(
        '<p onmouseover="x()">Hi</p><script>evil()</script><iframe src=x></iframe>'
    )
    assert "script" not in clean
    assert "onmouseover" not in clean
    assert "iframe" not in clean


@pytest.mark.parametrize(
    ("content", "filename", "words"),
    [
        (b"<!DOCTYPE html><html><body><p>Not a PDF</p></body></html>", "report.pdf", "HTML page"),
        (WINDOWS_PROGRAM, "notes.txt", "Windows program"),
        (pdf_with_text("A real PDF"), "notes.txt", "PDF document"),
        (docx_with_paragraphs("Word"), "page.html", "Word"),
        (b"plain words only", "report.pdf", "plain text"),
        (b"PK\x03\x04" + b"\x00" * 100, "study.docx", "ZIP archive"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image.txt", "image/png"),
    ],
)
def test_a_file_whose_content_lies_about_its_type_is_refused(content, filename, words):
    with pytest.raises(UploadRefused, match=words):
        extract(content, filename)


@pytest.mark.parametrize("filename", ["program.exe", "macro.docm", "sheet.xlsx", "noextension"])
def test_a_file_type_that_is_not_accepted_is_refused(filename):
    with pytest.raises(UploadRefused, match="not accepted"):
        extract(b"hello", filename)


def test_a_file_over_the_size_limit_is_refused_with_the_limit():
    with pytest.raises(UploadRefused, match=r"the limit is 1\.0 MB"):
        extract(b"a" * (LIMIT + 1), "big.txt")


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="empty"):
        extract(b"   ", "empty.txt")


def test_a_word_document_that_expands_past_the_limit_is_refused():
    bomb = docx_with_paragraphs("tiny", padding=b"\x00" * (20 * 1024 * 1024))
    assert len(bomb) < LIMIT
    with pytest.raises(UploadRefused, match=r"expand|compressed"):
        extract(bomb, "bomb.docx")


def test_a_word_document_with_an_absurd_compression_ratio_is_refused():
    bomb = docx_with_paragraphs("tiny", padding=b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(UploadRefused, match="archive bomb"):
        extract(bomb, "bomb.docx")


def test_a_damaged_pdf_is_refused_with_a_message():
    with pytest.raises(UploadRefused, match="PDF could not be read"):
        extract(b"%PDF-1.4\n this is not really a pdf", "broken.pdf")
