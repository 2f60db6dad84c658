from django.urls import path

from . import api, push_api

app_name = "accounts-api"

urlpatterns = [
    path("auth/token/", api.TokenCreateApi.as_view(), name="token"),
    path("auth/logout/", api.TokenDestroyApi.as_view(), name="logout"),
    path("auth/register/", api.RegisterApi.as_view(), name="register"),
    path("me/", api.MeApi.as_view(), name="me"),
    path("invitations/", api.InvitationCreateApi.as_view(), name="invitation-list"),
    path(
        "invitations/<str:code>/accept/",
        api.InvitationAcceptApi.as_view(),
        name="invitation-accept",
    ),
    path("care-team/", api.CareTeamListApi.as_view(), name="care-team-list"),
    path("care-team/<id:therapist_id>/", api.CareTeamEndApi.as_view(), name="care-team-detail"),
    path("push/public-key/", push_api.PushPublicKeyApi.as_view(), name="push-public-key"),
    path(
        "push-subscriptions/",
        push_api.PushSubscriptionListApi.as_view(),
        name="push-subscription-list",
    ),
    path(
        "push-subscriptions/<id:subscription_id>/",
        push_api.PushSubscriptionDetailApi.as_view(),
        name="push-subscription-detail",
    ),
    path("exports/", api.ExportCreateApi.as_view(), name="export-list"),
    path("exports/<id:export_id>/", api.ExportDetailApi.as_view(), name="export-detail"),
    path(
        "exports/<id:export_id>/download/", api.ExportDownloadApi.as_view(), name="export-download"
    ),
]
