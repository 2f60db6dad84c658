"""Therapist API for session dates, from which the "since last session" brief counts."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.drf import BoundedDateField
from accounts.models import AuditAction

from ..services.brief import session_record
from .base import CaseloadClientApi


class SessionSerializer(serializers.Serializer):
    held_on = BoundedDateField()


class SessionCreateApi(CaseloadClientApi):
    @extend_schema(
        request=SessionSerializer,
        responses={
            201: inline_serializer(
                "Session", {"id": serializers.IntegerField(), "held_on": serializers.DateField()}
            )
        },
    )
    def post(self, request: Request, client_id: int) -> Response:
        serializer = SessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_record(
            therapist=request.user,
            client=self.client,
            held_on=serializer.validated_data["held_on"],
        )
        self.audit_write(AuditAction.CREATE, session)
        return Response(
            {"id": session.pk, "held_on": session.held_on}, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("clients/<id:client_id>/sessions/", SessionCreateApi.as_view(), name="client-sessions"),
]
