"""The country profile as a downloadable PDF (the page is the country page)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from sdg87.core.errors import NotFound
from sdg87.profiles import selectors
from sdg87.profiles.document import profile_document
from sdg87.profiles.pdf import render_pdf


def profile_pdf(request: HttpRequest, iso3: str) -> HttpResponse:
    try:
        profile = selectors.country_profile(iso3, actor=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None
    language = translation.get_language() or settings.LANGUAGE_CODE
    code = profile.country.iso3
    document = profile_document(
        profile,
        language=language,
        generated_at=timezone.now(),
        page_url=request.build_absolute_uri(reverse("countries:detail", args=[code])),
        absolute_url=request.build_absolute_uri,
    )
    response = HttpResponse(
        render_pdf(document, font_dir=settings.PDF_FONT_DIR), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="sdg87-profile-{code}-{language}.pdf"'
    return response
