from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("page/<int:page_id>/", views.page_stats, name="page"),
    path("page/<int:page_id>/csv/", views.page_csv, name="page_csv"),
]
