from django.urls import path

from sdg87.library import feeds, search_views, views, views_tasks

app_name = "library"
urlpatterns = [
    path("", search_views.library_search, name="search"),
    path("feed/", feeds.published_resources_feed, name="feed"),
    path("<int:resource_id>/", views.resource_detail, name="resource"),
    path("<int:resource_id>/edit/", views.resource_edit, name="resource-edit"),
    path("<int:resource_id>/action/", views.resource_action, name="resource-action"),
    path("contribute/", views.contribute, name="contribute"),
    path("mine/", views.my_contributions, name="mine"),
    path("review/", views.review_queue, name="review"),
    path("suggestions/<int:suggestion_id>/", views.decide_suggestion, name="decide-suggestion"),
    path("duplicates/<int:link_id>/", views.decide_duplicate, name="decide-duplicate"),
    path("tasks/", views_tasks.task_list, name="tasks"),
    path("tasks/<int:task_id>/", views_tasks.task_detail, name="task"),
    path("tasks/<int:task_id>/retry/", views_tasks.task_retry, name="task-retry"),
    path("harvest/", views_tasks.harvest_start, name="harvest"),
]
