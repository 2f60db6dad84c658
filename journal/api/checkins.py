"""Check-in API: the feelings vocabulary, triggers, one's own check-ins, and insights.

Serializers check shape and types (strict integers: 2.5, "3" and true are not numbers
of a scale); journal.services.checkins holds the rules (known slugs, time window) and
writes. Nothing here fetches a check-in except through journal.access.
"""

from collections.abc import Mapping

from django.db import transaction
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.drf import (
    BoundedDateField,
    BoundedDateTimeField,
    IsClient,
    StrictIntegerField,
    StrictUUIDField,
)
from journal.access.checkins import access_checkin
from journal.models import SYMPTOM_FIELDS, CheckIn, Emotion, Trigger
from journal.selectors.checkins import (
    INSIGHT_RANGES,
    checkin_list,
    emotion_list,
    insights_get,
    trigger_list,
)
from journal.services.checkins import (
    NOTE_MAX_LENGTH,
    RatingInput,
    checkin_create,
    checkin_create_once,
    checkin_delete,
    checkin_update,
    repeated,
)

# --- Fields -----------------------------------------------------------------------------------


class ClientDateTimeField(BoundedDateTimeField):
    """A time without an offset means the client's own time zone; answers carry their offset."""

    def default_timezone(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user.tz
        return super().default_timezone()


# --- Vocabulary -------------------------------------------------------------------------------


class EmotionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Emotion
        fields = ["slug", "name", "parent", "level", "valence"]


class TriggerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trigger
        fields = ["slug", "name", "description"]


# --- Check-in input ---------------------------------------------------------------------------


class EmotionRatingInputSerializer(serializers.Serializer):
    emotion = serializers.SlugField(max_length=40, help_text="A slug from GET /api/v1/emotions/.")
    intensity = StrictIntegerField(min_value=0, max_value=10)

    def validate(self, attrs):
        # In a PATCH DRF treats nested fields as optional too; a rating needs both halves.
        missing = {
            name: [_("This field is required.")]
            for name in ("emotion", "intensity")
            if name not in attrs
        }
        if missing:
            raise ValidationError(missing)
        return attrs


class SymptomsInputSerializer(serializers.Serializer):
    """Any subset of the six items, each 0-3 over the last 24 hours; null clears an answer."""

    def get_fields(self):
        return {
            key: StrictIntegerField(min_value=0, max_value=3, required=False, allow_null=True)
            for key in SYMPTOM_FIELDS
        }

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(SYMPTOM_FIELDS))
            if unknown:
                message = _("Not one of the symptom items (%(keys)s).") % {
                    "keys": ", ".join(SYMPTOM_FIELDS)
                }
                raise ValidationError({key: [message] for key in unknown})
        return super().to_internal_value(data)


class CheckInInputSerializer(serializers.Serializer):
    occurred_at = ClientDateTimeField(
        required=False, help_text="Default now; at most 5 minutes ahead and 30 days back."
    )
    emotions = EmotionRatingInputSerializer(
        many=True,
        required=False,
        help_text="May be empty: not being able to name a feeling is an answer.",
    )
    felt_intensity = StrictIntegerField(
        min_value=0, max_value=10, help_text="How much can you feel right now?"
    )
    symptoms = SymptomsInputSerializer(required=False)
    triggers = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        help_text="Slugs from GET /api/v1/triggers/.",
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Encrypted at rest.",
    )
    shared = serializers.BooleanField(
        required=False, help_text="Let the active care team read the note."
    )
    client_uuid = StrictUUIDField(
        required=False,
        help_text=(
            "Made by your device for this check-in. Sent again (a retry, an offline outbox), "
            "it answers 200 with the first check-in and stores nothing new. Only when checking in."
        ),
    )

    def validate_emotions(self, value):
        duplicates = repeated(item["emotion"] for item in value)
        if duplicates:
            raise ValidationError(
                _("Each feeling can be named once per check-in: %(slugs)s.")
                % {"slugs": ", ".join(duplicates)}
            )
        return value

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        if "emotions" in data:
            data["emotions"] = [
                RatingInput(emotion=e["emotion"], intensity=e["intensity"])
                for e in data["emotions"]
            ]
        if "symptoms" in data:
            data["symptoms"] = dict(data["symptoms"])
        return data


# --- Check-in output --------------------------------------------------------------------------


class EmotionRatingSerializer(serializers.Serializer):
    emotion = serializers.CharField(source="emotion.slug")
    name = serializers.CharField(source="emotion.name")
    intensity = serializers.IntegerField()


class SymptomsSerializer(serializers.Serializer):
    """All six items; null where the item was not answered."""

    def get_fields(self):
        return {
            key: serializers.IntegerField(source=column, allow_null=True)
            for key, column in SYMPTOM_FIELDS.items()
        }


class CheckInSerializer(serializers.ModelSerializer):
    occurred_at = ClientDateTimeField()
    emotions = EmotionRatingSerializer(source="ratings", many=True)
    symptoms = SymptomsSerializer(source="*")
    triggers = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

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
            "client_uuid",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CheckInFilterSerializer(serializers.Serializer):
    since = BoundedDateField(required=False, help_text="First local date to include (YYYY-MM-DD).")
    until = BoundedDateField(required=False, help_text="Last local date to include (YYYY-MM-DD).")


# --- Insights ---------------------------------------------------------------------------------


class InsightsQuerySerializer(serializers.Serializer):
    days = serializers.ChoiceField(choices=INSIGHT_RANGES, default=30)


class InsightDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    checkins = serializers.IntegerField()
    felt_intensity = serializers.FloatField(
        allow_null=True, help_text="Mean of the day; null: no check-in."
    )
    distinct_emotions = serializers.IntegerField(allow_null=True)
    symptom_score = serializers.FloatField(
        allow_null=True, help_text="0-18; null: not answered that day."
    )


class InsightWeekSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days_with_checkins = serializers.IntegerField()
    distinct_emotions = serializers.IntegerField(
        allow_null=True,
        help_text="Different feelings named that week (emotional range); null: no check-in.",
    )


class InsightsSerializer(serializers.Serializer):
    range_days = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    days = InsightDaySerializer(many=True)
    weeks = InsightWeekSerializer(many=True)


# --- Views ------------------------------------------------------------------------------------


class EmotionListApi(generics.ListAPIView):
    """The feelings wheel, flat; level 1 are the core feelings."""

    serializer_class = EmotionSerializer
    pagination_class = None

    def get_queryset(self):
        return emotion_list()


class TriggerListApi(generics.ListAPIView):
    serializer_class = TriggerSerializer
    pagination_class = None

    def get_queryset(self):
        return trigger_list()


class CheckInListCreateApi(generics.ListAPIView):
    permission_classes = [IsClient]
    serializer_class = CheckInSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CheckIn.objects.none()
        filters = CheckInFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return checkin_list(viewer=self.request.user, **filters.validated_data)

    @extend_schema(parameters=[CheckInFilterSerializer], summary="My check-ins, newest first")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CheckInInputSerializer,
        responses={
            201: CheckInSerializer,
            200: OpenApiResponse(
                CheckInSerializer,
                description="The same client_uuid again: the check-in stored the first time",
            ),
            400: OpenApiResponse(description="Field errors; nothing stored"),
        },
        summary="Check in",
    )
    def post(self, request: Request) -> Response:
        serializer = CheckInInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fields = serializer.to_service_kwargs()
        # The service hands back the new check-in with its ratings and triggers in hand.
        if "client_uuid" in fields:
            checkin, created = checkin_create_once(client=request.user, **fields)
        else:
            checkin, created = checkin_create(client=request.user, **fields), True
        return Response(
            CheckInSerializer(checkin, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CheckInDetailApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        responses={200: CheckInSerializer, 404: OpenApiResponse(description="Not one of yours")}
    )
    def get(self, request: Request, pk: int) -> Response:
        checkin = access_checkin(request.user, pk)
        return Response(CheckInSerializer(checkin, context={"request": request}).data)

    @extend_schema(
        request=CheckInInputSerializer(partial=True),
        responses={
            200: CheckInSerializer,
            400: OpenApiResponse(description="Field errors; nothing changed"),
            404: OpenApiResponse(description="Not one of yours"),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        serializer = CheckInInputSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        with transaction.atomic():
            checkin = access_checkin(request.user, pk)
            serializer.is_valid(raise_exception=True)
            fields = serializer.to_service_kwargs()
            if "client_uuid" in fields:
                raise ValidationError(
                    {"client_uuid": [_("A check-in's id is given when checking in only.")]}
                )
            checkin_update(checkin=checkin, **fields)
        # Read the stored state back (fresh ratings and triggers) for the answer.
        checkin = checkin_list(viewer=request.user).filter(pk=checkin.pk).first()
        return Response(CheckInSerializer(checkin, context={"request": request}).data)

    @extend_schema(
        request=None, responses={204: None, 404: OpenApiResponse(description="Not one of yours")}
    )
    def delete(self, request: Request, pk: int) -> Response:
        with transaction.atomic():
            checkin_delete(checkin=access_checkin(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InsightsApi(APIView):
    """The client's own felt intensity, emotional range and symptom score, day by day."""

    permission_classes = [IsClient]

    @extend_schema(parameters=[InsightsQuerySerializer], responses={200: InsightsSerializer})
    def get(self, request: Request) -> Response:
        query = InsightsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        insights = insights_get(
            viewer=request.user,
            days=query.validated_data["days"],
            today=request.user.local_now().date(),
        )
        return Response(InsightsSerializer(insights).data)


urlpatterns = [
    path("emotions/", EmotionListApi.as_view(), name="emotion-list"),
    path("triggers/", TriggerListApi.as_view(), name="trigger-list"),
    path("checkins/", CheckInListCreateApi.as_view(), name="checkin-list"),
    path("checkins/<id:pk>/", CheckInDetailApi.as_view(), name="checkin-detail"),
    path("insights/", InsightsApi.as_view(), name="insights"),
]
