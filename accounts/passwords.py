"""Changing a password (signed in) and setting a new one from an emailed link (signed out).

Django's own views and token generator do the work; what is ours is the wording, the
rate limit on asking for a link and the absolute link (SITE_URL, as every email). A new
password ends every API token of the account (accounts.security, on any password change):
a phone that knew the old password signs in again. The answer to "email me a link" is the same whether or not the address
has an account, and the link works once and for PASSWORD_RESET_TIMEOUT seconds.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .throttles import PasswordResetThrottle, portal_wait, too_many


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in
        messages.success(self.request, _("Your password is changed."))
        return response


class SiteLinkResetForm(PasswordResetForm):
    """Links in the email point at SITE_URL, not at whatever Host the request named."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        context["site_name"] = "Companion"
        return super().send_mail(
            subject_template_name, email_template_name, context, *args, **kwargs
        )


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = SiteLinkResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def post(self, request, *args, **kwargs):
        wait = portal_wait(PasswordResetThrottle, request)
        if wait is not None:
            return too_many(request, wait)
        return super().post(request, *args, **kwargs)


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your new password is set. Sign in with it below."))
        return response
