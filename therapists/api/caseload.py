"""Therapist API for the caseload: the list, one client's row, and their check-ins.

Every client is reached through the viewer's active caseload; reads are audited. A
check-in's note reaches the therapist only where the client shared it, and an unshared
note is never selected (journal.selectors.checkins.checkin_list_for_therapist).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.audit import audit_reads
from accounts.drf import IsTherapist
from journal.models import CheckIn
from journal.selectors.checkins import checkin_list_for_therapist

from ..selectors.caseload import caseload_details, caseload_figures, caseload_rows
from .base import CaseloadClientApi, CaseloadClientListApi
from .flags import FlagSerializer


class LatestScoreSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    score = serializers.IntegerField()
    severity = serializers.CharField()
    change = serializers.IntegerField(
        allow_null=True, help_text="Minus the result before it; null for a first result."
    )


class CaseloadRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    last_checkin_at = serializers.DateTimeField(allow_null=True)
    checkins_7d = serializers.IntegerField()
    homework_adherence_14d = serializers.FloatField(allow_null=True)
    flags = FlagSerializer(many=True)
    scores = LatestScoreSerializer(
        many=True, help_text="The latest PHQ-9 and GAD-7, with their change."
    )


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
        # Only what the client chose to share reaches the therapist; the selector never
        # selected anything else (visible_note).
        return checkin.visible_note if checkin.shared else None


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
        caseload_details(shown, viewer=request.user, felt=False)
        data = self.get_serializer(shown, many=True).data
        response = Response(data) if page is None else self.get_paginated_response(data)
        # Every row a therapist sees is an audited read: one INSERT for the page.
        audit_reads(
            request=request._request,
            subject_ids=[row["id"] for row in data],
            object_type="caseload",
        )
        return response


class ClientDetailApi(CaseloadClientApi):
    audit_object_type = "client"

    @extend_schema(responses={200: CaseloadRowSerializer})
    def get(self, request: Request, client_id: int) -> Response:
        row = caseload_rows(viewer=request.user, client_id=self.client.pk)[0]
        caseload_details([row], viewer=request.user, felt=False)
        return Response(CaseloadRowSerializer(row).data)


class ClientCheckInListApi(CaseloadClientListApi):
    serializer_class = TherapistCheckInSerializer
    audit_object_type = "checkins"

    def get_queryset(self):
        if self.schema_only():
            return CheckIn.objects.none()
        return checkin_list_for_therapist(viewer=self.request.user, client=self.client)


urlpatterns = [
    path("clients/", CaseloadListApi.as_view(), name="client-list"),
    path("clients/<id:client_id>/", ClientDetailApi.as_view(), name="client-detail"),
    path(
        "clients/<id:client_id>/checkins/", ClientCheckInListApi.as_view(), name="client-checkins"
    ),
]
