"""Client API for questionnaires: submitting PHQ-9 and GAD-7, one's results, what is due."""

from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.drf import IsClient, StrictIntegerField

from .. import instruments
from ..models import (
    Assessment,
    Instrument,
)
from ..selectors import assessments as selectors
from ..selectors.safety import crisis_resources_for_client
from ..services import assessments as services
from .safety import SAFETY_URL, CrisisResourceSerializer


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
            assessment.crisis_resources = crisis_resources_for_client(request.user)
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


urlpatterns = [
    path("assessments/", AssessmentListCreateApi.as_view(), name="assessment-list"),
    path(
        "assessments/instruments/", InstrumentListApi.as_view(), name="assessment-instrument-list"
    ),
    path("assessments/due/", AssessmentDueListApi.as_view(), name="assessment-due-list"),
]
