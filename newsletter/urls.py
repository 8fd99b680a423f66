from django.urls import path

from . import views, webhooks

app_name = "newsletter"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("c/<str:token>/", views.click, name="click"),
    path("webhooks/ses/", webhooks.ses, name="webhook_ses"),
    path("webhooks/postmark/", webhooks.postmark, name="webhook_postmark"),
    path("webhooks/mailgun/", webhooks.mailgun, name="webhook_mailgun"),
]
