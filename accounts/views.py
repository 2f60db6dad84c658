"""Portal pages for accounts: login, registration, profile, care team, invitations."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import access_care_relationship, access_own_invitation, access_push_subscription
from .audit import audit_record
from .exports import export_request
from .forms import (
    AcceptInvitationForm,
    DeleteAccountForm,
    EmailAuthenticationForm,
    InviteForm,
    ProfileForm,
    RegisterForm,
    TherapistSettingsForm,
)
from .models import AuditAction, DataExport, PushSubscription, Role, User, canonical_email
from .portal import apply_service_errors, client_required, therapist_required
from .selectors import care_history_list, care_team_list, invitation_list
from .throttles import (
    InvitationThrottle,
    PasswordConfirmThrottle,
    RegisterThrottle,
    SignInThrottle,
    portal_wait,
    too_many,
)
from .twofactor import needs_second_factor


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = portal_wait(SignInThrottle, request)
        if wait is not None:
            return too_many(request, wait)
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"username": self.request.GET.get("email", "")}


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out. Take care."))
    return redirect("accounts:login")


def register_view(request: HttpRequest) -> HttpResponse:
    """Create a client account. From an invitation email's link the address is filled in
    and fixed, and the new account is linked to the inviting therapist."""
    token = request.POST.get("invitation") or request.GET.get("invitation", "")
    invitation = services.invitation_from_link(token) if token else None
    if token and invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = RegisterForm(
        request.POST or None,
        invitation=invitation,
        initial={"invitation_code": request.GET.get("code", ""), "invitation": token},
    )
    if request.method == "POST":
        wait = portal_wait(RegisterThrottle, request)
        if wait is not None:
            return too_many(request, wait)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        email = invitation.email if invitation is not None else data["email"]
        try:
            services.user_register(
                email=email,
                password=data["password"],
                display_name=data["display_name"],
                timezone_name=data["timezone"],
                invitation_code=data.get("invitation_code") or None,
                invitation=invitation,
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # The same answer whether the email was new or already had an account (which
            # is emailed instead), so this page cannot tell anyone who has an account.
            messages.success(
                request,
                _(
                    "Thank you. Sign in with the email and password you chose. (If that email "
                    "address already had a Companion account, we have sent its owner a note "
                    "instead.)"
                ),
            )
            return redirect(f"{reverse('accounts:login')}?{urlencode({'email': email})}")
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/register.html", context)


def join_view(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation email's link lands: a signed-in client accepts here; anyone else
    is taken to the sign-up form, with the invited address filled in."""
    invitation = services.invitation_from_link(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:register')}?{urlencode({'invitation': token})}")
    if request.user.role != Role.CLIENT:
        raise PermissionDenied
    if request.method == "POST" and _accept(request, invitation=invitation):
        return redirect("accounts:care-team")
    return render(request, "accounts/join.html", {"invitation": invitation})


def _accept(request: HttpRequest, **invitation) -> bool:
    """Accept an invitation (by ``invitation`` or ``code``) and say how it went."""
    try:
        relationship = services.invitation_accept(
            client=request.user, request=request, **invitation
        )
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
        return False
    messages.success(
        request,
        _("You are now connected with %(name)s.") % {"name": relationship.therapist.display_name},
    )
    return True


def _settings_form(request: HttpRequest):
    user = request.user
    data = request.POST or None
    if user.role == Role.CLIENT:
        initial = {
            "display_name": user.display_name,
            "timezone": user.timezone,
            "weekly_summary_opt_in": user.weekly_summary_opt_in,
        }
        return ProfileForm(data, initial=initial, reminder_times=user.reminder_times)
    initial = {
        "display_name": user.display_name,
        "timezone": user.timezone,
        "weekly_digest_opt_in": user.weekly_digest_opt_in,
        "push_safety_alerts": user.push_safety_alerts,
    }
    return TherapistSettingsForm(data, initial=initial)


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    """Settings: a client's reminders and summary, or a therapist's digest and second step."""
    form = _settings_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=request.user, **form.settings())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect("accounts:profile")
    context = {
        "form": form,
        "second_step": needs_second_factor(request.user),
        "devices": list(PushSubscription.objects.filter(user=request.user)),
        "status": 400 if form.errors else 200,
    }
    return render(request, "accounts/profile.html", context, status=context["status"])


@login_required
@require_POST
def push_device_remove_view(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """Stop notifications to one of the person's devices (from any device)."""
    subscription = access_push_subscription(request.user, subscription_id)
    services.push_subscription_delete(subscription=subscription)
    messages.success(request, _("Notifications to that device are off."))
    return redirect("accounts:profile")


@client_required
def care_team_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/care_team.html",
        {
            "team": care_team_list(viewer=request.user),
            "history": care_history_list(viewer=request.user),
            "accept_form": AcceptInvitationForm(),
        },
    )


@client_required
@require_POST
def care_end_view(request: HttpRequest, therapist_id: int) -> HttpResponse:
    with transaction.atomic():
        relationship = access_care_relationship(request.user, therapist_id)
        services.care_end(relationship=relationship, ended_by=request.user, request=request)
    messages.success(
        request,
        _("%(name)s can no longer see your check-ins or anything else you share.")
        % {"name": relationship.therapist.display_name},
    )
    return redirect("accounts:care-team")


@client_required
@require_POST
def invitation_accept_view(request: HttpRequest) -> HttpResponse:
    wait = portal_wait(InvitationThrottle, request)
    if wait is not None:
        return too_many(request, wait)
    form = AcceptInvitationForm(request.POST)
    if form.is_valid():
        _accept(request, code=form.cleaned_data["code"])
    return redirect("accounts:care-team")


INVITE_SHOWN_KEY = "invitation_shown"


@therapist_required
def invite_view(request: HttpRequest) -> HttpResponse:
    """Invite a client by email, and the list of one's invitations (resend, withdraw)."""
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        wait = portal_wait(InvitationThrottle, request)
        if wait is not None:
            return too_many(request, wait)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if User.objects.clients_of(request.user).filter(email=canonical_email(email)).exists():
            form.add_error("email", _("%(email)s is already in your caseload.") % {"email": email})
        else:
            invitation, code = services.invitation_create(therapist=request.user, email=email)
            # Shown once, on the page after the redirect: a reload sends nothing again.
            request.session[INVITE_SHOWN_KEY] = {"id": invitation.pk, "code": code}
            return redirect("accounts:invite")
    created = None
    shown = request.session.pop(INVITE_SHOWN_KEY, None) if request.method == "GET" else None
    if shown:
        created = {
            "invitation": access_own_invitation(request.user, shown["id"]),
            "code": shown["code"],
        }
    context = {
        "form": form,
        "created": created,
        "invitations": invitation_list(viewer=request.user)[:50],
    }
    return render(request, "accounts/invite.html", context)


@therapist_required
@require_POST
def invitation_resend_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access_own_invitation(request.user, invitation_id)
    try:
        services.invitation_resend(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("A new invitation is on its way to %(email)s; the old link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("accounts:invite")


@therapist_required
@require_POST
def invitation_revoke_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access_own_invitation(request.user, invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect("accounts:invite")


@login_required
def privacy_view(request: HttpRequest) -> HttpResponse:
    """Your data: who can see it, a copy of it, and deleting it."""
    delete_form = DeleteAccountForm()
    if (
        request.method == "POST"
        and request.POST.get("action") == "export"
        and request.user.role == Role.CLIENT
    ):
        export = export_request(client=request.user)

        audit_record(
            request=request,
            action=AuditAction.EXPORT,
            actor=request.user,
            subject=request.user,
            obj=export,
        )
        messages.info(request, _("We are preparing your copy. This page shows the progress."))
        return redirect("accounts:privacy")
    if request.method == "POST" and request.POST.get("action") == "delete":
        wait = portal_wait(PasswordConfirmThrottle, request)
        if wait is not None:
            return too_many(request, wait)
        delete_form = DeleteAccountForm(request.POST)
        if delete_form.is_valid():
            try:
                services.user_delete(
                    user=request.user,
                    password=delete_form.cleaned_data["password"],
                    request=request,
                )
            except ValidationError as exc:
                apply_service_errors(delete_form, exc)
            else:
                logout(request)
                messages.info(
                    request,
                    _("Your account and everything in it have been deleted. Take good care."),
                )
                return redirect("accounts:login")
    context = {
        "team": care_team_list(viewer=request.user),
        "export": DataExport.objects.filter(client=request.user).first(),
        "delete_form": delete_form,
    }
    return render(request, "accounts/privacy.html", context)
