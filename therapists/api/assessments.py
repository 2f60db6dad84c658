"""Therapist API for questionnaires: a client's results (with each one's change) and the
schedules a therapist sets."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.drf import BoundedDateField, StrictIntegerField
from accounts.models import AuditAction
from journal import instruments
from journal.models import Assessment, AssessmentSchedule, Instrument
from journal.selectors.assessments import assessment_schedule_list
from journal.services.assessments import assessment_schedule_set

from ..selectors.assessments import assessment_results
from .base import CaseloadClientListApi


class ScheduleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentSchedule
        fields = [
            "id",
            "client",
            "instrument",
            "every_days",
            "next_due_on",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields


class ScheduleInputSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    every_days = StrictIntegerField(min_value=1, max_value=365, default=14)
    first_due_on = BoundedDateField(required=False, allow_null=True, help_text="Default: today.")


class ClientAssessmentResultSerializer(serializers.ModelSerializer):
    severity_label = serializers.SerializerMethodField()
    change = serializers.SerializerMethodField(
        help_text="Score minus the previous result of the same questionnaire; null for the first."
    )

    class Meta:
        model = Assessment
        fields = ["id", "instrument", "score", "severity", "severity_label", "taken_at", "change"]
        read_only_fields = fields

    def get_severity_label(self, obj: Assessment) -> str:
        return str(instruments.SEVERITY_LABELS.get(obj.severity, obj.severity))

    def get_change(self, obj: Assessment) -> int | None:
        previous = getattr(obj, "previous_score", None)
        return None if previous is None else obj.score - previous


class ClientAssessmentListApi(CaseloadClientListApi):
    """The client's PHQ-9 and GAD-7 results, newest first."""

    serializer_class = ClientAssessmentResultSerializer
    audit_object_type = "journal.assessment"

    def get_queryset(self):
        if self.schema_only():
            return Assessment.objects.none()
        return assessment_results(viewer=self.request.user, client=self.client)


class ClientAssessmentScheduleListCreateApi(CaseloadClientListApi):
    serializer_class = ScheduleSerializer
    audit_object_type = "journal.assessmentschedule"

    def get_queryset(self):
        if self.schema_only():
            return AssessmentSchedule.objects.none()
        return assessment_schedule_list(viewer=self.request.user, client=self.client)

    @extend_schema(request=ScheduleInputSerializer, responses={201: ScheduleSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        serializer = ScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule = assessment_schedule_set(
            therapist=request.user, client=self.client, **serializer.validated_data
        )
        self.audit_write(AuditAction.CREATE, schedule)
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "clients/<id:client_id>/assessments/",
        ClientAssessmentListApi.as_view(),
        name="client-assessment-list",
    ),
    path(
        "clients/<id:client_id>/assessment-schedules/",
        ClientAssessmentScheduleListCreateApi.as_view(),
        name="client-assessment-schedule-list",
    ),
]
