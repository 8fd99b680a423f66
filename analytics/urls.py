from django.urls import path

from . import views

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("a/v/<str:name>", views.beacon, name="analytics-beacon"),
]
