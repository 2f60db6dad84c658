from django.urls import path

from . import passwords, twofactor, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("care-team/", views.care_team_view, name="care-team"),
    path("care-team/<id:therapist_id>/end/", views.care_end_view, name="care-end"),
    path("invite/", views.invite_view, name="invite"),
    path(
        "invitations/<id:invitation_id>/resend/",
        views.invitation_resend_view,
        name="invitation-resend",
    ),
    path(
        "invitations/<id:invitation_id>/revoke/",
        views.invitation_revoke_view,
        name="invitation-revoke",
    ),
    path("join/<str:token>/", views.join_view, name="join"),
    path("invitations/accept/", views.invitation_accept_view, name="invitation-accept"),
    path("profile/", views.profile_view, name="profile"),
    path("password/", passwords.ChangePasswordView.as_view(), name="password-change"),
    path("password/reset/", passwords.ResetRequestView.as_view(), name="password-reset"),
    path("password/reset/sent/", passwords.ResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "devices/<id:subscription_id>/remove/",
        views.push_device_remove_view,
        name="push-device-remove",
    ),
    path("privacy/", views.privacy_view, name="privacy"),
    path("2fa/", twofactor.two_factor_view, name="2fa"),
    path("2fa/backup-codes/", twofactor.backup_codes_view, name="2fa-backup-codes"),
    path("2fa/enrol/<str:token>/", twofactor.enrolment_link_view, name="2fa-enrol"),
    path("2fa/replace/", twofactor.replace_authenticator_view, name="2fa-replace"),
]
