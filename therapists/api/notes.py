"""Therapist API for medication notes: the viewer's own and those shared with the care team.

A note is its author's unless shared (``shared_with_care_team``); a colleague's unshared
note is never selected (therapists.selectors.notes).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.drf import StrictIntegerField
from accounts.models import AuditAction

from ..access.notes import access_client_medication_event
from ..models import MedicationNote
from ..selectors.notes import medication_note_list
from ..services.notes import medication_note_create
from .base import CaseloadClientListApi


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


class MedicationNoteListCreateApi(CaseloadClientListApi):
    serializer_class = MedicationNoteSerializer
    audit_object_type = "medication_notes"

    def get_queryset(self):
        if self.schema_only():
            return MedicationNote.objects.none()
        return medication_note_list(viewer=self.request.user, client=self.client)

    @extend_schema(request=MedicationNoteInputSerializer, responses={201: MedicationNoteSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        serializer = MedicationNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event_id = serializer.validated_data.get("medication_event")
        event = (
            access_client_medication_event(request.user, self.client, event_id)
            if event_id
            else None
        )
        note = medication_note_create(
            therapist=request.user,
            client=self.client,
            text=serializer.validated_data["text"],
            medication_event=event,
            shared_with_care_team=serializer.validated_data["shared_with_care_team"],
        )
        self.audit_write(AuditAction.CREATE, note)
        return Response(MedicationNoteSerializer(note).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "clients/<id:client_id>/medication-notes/",
        MedicationNoteListCreateApi.as_view(),
        name="client-medication-notes",
    ),
]
