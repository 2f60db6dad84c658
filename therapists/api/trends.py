"""Therapist API for a client's trends: the daily measures, medication events and flags of
the last ``days`` days (7–365), from the blunting engine."""

from datetime import timedelta

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.drf import ascii_int

from ..selectors.flags import client_flag_history
from ..trends.store import client_trend
from .base import CaseloadClientApi
from .flags import FlagSerializer, MedicationEventOutSerializer


class TrendDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    checkins = serializers.IntegerField()
    felt_intensity = serializers.FloatField(allow_null=True)
    distinct_emotions_7d = serializers.IntegerField(allow_null=True)
    emotional_range = serializers.FloatField(allow_null=True)
    symptom_score = serializers.FloatField(allow_null=True)
    blunting_index = serializers.FloatField(allow_null=True, source="index")
    level = serializers.CharField(allow_null=True)


class TrendsSerializer(serializers.Serializer):
    days = TrendDaySerializer(many=True)
    medication_events = MedicationEventOutSerializer(many=True)
    flags = FlagSerializer(many=True)


class ClientTrendsApi(CaseloadClientApi):
    audit_object_type = "trends"

    @extend_schema(
        parameters=[
            OpenApiParameter("days", int, description="How many days to show, 7–365 (default 90).")
        ],
        responses={200: TrendsSerializer},
    )
    def get(self, request: Request, client_id: int) -> Response:
        span = ascii_int(request.query_params.get("days", "90"))
        if span is None or not 7 <= span <= 365:
            raise ValidationError({"days": [_("Give a whole number of days from 7 to 365.")]})
        today = self.client.local_today()
        trend = client_trend(self.client.pk, today, viewer=request.user)
        start = today - timedelta(days=span - 1)
        shown = [d for d in trend.assessment.days if d.date >= start]
        events_shown = [e for e in trend.events if e.occurred_on >= start]
        flags = list(client_flag_history(viewer=request.user, client=self.client, since=start))
        return Response(
            TrendsSerializer(
                {"days": shown, "medication_events": events_shown, "flags": flags}
            ).data
        )


urlpatterns = [
    path("clients/<id:client_id>/trends/", ClientTrendsApi.as_view(), name="client-trends"),
]
