"""Accounts API: token auth, registration, profile, invitations, care team."""

from django.contrib.auth import authenticate, logout, user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django_otp import user_has_device
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .access import access_care_relationship, access_export
from .audit import audit_record
from .drf import IsClient, IsTherapist
from .exports import export_dir, export_request
from .lockout import lockout_message
from .models import HHMM, AuditAction, Role, User, validate_reminder_times, validate_timezone
from .selectors import care_team_list
from .throttles import InvitationThrottle, PasswordConfirmThrottle, RegisterThrottle, SignInThrottle
from .twofactor import check_code, code_wait_message, needs_second_factor, user_devices

# --- Serializers ------------------------------------------------------------------------


class TimezoneField(serializers.CharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            validate_timezone(value)
        except DjangoValidationError as exc:
            raise ValidationError(list(exc.messages)) from exc
        return value


class ReminderTimesField(serializers.ListField):
    child = serializers.RegexField(
        HHMM,
        error_messages={"invalid": _('Use "HH:MM", for example "20:30".')},
    )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            validate_reminder_times(value)
        except DjangoValidationError as exc:
            raise ValidationError(list(exc.messages)) from exc
        return value


class UserSerializer(serializers.ModelSerializer):
    timezone = TimezoneField(required=False)
    reminder_times = ReminderTimesField(required=False)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "role",
            "timezone",
            "reminder_times",
            "weekly_summary_opt_in",
            "created_at",
        ]
        read_only_fields = ["id", "email", "role", "created_at"]


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="Therapists and staff: the code from their authenticator app (or a backup code).",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        trim_whitespace=False, max_length=256, style={"input_type": "password"}
    )
    display_name = serializers.CharField(max_length=80)
    timezone = TimezoneField(required=False, default="UTC")
    invitation_code = serializers.CharField(required=False, allow_blank=True, max_length=100)
    role = serializers.CharField(
        required=False, help_text="Only “client” is accepted: therapists are created by staff."
    )

    def validate_role(self, value: str) -> str:
        if value == Role.CLIENT:
            return value
        if value in Role.values:
            raise ValidationError(
                _("Only client accounts can register. Therapist accounts are created by staff.")
            )
        raise ValidationError(
            _("“%(role)s” is not a role. The only role that can register is “client”.")
            % {"role": value}
        )


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class InvitationRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class InvitationResponseSerializer(serializers.Serializer):
    code = serializers.CharField()
    expires_at = serializers.DateTimeField()
    email = serializers.EmailField()


class CareTeamMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="therapist.id")
    display_name = serializers.CharField(source="therapist.display_name")
    since = serializers.DateTimeField(source="started_at")


# --- Views ------------------------------------------------------------------------------


class TokenCreateApi(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [SignInThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="Bad credentials"),
            429: OpenApiResponse(description="Locked out after repeated failures"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            return Response(
                {"detail": lockout_message(django_request)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [_("Email or password is not correct.")]})
        if needs_second_factor(user):
            if not user_has_device(user, confirmed=True):
                raise ValidationError(
                    {"otp": [_("Set up two-step sign-in in the portal first (/accounts/2fa/).")]}
                )
            device, wait = check_code(user_devices(user), serializer.validated_data.get("otp", ""))
            if device is None:
                raise ValidationError(
                    {
                        "otp": [
                            code_wait_message(wait)
                            if wait
                            else _("Enter the current code from your authenticator app.")
                        ]
                    }
                )
        instance, token = AuthToken.objects.create(user)
        # As a portal sign-in does: resets the lockout count for this account and address,
        # records last_login, and writes the audit event (accounts.signals).
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": token, "expiry": instance.expiry})


class TokenDestroyApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        else:
            logout(request._request)
        audit_record(request=request._request, action=AuditAction.LOGOUT, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterApi(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [RegisterThrottle]

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_register(
            email=data["email"],
            password=data["password"],
            display_name=data["display_name"],
            timezone_name=data["timezone"],
            invitation_code=data.get("invitation_code") or None,
            request=request._request,
        )
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    def get_throttles(self):
        # Confirming the deletion with the password: a few tries an hour per account.
        if self.request.method == "DELETE":
            return [PasswordConfirmThrottle()]
        return super().get_throttles()

    @extend_schema(responses={200: UserSerializer})
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=UserSerializer, responses={200: UserSerializer})
    def patch(self, request: Request) -> Response:
        serializer = UserSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)

    @extend_schema(
        request=PasswordSerializer,
        responses={
            204: None,
            429: OpenApiResponse(description="Too many tries to confirm with the password"),
        },
    )
    def delete(self, request: Request) -> Response:
        serializer = PasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_delete(
            user=request.user,
            password=serializer.validated_data["password"],
            request=request._request,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationCreateApi(APIView):
    permission_classes = [IsTherapist]
    throttle_classes = [InvitationThrottle]

    @extend_schema(
        request=InvitationRequestSerializer, responses={201: InvitationResponseSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = InvitationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, code = services.invitation_create(
            therapist=request.user, email=serializer.validated_data["email"]
        )
        return Response(
            {"code": code, "expires_at": invitation.expires_at, "email": invitation.email},
            status=status.HTTP_201_CREATED,
        )


class InvitationAcceptApi(APIView):
    permission_classes = [IsClient]
    throttle_classes = [InvitationThrottle]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("InvitationAccepted", {"therapist": CareTeamMemberSerializer()}),
            400: OpenApiResponse(description="Unknown, used or expired code"),
        },
    )
    def post(self, request: Request, code: str) -> Response:
        try:
            relationship = services.invitation_accept(
                client=request.user, code=code, request=request._request
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response({"therapist": CareTeamMemberSerializer(relationship).data})


class CareTeamListApi(generics.ListAPIView):
    permission_classes = [IsClient]
    serializer_class = CareTeamMemberSerializer

    def get_queryset(self):
        return care_team_list(viewer=self.request.user)


class CareTeamEndApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        request=None,
        responses={204: None, 404: OpenApiResponse(description="Not in your care team")},
    )
    def delete(self, request: Request, therapist_id: int) -> Response:
        with transaction.atomic():
            relationship = access_care_relationship(request.user, therapist_id)
            services.care_end(
                relationship=relationship, ended_by=request.user, request=request._request
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    progress = serializers.IntegerField()
    expires_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, export) -> str | None:
        if not export.is_downloadable:
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/exports/{export.pk}/download/")


class ExportCreateApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(request=None, responses={202: ExportSerializer})
    def post(self, request: Request) -> Response:
        export = export_request(client=request.user)
        audit_record(
            request=request._request,
            action=AuditAction.EXPORT,
            actor=request.user,
            subject=request.user,
            obj=export,
        )
        return Response(
            ExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class ExportDetailApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(responses={200: ExportSerializer})
    def get(self, request: Request, export_id: int) -> Response:
        export = access_export(request.user, export_id)
        return Response(ExportSerializer(export, context={"request": request}).data)


class ExportDownloadApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(description="The zip file"),
            404: OpenApiResponse(description="Unknown, not yours, or expired"),
        }
    )
    def get(self, request: Request, export_id: int):
        export = access_export(request.user, export_id)
        if not export.is_downloadable:
            raise Http404
        path = export_dir() / export.file_name
        if not path.exists():
            raise Http404
        audit_record(
            request=request._request,
            action=AuditAction.EXPORT,
            actor=request.user,
            subject=request.user,
            obj=export,
            object_type="download",
        )
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"companion-export-{export.created_at:%Y-%m-%d}.zip",
            content_type="application/zip",
        )
