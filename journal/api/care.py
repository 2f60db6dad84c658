"""Client API for care between sessions: homework, medication events, assessments, safety.

One small view per operation, as in accounts.api. Views validate shape with explicit
serializers, reach rows through access functions (404 for anything not the caller's),
write through journal.services.care and read through journal.selectors.care.
"""

from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.drf import BoundedDateField, BoundedDateTimeField, IsClient, StrictIntegerField
from accounts.selectors import care_team_list

from .. import instruments
from ..access_care import access_own_homework, access_own_medication_event
from ..markdown import render_markdown
from ..models import (
    Assessment,
    HomeworkAssignment,
    HomeworkLog,
    HomeworkStatus,
    Instrument,
    MedicationEvent,
    MedicationEventKind,
    SafetySignal,
    SideEffect,
)
from ..selectors import care as selectors
from ..services import care as services

SAFETY_URL = "/safety/"


def named_choice_field(component: str, choices) -> type[serializers.ChoiceField]:
    """A ChoiceField documented as one named enum component, so that the same choices
    share one name and do not collide with other apps' "status" or "kind" enums."""
    field_class = type(f"{component}Field", (serializers.ChoiceField,), {})
    values = [value for value, _label in choices]
    return extend_schema_field({"type": "string", "enum": values}, component_name=component)(
        field_class
    )


HomeworkStatusField = named_choice_field("HomeworkStatusEnum", HomeworkStatus.choices)
MedicationEventKindField = named_choice_field(
    "MedicationEventKindEnum", MedicationEventKind.choices
)
SideEffectField = named_choice_field("MedicationSideEffectEnum", SideEffect.choices)
# Empty for every kind but side_effect.
SideEffectOrBlankField = named_choice_field(
    "MedicationSideEffectOrBlankEnum", [("", ""), *SideEffect.choices]
)

# --- Serializers ------------------------------------------------------------------------


class HomeworkSerializer(serializers.ModelSerializer):
    """An assignment with where it stands today (``progress`` is set by the view)."""

    instructions_html = serializers.SerializerMethodField()
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

    def get_instructions_html(self, obj: HomeworkAssignment) -> str:
        return str(render_markdown(obj.instructions))


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


class MedicationEventInputSerializer(serializers.Serializer):
    medication = serializers.CharField(max_length=120, help_text="Its name, as on the packet.")
    kind = MedicationEventKindField(choices=MedicationEventKind.choices)
    dose = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=True, help_text=str(services.DOSE_RULE)
    )
    side_effect = SideEffectOrBlankField(
        choices=SideEffect.choices,
        required=False,
        allow_blank=True,
        help_text="Required with kind side_effect (e.g. “blunting”: emotional blunting / numbness); empty otherwise.",
    )
    occurred_on = BoundedDateField(help_text="YYYY-MM-DD; not in the future.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.NOTE_MAX,
        trim_whitespace=False,
        help_text="Private to you (encrypted at rest; not shown to your therapist).",
    )

    def validate_dose(self, value: str) -> str:
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            return services.validate_dose(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["dose"]) from exc


class MedicationEventSerializer(serializers.ModelSerializer):
    kind = MedicationEventKindField(choices=MedicationEventKind.choices, read_only=True)
    side_effect = SideEffectOrBlankField(
        choices=SideEffect.choices, allow_blank=True, read_only=True
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    side_effect_label = serializers.CharField(source="get_side_effect_display", read_only=True)

    class Meta:
        model = MedicationEvent
        fields = [
            "id",
            "medication",
            "kind",
            "kind_label",
            "dose",
            "side_effect",
            "side_effect_label",
            "occurred_on",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CurrentMedicationSerializer(serializers.Serializer):
    medication = serializers.CharField()
    dose = serializers.CharField()
    since = serializers.DateField()
    last_change_on = serializers.DateField()
    last_change = MedicationEventKindField(choices=MedicationEventKind.choices)
    side_effects = serializers.ListField(child=SideEffectField(choices=SideEffect.choices))


class AssessmentInputSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    answers = serializers.ListField(
        child=StrictIntegerField(min_value=0, max_value=3),
        min_length=1,
        max_length=20,
        help_text="One answer per item, in order, each 0-3: 9 for phq9, 7 for gad7.",
    )

    def validate(self, attrs: dict) -> dict:
        try:
            instruments.validate_answers(attrs["instrument"], attrs["answers"])
        except instruments.AnswersError as exc:
            raise serializers.ValidationError({exc.field: [exc.message]}) from exc
        return attrs


class CrisisResourceSerializer(serializers.Serializer):
    locale = serializers.CharField(help_text="Country code, or empty for “anywhere”.")
    name = serializers.CharField()
    description = serializers.CharField()
    phone = serializers.CharField()
    sms = serializers.CharField()
    url = serializers.CharField()
    available_hours = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer):
    severity_label = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "instrument",
            "answers",
            "score",
            "severity",
            "severity_label",
            "safety_flag",
            "taken_at",
        ]
        read_only_fields = fields

    def get_severity_label(self, obj: Assessment) -> str:
        return str(instruments.SEVERITY_LABELS.get(obj.severity, obj.severity))


class AssessmentResultSerializer(AssessmentSerializer):
    message = serializers.CharField(read_only=True, help_text="The result in gentle words.")
    crisis_resources = CrisisResourceSerializer(
        many=True, read_only=True, help_text="Crisis resources; empty unless safety_flag is true."
    )
    crisis_resources_url = serializers.CharField(
        read_only=True, allow_null=True, help_text="The crisis page; null unless safety_flag."
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [
            *AssessmentSerializer.Meta.fields,
            "message",
            "crisis_resources",
            "crisis_resources_url",
        ]
        read_only_fields = fields


class InstrumentOptionSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class InstrumentBandSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    severity = serializers.CharField()
    label = serializers.CharField()


class InstrumentSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    name = serializers.CharField()
    stem = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    options = InstrumentOptionSerializer(many=True)
    max_score = serializers.IntegerField()
    bands = InstrumentBandSerializer(many=True)


class DueAssessmentSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    name = serializers.CharField()
    due_on = serializers.DateField()


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


# --- Homework ---------------------------------------------------------------------------


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


# --- Medications ------------------------------------------------------------------------


class MedicationEventListCreateApi(generics.ListAPIView):
    permission_classes = [IsClient]
    serializer_class = MedicationEventSerializer

    def get_queryset(self):
        return selectors.medication_event_list(self.request.user, self.request.user)

    @extend_schema(
        request=MedicationEventInputSerializer,
        responses={201: MedicationEventSerializer, 400: OpenApiResponse(description="Bad input")},
    )
    def post(self, request: Request) -> Response:
        serializer = MedicationEventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.medication_event_create(client=request.user, **serializer.validated_data)
        return Response(MedicationEventSerializer(event).data, status=status.HTTP_201_CREATED)


class MedicationEventDetailApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        responses={200: MedicationEventSerializer, 404: OpenApiResponse(description="Not yours")}
    )
    def get(self, request: Request, event_id: int) -> Response:
        event = access_own_medication_event(request.user, event_id)
        return Response(MedicationEventSerializer(event).data)

    @extend_schema(
        request=MedicationEventInputSerializer(partial=True),
        responses={200: MedicationEventSerializer, 400: OpenApiResponse(description="Bad input")},
    )
    def patch(self, request: Request, event_id: int) -> Response:
        event = access_own_medication_event(request.user, event_id)
        serializer = MedicationEventInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        event = services.medication_event_update(event=event, **serializer.validated_data)
        return Response(MedicationEventSerializer(event).data)

    @extend_schema(
        request=None, responses={204: None, 404: OpenApiResponse(description="Not yours")}
    )
    def delete(self, request: Request, event_id: int) -> Response:
        event = access_own_medication_event(request.user, event_id)
        services.medication_event_delete(event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentMedicationListApi(generics.ListAPIView):
    """What you take now, derived from your medication events."""

    permission_classes = [IsClient]
    serializer_class = CurrentMedicationSerializer

    def get_queryset(self):
        return selectors.current_medications(self.request.user)


# --- Assessments and safety -------------------------------------------------------------


class AssessmentListCreateApi(generics.ListAPIView):
    permission_classes = [IsClient]
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        queryset = selectors.assessment_list(viewer=self.request.user)
        instrument = self.request.query_params.get("instrument")
        return queryset.filter(instrument=instrument) if instrument else queryset

    @extend_schema(parameters=[OpenApiParameter("instrument", str, enum=Instrument.values)])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=AssessmentInputSerializer,
        responses={
            201: AssessmentResultSerializer,
            400: OpenApiResponse(
                description="Unknown instrument, wrong number of answers, or an answer outside 0-3"
            ),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment, _signal = services.assessment_submit(
            client=request.user, **serializer.validated_data
        )
        # Read after the transaction: showing help must never roll back the signal.
        assessment.message = str(instruments.SEVERITY_GENTLE[assessment.severity])
        assessment.crisis_resources, assessment.crisis_resources_url = [], None
        if assessment.safety_flag:
            assessment.crisis_resources = selectors.crisis_resources_for_client(request.user)
            assessment.crisis_resources_url = SAFETY_URL
        return Response(AssessmentResultSerializer(assessment).data, status=status.HTTP_201_CREATED)


class InstrumentListApi(generics.ListAPIView):
    """The questionnaires with their exact item wording and response options."""

    permission_classes = [IsClient]
    serializer_class = InstrumentSerializer

    def get_queryset(self):
        return [instruments.describe(code) for code in instruments.INSTRUMENTS]


class AssessmentDueListApi(generics.ListAPIView):
    """Questionnaires your therapist has asked for that are due now."""

    permission_classes = [IsClient]
    serializer_class = DueAssessmentSerializer

    def get_queryset(self):
        return selectors.assessments_due(self.request.user)


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
    path("homework/", HomeworkListApi.as_view(), name="homework-list"),
    path(
        "homework/<id:assignment_id>/logs/",
        HomeworkLogListCreateApi.as_view(),
        name="homework-log-list",
    ),
    path(
        "medication-events/", MedicationEventListCreateApi.as_view(), name="medication-event-list"
    ),
    path(
        "medication-events/<id:event_id>/",
        MedicationEventDetailApi.as_view(),
        name="medication-event-detail",
    ),
    path(
        "current-medications/", CurrentMedicationListApi.as_view(), name="current-medication-list"
    ),
    path("assessments/", AssessmentListCreateApi.as_view(), name="assessment-list"),
    path(
        "assessments/instruments/", InstrumentListApi.as_view(), name="assessment-instrument-list"
    ),
    path("assessments/due/", AssessmentDueListApi.as_view(), name="assessment-due-list"),
    path("safety/", SafetySignalCreateApi.as_view(), name="safety-signal-create"),
]
