"""Therapist API for homework and assessment schedules.

Every client id goes through ``access_client`` (active caseload or 404) before anything
else, and every read of a client's data is written to the audit trail.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_client
from accounts.audit import audit_record
from accounts.drf import BoundedDateField, IsTherapist, StrictIntegerField
from accounts.models import AuditAction
from journal.access.homework import access_client_homework
from journal.api.homework import HomeworkLogSerializer, HomeworkStatusField
from journal.markdown import render_markdown
from journal.models import (
    AssessmentSchedule,
    Frequency,
    HomeworkAssignment,
    HomeworkCategory,
    HomeworkLog,
    HomeworkStatus,
    HomeworkTemplate,
    Instrument,
)
from journal.selectors import assessments as assessment_selectors
from journal.selectors import homework as selectors
from journal.selectors.homework import homework_template_list
from journal.services import assessments as assessment_services
from journal.services import homework as services

# --- Serializers ------------------------------------------------------------------------


class HomeworkTemplateSerializer(serializers.ModelSerializer):
    instructions_html = serializers.SerializerMethodField()
    is_own = serializers.SerializerMethodField()

    class Meta:
        model = HomeworkTemplate
        fields = [
            "id",
            "title",
            "instructions",
            "instructions_html",
            "category",
            "frequency",
            "times_per_week",
            "is_own",
        ]
        read_only_fields = fields

    def get_instructions_html(self, obj: HomeworkTemplate) -> str:
        return str(render_markdown(obj.instructions))

    def get_is_own(self, obj: HomeworkTemplate) -> bool:
        return obj.owner_id is not None


class HomeworkTemplateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    instructions = serializers.CharField(max_length=10000, help_text="Markdown.")
    category = serializers.ChoiceField(
        choices=HomeworkCategory.choices, default=HomeworkCategory.OTHER
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.DAILY)
    times_per_week = StrictIntegerField(required=False, allow_null=True, min_value=1, max_value=7)


class AssignmentSerializer(serializers.ModelSerializer):
    instructions_html = serializers.SerializerMethodField()
    adherence_14d = serializers.FloatField(
        source="progress.adherence_14d", allow_null=True, read_only=True
    )
    done_this_week = serializers.IntegerField(source="progress.done_this_week", read_only=True)
    status = HomeworkStatusField(choices=HomeworkStatus.choices, read_only=True)

    class Meta:
        model = HomeworkAssignment
        fields = [
            "id",
            "client",
            "template",
            "title",
            "instructions",
            "instructions_html",
            "frequency",
            "times_per_week",
            "starts_on",
            "due_on",
            "status",
            "ended_on",
            "adherence_14d",
            "done_this_week",
            "created_at",
        ]
        read_only_fields = fields

    def get_instructions_html(self, obj: HomeworkAssignment) -> str:
        return str(render_markdown(obj.instructions))


class AssignmentInputSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Default: the template's title."
    )
    instructions = serializers.CharField(
        max_length=10000,
        required=False,
        allow_blank=True,
        help_text="Markdown. Default: the template's instructions.",
    )
    frequency = serializers.ChoiceField(
        choices=Frequency.choices, required=False, help_text="Default: the template's, else daily."
    )
    times_per_week = StrictIntegerField(
        required=False, allow_null=True, min_value=1, max_value=7, help_text="Required for weekly."
    )
    due_on = BoundedDateField(required=False, allow_null=True)
    starts_on = BoundedDateField(
        required=False, allow_null=True, help_text="Default: the client's today."
    )
    template = StrictIntegerField(
        required=False, allow_null=True, help_text="A library template or one of your own."
    )
    save_as_template = serializers.BooleanField(
        required=False, default=False, help_text="Also keep a custom task as your own template."
    )

    def validate(self, attrs: dict) -> dict:
        template_id = attrs.pop("template", None)
        template = None
        if template_id is not None:
            template = (
                homework_template_list(viewer=self.context["therapist"])
                .filter(pk=template_id)
                .first()
            )
            if template is None:
                raise serializers.ValidationError(
                    {"template": ["That template is not in your library."]}
                )
        elif not (attrs.get("title") or "").strip():
            raise serializers.ValidationError(
                {"title": ["Give the task a title, or choose a template."]}
            )
        attrs["template"] = template
        return attrs


class AssignmentStatusSerializer(serializers.Serializer):
    status = HomeworkStatusField(
        choices=HomeworkStatus.choices, help_text="paused to pause, active to resume, ended to end."
    )


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


def _with_progress(assignments, client):
    assignments = list(assignments)
    progress = selectors.homework_progress(assignments, client=client)
    for assignment in assignments:
        assignment.progress = progress[assignment.pk]
    return assignments


# --- Views ------------------------------------------------------------------------------


class HomeworkTemplateListCreateApi(generics.ListAPIView):
    """The shared library plus your own private templates."""

    permission_classes = [IsTherapist]
    serializer_class = HomeworkTemplateSerializer

    def get_queryset(self):
        return homework_template_list(viewer=self.request.user).order_by("category", "title", "pk")

    @extend_schema(
        request=HomeworkTemplateInputSerializer, responses={201: HomeworkTemplateSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = HomeworkTemplateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = services.homework_template_create(
            owner=request.user, **serializer.validated_data
        )
        return Response(HomeworkTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class ClientHomeworkListCreateApi(generics.ListAPIView):
    permission_classes = [IsTherapist]
    serializer_class = AssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return HomeworkAssignment.objects.none()
        return selectors.client_homework_list(viewer=self.request.user, client=self.client)

    @extend_schema(
        responses={
            200: AssignmentSerializer(many=True),
            404: OpenApiResponse(description="Not in your caseload"),
        }
    )
    def get(self, request: Request, client_id: int) -> Response:
        self.client = access_client(request.user, client_id)
        audit_record(
            request=request._request,
            action=AuditAction.READ,
            subject=self.client,
            object_type="journal.homeworkassignment",
        )
        page = _with_progress(self.paginate_queryset(self.get_queryset()), self.client)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=AssignmentInputSerializer,
        responses={
            201: AssignmentSerializer,
            400: OpenApiResponse(description="Bad input; names the field"),
            404: OpenApiResponse(description="Not in your caseload"),
        },
    )
    def post(self, request: Request, client_id: int) -> Response:
        client = access_client(request.user, client_id)
        serializer = AssignmentInputSerializer(
            data=request.data, context={"therapist": request.user}
        )
        serializer.is_valid(raise_exception=True)
        assignment = services.homework_assign(
            therapist=request.user, client=client, **serializer.validated_data
        )
        audit_record(
            request=request._request, action=AuditAction.CREATE, subject=client, obj=assignment
        )
        [assignment] = _with_progress([assignment], client)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ClientHomeworkDetailApi(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(
        responses={200: AssignmentSerializer, 404: OpenApiResponse(description="Not found")}
    )
    def get(self, request: Request, client_id: int, assignment_id: int) -> Response:
        client = access_client(request.user, client_id)
        assignment = access_client_homework(request.user, client, assignment_id)
        audit_record(
            request=request._request, action=AuditAction.READ, subject=client, obj=assignment
        )
        [assignment] = _with_progress([assignment], client)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(
        request=AssignmentStatusSerializer,
        responses={
            200: AssignmentSerializer,
            400: OpenApiResponse(description="Bad status"),
            404: OpenApiResponse(description="Not found"),
        },
    )
    def patch(self, request: Request, client_id: int, assignment_id: int) -> Response:
        client = access_client(request.user, client_id)
        assignment = access_client_homework(request.user, client, assignment_id)
        serializer = AssignmentStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.homework_set_status(
            assignment=assignment, status=serializer.validated_data["status"]
        )
        audit_record(
            request=request._request, action=AuditAction.UPDATE, subject=client, obj=assignment
        )
        [assignment] = _with_progress([assignment], client)
        return Response(AssignmentSerializer(assignment).data)


class ClientHomeworkLogListApi(generics.ListAPIView):
    """Completions of one assignment; a reflection appears only where the client shared it."""

    permission_classes = [IsTherapist]
    serializer_class = HomeworkLogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return HomeworkLog.objects.none()
        client = access_client(self.request.user, self.kwargs["client_id"])
        assignment = access_client_homework(self.request.user, client, self.kwargs["assignment_id"])
        audit_record(
            request=self.request._request,
            action=AuditAction.READ,
            subject=client,
            object_type="journal.homeworklog",
        )
        return selectors.homework_log_list(viewer=self.request.user, assignment=assignment)


class ClientAssessmentScheduleListCreateApi(generics.ListAPIView):
    permission_classes = [IsTherapist]
    serializer_class = ScheduleSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return AssessmentSchedule.objects.none()
        client = access_client(self.request.user, self.kwargs["client_id"])
        audit_record(
            request=self.request._request,
            action=AuditAction.READ,
            subject=client,
            object_type="journal.assessmentschedule",
        )
        return assessment_selectors.assessment_schedule_list(
            viewer=self.request.user, client=client
        )

    @extend_schema(
        request=ScheduleInputSerializer,
        responses={
            201: ScheduleSerializer,
            400: OpenApiResponse(description="Bad input"),
            404: OpenApiResponse(description="Not in your caseload"),
        },
    )
    def post(self, request: Request, client_id: int) -> Response:
        client = access_client(request.user, client_id)
        serializer = ScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule = assessment_services.assessment_schedule_set(
            therapist=request.user, client=client, **serializer.validated_data
        )
        audit_record(
            request=request._request, action=AuditAction.CREATE, subject=client, obj=schedule
        )
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "homework-templates/",
        HomeworkTemplateListCreateApi.as_view(),
        name="homework-template-list",
    ),
    path(
        "clients/<id:client_id>/homework/",
        ClientHomeworkListCreateApi.as_view(),
        name="client-homework-list",
    ),
    path(
        "clients/<id:client_id>/homework/<id:assignment_id>/",
        ClientHomeworkDetailApi.as_view(),
        name="client-homework-detail",
    ),
    path(
        "clients/<id:client_id>/homework/<id:assignment_id>/logs/",
        ClientHomeworkLogListApi.as_view(),
        name="client-homework-log-list",
    ),
    path(
        "clients/<id:client_id>/assessment-schedules/",
        ClientAssessmentScheduleListCreateApi.as_view(),
        name="client-assessment-schedule-list",
    ),
]
