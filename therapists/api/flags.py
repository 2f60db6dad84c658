"""Therapist API for flags: acknowledging or resolving one, with a note.

A flag is reached through the viewer's caseload (``access_flag``); anyone else's is a 404.
"""

from django.db import transaction
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import audit_record
from accounts.drf import IsTherapist
from accounts.models import AuditAction
from journal.models import MedicationEvent

from ..access.flags import access_flag
from ..models import Flag
from ..services.flags import flag_acknowledge


class MedicationEventOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = MedicationEvent
        fields = ["id", "medication", "kind", "dose", "side_effect", "occurred_on"]


class FlagSerializer(serializers.ModelSerializer):
    since = serializers.DateTimeField(source="raised_at")
    related_medication_events = MedicationEventOutSerializer(many=True, read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "kind",
            "level",
            "status",
            "since",
            "onset",
            "summary",
            "drivers",
            "suggest_phq9",
            "related_medication_events",
            "acknowledged_at",
            "resolved_at",
        ]


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, allow_blank=True)
    resolve = serializers.BooleanField(required=False, default=False)


class FlagAcknowledgeApi(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(request=AcknowledgeSerializer, responses={200: FlagSerializer})
    def post(self, request: Request, flag_id: int) -> Response:
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            flag = access_flag(request.user, flag_id)
            flag = flag_acknowledge(flag=flag, therapist=request.user, **serializer.validated_data)
            audit_record(
                request=request._request,
                action=AuditAction.ACKNOWLEDGE,
                subject=flag.client_id,
                obj=flag,
            )
        return Response(FlagSerializer(flag).data)


urlpatterns = [
    path("flags/<id:flag_id>/acknowledge/", FlagAcknowledgeApi.as_view(), name="flag-acknowledge"),
]
