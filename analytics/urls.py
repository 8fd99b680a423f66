from django.urls import path

from . import views

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("a/v/<str:name>", views.beacon, name="analytics-beacon"),
    path("a/p.gif", views.beacon, {"name": "p.gif"}, name="analytics-path-beacon"),
]
