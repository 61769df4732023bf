"""SDG framework pages: the home page (Target 8.7 and the global estimates), the goals, and
one page per target."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sdg87.core.errors import NotFound
from sdg87.framework import selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {"estimates": selectors.headline_estimates(), "target": selectors.target_87()}
    return render(request, "framework/home.html", context)


def goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "framework/goal_list.html", {"goals": selectors.goal_list()})


def target_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        target = selectors.target_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(request, "framework/target_detail.html", {"target": target})
