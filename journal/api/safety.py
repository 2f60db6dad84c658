"""Client API for safety: the "I don't feel safe" button, and crisis resources."""

from django.urls import path
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.drf import IsClient
from accounts.selectors import care_team_list

from ..models import (
    SafetySignal,
)
from ..selectors import safety as selectors
from ..services import safety as services

SAFETY_URL = "/safety/"


class CrisisResourceSerializer(serializers.Serializer):
    locale = serializers.CharField(help_text="Country code, or empty for “anywhere”.")
    name = serializers.CharField()
    description = serializers.CharField()
    phone = serializers.CharField()
    sms = serializers.CharField()
    url = serializers.CharField()
    available_hours = serializers.CharField()


class SafetySignalSerializer(serializers.ModelSerializer):
    therapist_notified = serializers.BooleanField(
        read_only=True, help_text="Whether someone in your care team is being alerted."
    )
    crisis_resources = CrisisResourceSerializer(many=True, read_only=True)
    crisis_resources_url = serializers.CharField(read_only=True)

    class Meta:
        model = SafetySignal
        fields = [
            "id",
            "source",
            "created_at",
            "therapist_notified",
            "crisis_resources",
            "crisis_resources_url",
        ]
        read_only_fields = fields


class SafetySignalCreateApi(APIView):
    """The "I don't feel safe" button: alerts the therapist at once, returns crisis resources."""

    permission_classes = [IsClient]

    @extend_schema(
        request=None,
        responses={
            201: SafetySignalSerializer,
            200: OpenApiResponse(
                SafetySignalSerializer,
                description="Pressed again within a few minutes: the earlier alert stands.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        signal, created = services.safety_signal_raise(client=request.user)
        signal.therapist_notified = care_team_list(viewer=request.user).exists()
        signal.crisis_resources = selectors.crisis_resources_for_client(request.user)
        signal.crisis_resources_url = SAFETY_URL
        return Response(
            SafetySignalSerializer(signal).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


urlpatterns = [
    path("safety/", SafetySignalCreateApi.as_view(), name="safety-signal-create"),
]
