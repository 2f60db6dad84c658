"""Therapist API for homework: the template library, a client's assignments (assign,
pause, resume, end) and their logs.

Client endpoints stand on ``CaseloadClientApi`` (the client through the caseload, reads
audited). Rules live in journal.services.homework; the serializers only check shape.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.drf import BoundedDateField, IsTherapist, StrictIntegerField
from accounts.models import AuditAction
from journal.access.homework import access_client_homework
from journal.api.homework import (
    HomeworkLogSerializer,
    HomeworkStatusField,
    InstructionsHtmlField,
)
from journal.models import (
    Frequency,
    HomeworkAssignment,
    HomeworkCategory,
    HomeworkLog,
    HomeworkStatus,
    HomeworkTemplate,
)
from journal.selectors import homework as selectors
from journal.services import homework as services

from .base import CaseloadClientApi, CaseloadClientListApi


class HomeworkTemplateSerializer(serializers.ModelSerializer):
    instructions_html = InstructionsHtmlField()
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
    instructions_html = InstructionsHtmlField()
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


class AssignmentStatusSerializer(serializers.Serializer):
    status = HomeworkStatusField(
        choices=HomeworkStatus.choices, help_text="paused to pause, active to resume, ended to end."
    )


def _with_progress(assignments, client):
    assignments = list(assignments)
    progress = selectors.homework_progress(assignments, client=client)
    for assignment in assignments:
        assignment.progress = progress[assignment.pk]
    return assignments


class HomeworkTemplateListCreateApi(generics.ListAPIView):
    """The shared library plus your own private templates."""

    permission_classes = [IsTherapist]
    serializer_class = HomeworkTemplateSerializer

    def get_queryset(self):
        return selectors.homework_template_list(viewer=self.request.user).order_by(
            "category", "title", "pk"
        )

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


class ClientHomeworkListCreateApi(CaseloadClientListApi):
    serializer_class = AssignmentSerializer
    audit_object_type = "journal.homeworkassignment"

    def get_queryset(self):
        if self.schema_only():
            return HomeworkAssignment.objects.none()
        return selectors.client_homework_list(viewer=self.request.user, client=self.client)

    def list(self, request, *args, **kwargs):
        page = _with_progress(self.paginate_queryset(self.get_queryset()), self.client)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=AssignmentInputSerializer, responses={201: AssignmentSerializer})
    def post(self, request: Request, client_id: int) -> Response:
        serializer = AssignmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        assignment = services.homework_assign(
            therapist=request.user,
            client=self.client,
            template_id=data.pop("template", None),
            **data,
        )
        self.audit_write(AuditAction.CREATE, assignment)
        [assignment] = _with_progress([assignment], self.client)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ClientHomeworkDetailApi(CaseloadClientApi):
    audit_object_type = "journal.homeworkassignment"

    @extend_schema(responses={200: AssignmentSerializer})
    def get(self, request: Request, client_id: int, assignment_id: int) -> Response:
        assignment = access_client_homework(request.user, self.client, assignment_id)
        [assignment] = _with_progress([assignment], self.client)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(request=AssignmentStatusSerializer, responses={200: AssignmentSerializer})
    def patch(self, request: Request, client_id: int, assignment_id: int) -> Response:
        assignment = access_client_homework(request.user, self.client, assignment_id)
        serializer = AssignmentStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.homework_set_status(
            assignment=assignment, status=serializer.validated_data["status"]
        )
        self.audit_write(AuditAction.UPDATE, assignment)
        [assignment] = _with_progress([assignment], self.client)
        return Response(AssignmentSerializer(assignment).data)


class ClientHomeworkLogListApi(CaseloadClientListApi):
    """Completions of one assignment; a reflection appears only where the client shared it."""

    serializer_class = HomeworkLogSerializer
    audit_object_type = "journal.homeworklog"

    def get_queryset(self):
        if self.schema_only():
            return HomeworkLog.objects.none()
        assignment = access_client_homework(
            self.request.user, self.client, self.kwargs["assignment_id"]
        )
        return selectors.homework_log_list(viewer=self.request.user, assignment=assignment)


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
]
