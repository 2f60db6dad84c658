"""Therapist API: caseload, one client, trends, check-ins, medication notes, flags, sessions.

Every view reaches a client through access_client (the viewer's active caseload); a
client id outside it answers 404. Reads of a client's data are audited.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_client
from accounts.audit import audit_reads, audit_record
from accounts.drf import BoundedDateField, IsTherapist, StrictIntegerField, ascii_int
from accounts.models import AuditAction
from journal.models import CheckIn, MedicationEvent

from .. import services
from ..access import access_client_medication_event, access_flag
from ..models import Flag, MedicationNote
from ..selectors import (
    caseload_figures,
    caseload_rows,
    client_flag_history,
    medication_note_list,
)
from ..trend_cache import client_assessment

# --- Serializers ------------------------------------------------------------------------


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


class CaseloadRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    last_checkin_at = serializers.DateTimeField(allow_null=True)
    checkins_7d = serializers.IntegerField()
    homework_adherence_14d = serializers.FloatField(allow_null=True)
    flags = FlagSerializer(many=True)


class TrendDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    checkins = serializers.IntegerField()
    felt_intensity = serializers.FloatField(allow_null=True)
    distinct_emotions_7d = serializers.IntegerField(allow_null=True)
    emotional_range = serializers.FloatField(allow_null=True)
    symptom_score = serializers.FloatField(allow_null=True)
    blunting_index = serializers.FloatField(allow_null=True, source="index")
    level = serializers.CharField(allow_null=True)


class TrendsSerializer(serializers.Serializer):
    days = TrendDaySerializer(many=True)
    medication_events = MedicationEventOutSerializer(many=True)
    flags = FlagSerializer(many=True)


class TherapistCheckInSerializer(serializers.ModelSerializer):
    emotions = serializers.SerializerMethodField()
    symptoms = serializers.SerializerMethodField()
    triggers = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "occurred_at",
            "local_date",
            "emotions",
            "felt_intensity",
            "symptoms",
            "triggers",
            "note",
            "shared",
        ]

    def get_emotions(self, checkin) -> list[dict]:
        return [
            {"emotion": r.emotion.slug, "intensity": r.intensity} for r in checkin.ratings.all()
        ]

    def get_symptoms(self, checkin) -> dict[str, int]:
        return checkin.symptoms

    def get_triggers(self, checkin) -> list[str]:
        return [t.slug for t in checkin.triggers.all()]

    def get_note(self, checkin) -> str | None:
        # Only what the client chose to share reaches the therapist.
        return checkin.note if checkin.shared else None


class MedicationNoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    medication_event = StrictIntegerField(required=False, allow_null=True)
    shared_with_care_team = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Let the client's other therapists read this note (default: only you).",
    )


class MedicationNoteSerializer(serializers.ModelSerializer):
    therapist = serializers.CharField(source="therapist.display_name", default=None, read_only=True)

    class Meta:
        model = MedicationNote
        fields = [
            "id",
            "text",
            "medication_event",
            "therapist",
            "shared_with_care_team",
            "created_at",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, allow_blank=True)
    resolve = serializers.BooleanField(required=False, default=False)


class SessionSerializer(serializers.Serializer):
    held_on = BoundedDateField()


# --- Views ------------------------------------------------------------------------------


def _audit_read(request: Request, client, object_type: str) -> None:
    audit_record(
        request=request._request, action=AuditAction.READ, subject=client, object_type=object_type
    )


class CaseloadListApi(generics.ListAPIView):
    permission_classes = [IsTherapist]
    serializer_class = CaseloadRowSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return []
        return caseload_rows(viewer=self.request.user, figures=False)

    def list(self, request, *args, **kwargs):
        # The order needs only flags and last check-ins; the 7-day and homework figures
        # are read for the rows of this page only.
        rows = self.get_queryset()
        page = self.paginate_queryset(rows)
        shown = rows if page is None else page
        caseload_figures(shown)
        data = self.get_serializer(shown, many=True).data
        response = Response(data) if page is None else self.get_paginated_response(data)
        # Every row a therapist sees is an audited read: one INSERT for the page.
        audit_reads(
            request=request._request,
            subject_ids=[row["id"] for row in data],
            object_type="caseload",
        )
        return response


class ClientDetailApi(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(responses={200: CaseloadRowSerializer})
    def get(self, request: Request, client_id: int) -> Response:
        client = access_client(request.user, client_id)
        row = caseload_rows(viewer=request.user, client_id=client.pk)[0]
        _audit_read(request, client, "client")
        return Response(CaseloadRowSerializer(row).data)


class ClientTrendsApi(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(
        parameters=[
            OpenApiParameter("days", int, description="How many days to show, 7–365 (default 90).")
        ],
        responses={200: TrendsSerializer},
    )
    def get(self, request: Request, client_id: int) -> Response:
        client = access_client(request.user, client_id)
        span = ascii_int(request.query_params.get("days", "90"))
        if span is None or not 7 <= span <= 365:
            raise ValidationError({"days": [_("Give a whole number of days from 7 to 365.")]})
        today = client.local_now().date()
        trend = client_assessment(client.pk, today, viewer=request.user)
        start = today - timedelta(days=span - 1)
        shown = [d for d in trend.assessment.days if d.date >= start]
        events_shown = [e for e in trend.events if e.occurred_on >= start]
        flags = list(client_flag_history(viewer=request.user, client=client, since=start))
        _audit_read(request, client, "trends")
        return Response(
            TrendsSerializer(
                {"days": shown, "medication_events": events_shown, "flags": flags}
            ).data
        )


class ClientCheckInListApi(generics.ListAPIView):
    permission_classes = [IsTherapist]
    serializer_class = TherapistCheckInSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CheckIn.objects.none()
        client = access_client(self.request.user, self.kwargs["client_id"])
        _audit_read(self.request, client, "checkins")
        return (
            CheckIn.objects.filter(client=client)
            .prefetch_related("ratings__emotion", "triggers")
            .order_by("-occurred_at", "-pk")
        )


class MedicationNoteListCreateApi(generics.ListAPIView):
    permission_classes = [IsTherapist]
    serializer_class = MedicationNoteSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MedicationNote.objects.none()
        client = access_client(self.request.user, self.kwargs["client_id"])
        _audit_read(self.request, client, "medication_notes")
        return medication_note_list(viewer=self.request.user, client=client)

    @extend_schema(request=MedicationNoteInputSerializer, responses={201: MedicationNoteSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        client = access_client(request.user, client_id)
        serializer = MedicationNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event_id = serializer.validated_data.get("medication_event")
        event = access_client_medication_event(request.user, client, event_id) if event_id else None
        note = services.medication_note_create(
            therapist=request.user,
            client=client,
            text=serializer.validated_data["text"],
            medication_event=event,
            shared_with_care_team=serializer.validated_data["shared_with_care_team"],
        )
        audit_record(request=request._request, action=AuditAction.CREATE, subject=client, obj=note)
        return Response(MedicationNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class FlagAcknowledgeApi(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(request=AcknowledgeSerializer, responses={200: FlagSerializer})
    def post(self, request: Request, flag_id: int) -> Response:
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            flag = access_flag(request.user, flag_id)
            flag = services.flag_acknowledge(
                flag=flag, therapist=request.user, **serializer.validated_data
            )
            audit_record(
                request=request._request,
                action=AuditAction.ACKNOWLEDGE,
                subject=flag.client_id,
                obj=flag,
            )
        return Response(FlagSerializer(flag).data)


class SessionCreateApi(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(
        request=SessionSerializer,
        responses={
            201: inline_serializer(
                "Session", {"id": serializers.IntegerField(), "held_on": serializers.DateField()}
            )
        },
    )
    def post(self, request: Request, client_id: int) -> Response:
        client = access_client(request.user, client_id)
        serializer = SessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_record(
            therapist=request.user, client=client, held_on=serializer.validated_data["held_on"]
        )
        return Response(
            {"id": session.pk, "held_on": session.held_on}, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("clients/", CaseloadListApi.as_view(), name="client-list"),
    path("clients/<id:client_id>/", ClientDetailApi.as_view(), name="client-detail"),
    path("clients/<id:client_id>/trends/", ClientTrendsApi.as_view(), name="client-trends"),
    path(
        "clients/<id:client_id>/checkins/", ClientCheckInListApi.as_view(), name="client-checkins"
    ),
    path(
        "clients/<id:client_id>/medication-notes/",
        MedicationNoteListCreateApi.as_view(),
        name="client-medication-notes",
    ),
    path("clients/<id:client_id>/sessions/", SessionCreateApi.as_view(), name="client-sessions"),
    path("flags/<id:flag_id>/acknowledge/", FlagAcknowledgeApi.as_view(), name="flag-acknowledge"),
]
