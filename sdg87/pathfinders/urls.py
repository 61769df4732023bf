from django.urls import path, re_path

from sdg87.pathfinders import feeds
from sdg87.pathfinders.views import pages, reports, roadmaps

ISO3 = r"(?P<iso3>[A-Za-z]{3})"

app_name = "pathfinders"
urlpatterns = [
    path("", pages.overview, name="overview"),
    path("funding/", pages.funding, name="funding"),
    path("exchange-rates/", pages.exchange_rates, name="exchange_rates"),
    # Reports
    path("review/", reports.review_queue, name="review_queue"),
    path("my-reports/", reports.my_reports, name="my_reports"),
    path("reports/feed/", feeds.published_reports_feed, name="reports_feed"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/evidence/", reports.evidence_add, name="evidence_add"),
    path(
        "reports/<int:pk>/evidence/<int:evidence_id>/",
        reports.evidence_file,
        name="evidence_file",
    ),
    path("reports/<int:pk>/transition/", reports.report_transition, name="report_transition"),
    path("reports/<int:pk>/correct/", reports.report_correct, name="report_correct"),
    # Roadmap editing
    path("roadmaps/<int:roadmap_id>/edit/", roadmaps.roadmap_edit, name="roadmap_edit"),
    path("roadmaps/<int:roadmap_id>/document/", roadmaps.roadmap_document, name="roadmap_document"),
    path(
        "roadmaps/<int:roadmap_id>/priorities/new/",
        roadmaps.priority_create,
        name="priority_create",
    ),
    path("roadmaps/<int:roadmap_id>/indicators/", roadmaps.indicator_link, name="indicator_link"),
    path(
        "roadmaps/<int:roadmap_id>/milestones/new/",
        roadmaps.milestone_create,
        name="milestone_create",
    ),
    path(
        "roadmaps/<int:roadmap_id>/indicators/remove/",
        roadmaps.indicator_unlink,
        name="indicator_unlink",
    ),
    path("milestones/<int:milestone_id>/edit/", roadmaps.milestone_edit, name="milestone_edit"),
    path("priorities/<int:priority_id>/edit/", roadmaps.priority_edit, name="priority_edit"),
    path("priorities/<int:priority_id>/delete/", roadmaps.priority_delete, name="priority_delete"),
    path("actions/<int:action_id>/delete/", roadmaps.action_delete, name="action_delete"),
    path("priorities/<int:priority_id>/actions/new/", roadmaps.action_create, name="action_create"),
    path("actions/<int:action_id>/edit/", roadmaps.action_edit, name="action_edit"),
    # One country (three letters, so never one of the words above)
    re_path(rf"^{ISO3}/$", pages.detail, name="detail"),
    re_path(rf"^{ISO3}/roadmaps/new/$", roadmaps.roadmap_create, name="roadmap_create"),
    re_path(rf"^{ISO3}/reports/new/$", reports.report_create, name="report_create"),
]
