"""Client API for medication events and the medications one takes now."""

from django.urls import path
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.drf import (
    BoundedDateField,
    IsClient,
    named_choice_field,
)

from ..access.medications import access_own_medication_event
from ..models import (
    MedicationEvent,
    MedicationEventKind,
    SideEffect,
)
from ..selectors import medications as selectors
from ..services import medications as services

MedicationEventKindField = named_choice_field(
    "MedicationEventKindEnum", MedicationEventKind.choices
)

SideEffectField = named_choice_field("MedicationSideEffectEnum", SideEffect.choices)

# Empty for every kind but side_effect.
SideEffectOrBlankField = named_choice_field(
    "MedicationSideEffectOrBlankEnum", [("", ""), *SideEffect.choices]
)


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
    dose_since = serializers.DateField()
    last_change = MedicationEventKindField(choices=MedicationEventKind.choices)
    side_effects = serializers.ListField(child=SideEffectField(choices=SideEffect.choices))


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


urlpatterns = [
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
]
