"""The OpenAPI schema tells a client every answer an operation can give.

drf-spectacular documents the success answers each view declares; this AutoSchema adds the
error answers the project's shared layers give, with their bodies, so a client (or a
fuzzer's status-code check) meets no status the schema does not name:

| status | when | body |
|---|---|---|
| 400 | any operation: bad query parameters (accounts.input_guard), bad body | `{field: [messages]}` |
| 401 | operations that need a signed-in caller | `{detail}` |
| 403 | the same: the wrong role, an unverified therapist session, a CSRF failure | `{detail}` |
| 404 | operations with a path parameter, and paginated lists (a page past the end) | `{detail}` |
| 413 | operations that take a body: more than DATA_UPLOAD_MAX_MEMORY_SIZE | `{detail}` |
| 415 | operations that read a JSON body, sent as something else | `{detail}` |
| 429 | throttled operations (sign-in, registration, invitations); sign-in lockout | `{detail}` |

A status a view already declares keeps its description and gains the body's schema.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

VALIDATION_ERROR = {
    "type": "object",
    "description": "Field errors: each invalid field (or `non_field_errors` for the whole "
    "body) with its messages. Nothing was stored.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"felt_intensity": ["Ensure this value is less than or equal to 10."]},
}
ERROR_DETAIL = {
    "type": "object",
    "description": "What went wrong, in a sentence.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

DESCRIPTIONS = {
    "400": "The request is not valid (body or query parameters); nothing was stored.",
    "401": "Not signed in: send `Authorization: Token <token>`.",
    "403": "Signed in, but not allowed: the wrong role, or a therapist or staff session "
    "without its second step.",
    "404": "Not found, or not yours to see.",
    "413": "The request body is too large.",
    "415": "The body must be JSON (`Content-Type: application/json`).",
    "429": "Too many requests or failed sign-ins from this connection; wait and try again.",
}


class CompanionAutoSchema(AutoSchema):
    def _get_request_body(self, direction="request"):
        # drf-spectacular documents bodies only for POST, PUT and PATCH; a DELETE that
        # declares one (DELETE /me/ takes the password) must show it too.
        declared = (
            type(self).get_request_serializer is not CompanionAutoSchema.get_request_serializer
        )
        if self.method == "DELETE" and declared and self.get_request_serializer() is not None:
            self.method = "POST"
            try:
                return super()._get_request_body(direction)
            finally:
                self.method = "DELETE"
        return super()._get_request_body(direction)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_statuses():
            declared = responses.get(code)
            error = self._error_response(code)
            if declared is None:
                responses[code] = error
            elif "content" not in declared:
                declared["content"] = error["content"]
        return responses

    def _error_statuses(self) -> list[str]:
        codes = ["400"]
        if not self._is_public():
            codes += ["401", "403"]
        if "{" in self.path or self._is_paginated_list():
            codes.append("404")
        if self.method in WRITE_METHODS:
            codes.append("413")
            if self.get_request_serializer() is not None:
                codes.append("415")
        if getattr(self.view, "throttle_classes", None) or self._is_sign_in():
            codes.append("429")
        return codes

    def _is_public(self) -> bool:
        return any(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _is_sign_in(self) -> bool:
        return self.path.endswith("/auth/token/")

    def _is_paginated_list(self) -> bool:
        return (
            self.method == "GET"
            and self._is_list_view()
            and getattr(self.view, "pagination_class", None) is not None
        )

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _error_response(self, code: str) -> dict:
        if code == "400":
            ref = self._component("ValidationErrorBody", VALIDATION_ERROR)
        else:
            ref = self._component("ErrorDetail", ERROR_DETAIL)
        return {
            "description": DESCRIPTIONS[code],
            "content": {"application/json": {"schema": ref}},
        }
