"""Push API: the VAPID public key, and each device's subscription (#20)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import push, services
from .access import access_push_subscription
from .models import PushSubscription


class PublicKeySerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The VAPID application server key (base64url).")


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=100, trim_whitespace=False)
    auth = serializers.CharField(max_length=40, trim_whitespace=False)

    def validate_p256dh(self, value: str) -> str:
        problem = push.p256dh_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate_auth(self, value: str) -> str:
        problem = push.auth_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class PushSubscriptionInSerializer(serializers.Serializer):
    """The browser's ``PushSubscription.toJSON()``."""

    endpoint = serializers.CharField(max_length=2000, trim_whitespace=False)
    expirationTime = serializers.IntegerField(
        required=False, allow_null=True, help_text="Sent by browsers; not used."
    )
    keys = PushKeysSerializer()

    def validate_endpoint(self, value: str) -> str:
        problem = push.endpoint_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class PushSubscriptionSerializer(serializers.ModelSerializer):
    service = serializers.SerializerMethodField(help_text="The push service's host name.")

    class Meta:
        model = PushSubscription
        fields = ["id", "label", "service", "created_at", "last_sent_at"]

    def get_service(self, subscription: PushSubscription) -> str:
        return push.urlsplit(subscription.endpoint).hostname or ""


class PushPublicKeyApi(APIView):
    """Public by nature: a browser needs it before it can subscribe."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: PublicKeySerializer})
    def get(self, request: Request) -> Response:
        return Response({"key": push.public_key()})


class PushSubscriptionListApi(APIView):
    @extend_schema(responses={200: PushSubscriptionSerializer(many=True)})
    def get(self, request: Request) -> Response:
        subscriptions = PushSubscription.objects.filter(user=request.user)
        return Response(PushSubscriptionSerializer(subscriptions, many=True).data)

    @extend_schema(
        request=PushSubscriptionInSerializer,
        responses={
            201: PushSubscriptionSerializer,
            200: OpenApiResponse(
                PushSubscriptionSerializer,
                description="This device was subscribed already; its keys are updated.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = PushSubscriptionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription, created = services.push_subscription_save(
            user=request.user,
            endpoint=data["endpoint"],
            p256dh=data["keys"]["p256dh"],
            auth=data["keys"]["auth"],
            label=push.device_label(request.headers.get("User-Agent", "")),
        )
        return Response(
            PushSubscriptionSerializer(subscription).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PushSubscriptionDetailApi(APIView):
    @extend_schema(
        request=None,
        responses={204: None, 404: OpenApiResponse(description=_("Not one of yours"))},
    )
    def delete(self, request: Request, subscription_id: int) -> Response:
        subscription = access_push_subscription(request.user, subscription_id)
        services.push_subscription_delete(subscription=subscription)
        return Response(status=status.HTTP_204_NO_CONTENT)
