"""Client API for homework: one's assignments with adherence, and logging a completion."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.drf import (
    BoundedDateTimeField,
    IsClient,
    StrictIntegerField,
    named_choice_field,
)

from ..access.homework import access_own_homework
from ..markdown import render_markdown
from ..models import (
    HomeworkAssignment,
    HomeworkLog,
    HomeworkStatus,
)
from ..selectors import homework as selectors
from ..services import homework as services

HomeworkStatusField = named_choice_field("HomeworkStatusEnum", HomeworkStatus.choices)


@extend_schema_field(OpenApiTypes.STR)
class InstructionsHtmlField(serializers.Field):
    """The instructions (Markdown) as sanitised HTML, ready to show."""

    def __init__(self, **kwargs):
        super().__init__(source="instructions", read_only=True, **kwargs)

    def to_representation(self, value: str) -> str:
        return str(render_markdown(value))


class HomeworkSerializer(serializers.ModelSerializer):
    """An assignment with where it stands today (``progress`` is set by the view)."""

    instructions_html = InstructionsHtmlField()
    status = HomeworkStatusField(choices=HomeworkStatus.choices, read_only=True)
    assigned_by = serializers.CharField(
        source="therapist.display_name", default=None, read_only=True
    )
    adherence_14d = serializers.FloatField(
        source="progress.adherence_14d",
        allow_null=True,
        read_only=True,
        help_text="Done / expected over the last 14 days (0-1); null when nothing was expected.",
    )
    due_today = serializers.BooleanField(source="progress.due_today", read_only=True)
    due_this_week = serializers.BooleanField(source="progress.due_this_week", read_only=True)
    done_today = serializers.BooleanField(source="progress.done_today", read_only=True)
    done_this_week = serializers.IntegerField(source="progress.done_this_week", read_only=True)
    remaining_this_week = serializers.IntegerField(
        source="progress.remaining_this_week", allow_null=True, read_only=True
    )

    class Meta:
        model = HomeworkAssignment
        fields = [
            "id",
            "title",
            "instructions",
            "instructions_html",
            "frequency",
            "times_per_week",
            "starts_on",
            "due_on",
            "status",
            "assigned_by",
            "adherence_14d",
            "due_today",
            "due_this_week",
            "done_today",
            "done_this_week",
            "remaining_this_week",
            "created_at",
        ]
        read_only_fields = fields


class HomeworkLogInputSerializer(serializers.Serializer):
    completed_at = BoundedDateTimeField(
        required=False,
        help_text="When it was done (ISO 8601 with offset); default now. Last 30 days.",
    )
    before_feeling = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=10, help_text="0-10, before."
    )
    after_feeling = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=10, help_text="0-10, after."
    )
    reflection = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.REFLECTION_MAX,
        trim_whitespace=False,
        help_text="Encrypted at rest; the therapist sees it only when shared.",
    )
    shared = serializers.BooleanField(required=False, default=False)


class HomeworkLogSerializer(serializers.ModelSerializer):
    reflection = serializers.SerializerMethodField()

    class Meta:
        model = HomeworkLog
        fields = [
            "id",
            "assignment",
            "completed_at",
            "local_date",
            "before_feeling",
            "after_feeling",
            "reflection",
            "shared",
            "created_at",
        ]
        read_only_fields = fields

    def get_reflection(self, obj: HomeworkLog) -> str:
        if hasattr(obj, "visible_reflection"):
            return obj.visible_reflection or ""
        return obj.reflection


class HomeworkListApi(generics.ListAPIView):
    permission_classes = [IsClient]
    serializer_class = HomeworkSerializer

    def get_queryset(self):
        include_ended = self.request.query_params.get("include_ended") in {"1", "true"}
        return selectors.homework_list(viewer=self.request.user, include_ended=include_ended)

    @extend_schema(
        parameters=[
            OpenApiParameter("include_ended", bool, description="Also list ended assignments.")
        ]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        progress = selectors.homework_progress(page, client=request.user)
        for assignment in page:
            assignment.progress = progress[assignment.pk]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class HomeworkLogListCreateApi(generics.ListAPIView):
    permission_classes = [IsClient]
    serializer_class = HomeworkLogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return HomeworkLog.objects.none()
        assignment = access_own_homework(self.request.user, self.kwargs["assignment_id"])
        return selectors.homework_log_list(viewer=self.request.user, assignment=assignment)

    @extend_schema(
        request=HomeworkLogInputSerializer,
        responses={
            201: HomeworkLogSerializer,
            400: OpenApiResponse(description="Bad input; names the field"),
            404: OpenApiResponse(description="Not your homework"),
        },
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = access_own_homework(request.user, assignment_id)
        serializer = HomeworkLogInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log = services.homework_log_create(
            client=request.user, assignment=assignment, **serializer.validated_data
        )
        return Response(HomeworkLogSerializer(log).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("homework/", HomeworkListApi.as_view(), name="homework-list"),
    path(
        "homework/<id:assignment_id>/logs/",
        HomeworkLogListCreateApi.as_view(),
        name="homework-log-list",
    ),
]
