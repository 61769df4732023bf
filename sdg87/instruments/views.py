"""Pages for the international instruments."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sdg87.core.errors import NotFound
from sdg87.instruments import selectors


def instrument_list(request: HttpRequest) -> HttpResponse:
    context = {"instruments": selectors.instrument_list()}
    return render(request, "instruments/instrument_list.html", context)


def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        instrument = selectors.instrument_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(request, "instruments/instrument_detail.html", {"instrument": instrument})
