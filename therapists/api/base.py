"""The base of every therapist endpoint about one client (``/clients/{client_id}/...``).

The client is reached once, in ``initial()``, through ``access_client`` (the viewer's
active caseload; anyone else's id answers 404) before any handler runs, so no endpoint
can forget the scoping. A successful GET is recorded in the audit trail as a read of
``audit_object_type``; writes record themselves with ``audit_write``.
"""

from rest_framework import generics
from rest_framework.views import APIView

from accounts.access import access_client
from accounts.audit import audit_record
from accounts.drf import IsTherapist
from accounts.models import AuditAction


class CaseloadClientMixin:
    permission_classes = [IsTherapist]
    audit_object_type = ""
    client = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, role, throttles first
        self.client = access_client(request.user, kwargs["client_id"])

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET" and self.client is not None and response.status_code < 300:
            audit_record(
                request=request._request,
                action=AuditAction.READ,
                subject=self.client,
                object_type=self.audit_object_type,
            )
        return response

    def audit_write(self, action: str, obj) -> None:
        audit_record(request=self.request._request, action=action, subject=self.client, obj=obj)

    def schema_only(self) -> bool:
        """True while drf-spectacular inspects the view (no request, no client)."""
        return getattr(self, "swagger_fake_view", False)


class CaseloadClientApi(CaseloadClientMixin, APIView):
    pass


class CaseloadClientListApi(CaseloadClientMixin, generics.ListAPIView):
    pass
