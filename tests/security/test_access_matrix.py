"""The access matrix: every URL pattern × every actor, against client A's objects.

Actors: anonymous, client A, client B, A's therapist, another therapist, a therapist
whose relationship with A has ended, and staff. Every route of the API, the portal and
the admin is in ``ROUTES`` (or, for the admin, under one rule); a test fails when a URL
pattern exists that the table does not cover, or when a DRF view gains a method the
table does not try.

Each cell runs in its own savepoint that is rolled back afterwards, so a write by one
actor (A deleting a check-in, A ending care) never changes what the next actor meets.
For every cell the test checks the status code, that no canary the actor may not read
appears in the body (field level: unshared notes never reach a therapist), and for a
refused write, that nothing clinical changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import CareRelationship, DataExport, Invitation, User
from accounts.services import invitation_link
from accounts.twofactor import enrolment_link_create
from journal.models import (
    Assessment,
    AssessmentSchedule,
    CheckIn,
    HomeworkAssignment,
    HomeworkLog,
    HomeworkTemplate,
    MedicationEvent,
    SafetySignal,
)
from tests.accounts.push_helpers import Browser
from tests.conftest import token_for, verified_login
from tests.factories import PASSWORD
from therapists.models import Flag, FlagNote, MedicationNote, TherapySession

from .world import ACTORS, CANARY, World, build_world, forbidden_strings

LOGIN = "login"  # 302 to /accounts/login/
ADMIN_LOGIN = "admin-login"  # 302 to /admin/login/
ADMIN_INDEX = "admin-index"  # 302 to /admin/ (which sends non-staff to the login)
ANY_OK = "ok"  # any 2xx/3xx that is not a redirect to a login page

THERAPISTS = ("therapist_a", "therapist_b", "therapist_ended")


def api_client_only(ok, b=None):
    """IsClient: anonymous 401, non-clients 403; client B gets their own (empty) data or 404."""
    return {
        "anonymous": 401,
        "client_a": ok,
        "client_b": ok if b is None else b,
        **dict.fromkeys(THERAPISTS, 403),
        "staff": 403,
    }


def api_therapist_only(ok, b=404, ended=404):
    """IsTherapist + access_client: outside the active caseload is 404, not 403."""
    return {
        "anonymous": 401,
        "client_a": 403,
        "client_b": 403,
        "therapist_a": ok,
        "therapist_b": b,
        "therapist_ended": ended,
        "staff": 403,
    }


def api_any_user(ok):
    return {"anonymous": 401, **{a: ok for a in ACTORS if a != "anonymous"}}


def everyone(status):
    return dict.fromkeys(ACTORS, status)


def portal_client_only(ok, b=None):
    return {
        "anonymous": LOGIN,
        "client_a": ok,
        "client_b": ok if b is None else b,
        **dict.fromkeys(THERAPISTS, 403),
        "staff": 403,
    }


def portal_therapist_only(ok, b=404):
    return {
        "anonymous": LOGIN,
        "client_a": 403,
        "client_b": 403,
        "therapist_a": ok,
        "therapist_b": b,
        "therapist_ended": b,
        "staff": 403,
    }


def portal_any_user(ok):
    return {"anonymous": LOGIN, **{a: ok for a in ACTORS if a != "anonymous"}}


@dataclass
class Try:
    """One method on one route: the expected answer per actor."""

    expect: dict[str, int | str]
    body: Callable[[World], dict] | None = None
    # canary keys the actor must see in the body (proves the allowed path really shows data)
    must_see: dict[str, list[str]] = field(default_factory=dict)
    fmt: str = "json"  # json (API) or form (portal)


@dataclass
class Route:
    url: Callable[[World], str]
    api: bool
    methods: dict[str, Try]


def _id(name):
    return lambda w: w.objects[name].pk


def today_iso():
    return timezone.localdate().isoformat()


W = World
A = "client_a"


def _invitation_owner_only():
    """The world's invitation was sent by therapist B: only B may resend or withdraw it."""
    return {
        "anonymous": LOGIN,
        "client_a": 403,
        "client_b": 403,
        "therapist_a": 404,
        "therapist_b": ANY_OK,
        "therapist_ended": 404,
        "staff": 403,
    }


ROUTES: dict[str, Route] = {
    # --- site --------------------------------------------------------------------------
    "": Route(
        lambda w: "/",
        False,
        {
            "get": Try(
                {
                    "anonymous": LOGIN,
                    "client_a": 200,
                    "client_b": 200,
                    **dict.fromkeys(THERAPISTS, 302),
                    "staff": 302,
                }
            )
        },
    ),
    "healthz": Route(lambda w: "/healthz", False, {"get": Try(everyone(200))}),
    "safety/": Route(lambda w: "/safety/", False, {"get": Try(everyone(200))}),
    # Library: site content, no client data (an unknown slug is a 404 for everyone).
    "library/": Route(lambda w: "/library/", False, {"get": Try(portal_any_user(200))}),
    "library/<slug:slug>/": Route(
        lambda w: "/library/no-such-article/", False, {"get": Try(portal_any_user(404))}
    ),
    # --- accounts portal ---------------------------------------------------------------
    "accounts/login/": Route(
        lambda w: "/accounts/login/",
        False,
        {"get": Try({"anonymous": 200, **{a: 302 for a in ACTORS if a != "anonymous"}})},
    ),
    "accounts/logout/": Route(
        lambda w: "/accounts/logout/", False, {"post": Try(everyone(302), fmt="form")}
    ),
    "accounts/register/": Route(
        lambda w: "/accounts/register/", False, {"get": Try(everyone(200))}
    ),
    "accounts/care-team/": Route(
        lambda w: "/accounts/care-team/", False, {"get": Try(portal_client_only(200))}
    ),
    "accounts/care-team/<id:therapist_id>/end/": Route(
        lambda w: f"/accounts/care-team/{w.users['therapist_a'].pk}/end/",
        False,
        {"post": Try(portal_client_only(302, b=404), fmt="form")},
    ),
    "accounts/invite/": Route(
        lambda w: "/accounts/invite/",
        False,
        {
            "get": Try(
                {
                    "anonymous": LOGIN,
                    "client_a": 403,
                    "client_b": 403,
                    **dict.fromkeys(THERAPISTS, 200),
                    "staff": 403,
                }
            )
        },
    ),
    "accounts/invitations/accept/": Route(
        lambda w: "/accounts/invitations/accept/",
        False,
        {
            "post": Try(
                portal_client_only(302),
                body=lambda w: {"code": w.invitation_code},
                fmt="form",
            )
        },
    ),
    "accounts/profile/": Route(
        lambda w: "/accounts/profile/", False, {"get": Try(portal_any_user(200))}
    ),
    "accounts/password/": Route(
        lambda w: "/accounts/password/", False, {"get": Try(portal_any_user(200))}
    ),
    "accounts/password/reset/": Route(
        lambda w: "/accounts/password/reset/", False, {"get": Try(everyone(200))}
    ),
    "accounts/password/reset/sent/": Route(
        lambda w: "/accounts/password/reset/sent/", False, {"get": Try(everyone(200))}
    ),
    # A link that is not one (or was used): the page says so to anyone.
    "accounts/password/reset/<uidb64>/<token>/": Route(
        lambda w: "/accounts/password/reset/MQ/not-a-token/", False, {"get": Try(everyone(200))}
    ),
    "accounts/privacy/": Route(
        lambda w: "/accounts/privacy/", False, {"get": Try(portal_any_user(200))}
    ),
    "accounts/2fa/": Route(lambda w: "/accounts/2fa/", False, {"get": Try(portal_any_user(200))}),
    "accounts/2fa/enrol/<str:token>/": Route(
        lambda w: enrolment_link_create(user=w.users["therapist_a"])[1].removeprefix(
            settings.SITE_URL
        ),
        False,
        {
            "get": Try(
                {
                    "anonymous": LOGIN,
                    **dict.fromkeys(ACTORS[1:], 404),
                    "therapist_a": ANY_OK,
                }
            )
        },
    ),
    "accounts/2fa/replace/": Route(
        lambda w: "/accounts/2fa/replace/",
        False,
        {
            "get": Try(
                {
                    "anonymous": LOGIN,
                    "client_a": ANY_OK,  # sent to /accounts/2fa/: clients have no second step
                    "client_b": ANY_OK,
                    **dict.fromkeys(THERAPISTS, 200),
                    "staff": 200,
                }
            )
        },
    ),
    "accounts/invitations/<id:invitation_id>/resend/": Route(
        lambda w: f"/accounts/invitations/{w.invitation.pk}/resend/",
        False,
        {"post": Try(_invitation_owner_only(), fmt="form")},
    ),
    "accounts/invitations/<id:invitation_id>/revoke/": Route(
        lambda w: f"/accounts/invitations/{w.invitation.pk}/revoke/",
        False,
        {"post": Try(_invitation_owner_only(), fmt="form")},
    ),
    "accounts/join/<str:token>/": Route(
        lambda w: invitation_link(w.invitation).removeprefix(settings.SITE_URL),
        False,
        {
            "get": Try(
                {
                    "anonymous": ANY_OK,  # to the sign-up form, the address filled in
                    "client_a": 200,
                    "client_b": 200,
                    **dict.fromkeys(THERAPISTS, 403),
                    "staff": 403,
                }
            )
        },
    ),
    "accounts/2fa/backup-codes/": Route(
        lambda w: "/accounts/2fa/backup-codes/",
        False,
        {"post": Try(portal_any_user(ANY_OK), fmt="form")},
    ),
    # --- client portal -----------------------------------------------------------------
    "checkin/": Route(lambda w: "/checkin/", False, {"get": Try(portal_client_only(200))}),
    "checkin/saved/<id:pk>/": Route(
        lambda w: f"/checkin/saved/{w.checkin_private.pk}/",
        False,
        {"get": Try(portal_client_only(200, b=404))},
    ),
    "history/": Route(
        lambda w: "/history/",
        False,
        {"get": Try(portal_client_only(200), must_see={A: ["checkin_private"]})},
    ),
    "history/<id:pk>/edit/": Route(
        lambda w: f"/history/{w.checkin_private.pk}/edit/",
        False,
        {"get": Try(portal_client_only(200, b=404), must_see={A: ["checkin_private"]})},
    ),
    "history/<id:pk>/delete/": Route(
        lambda w: f"/history/{w.checkin_private.pk}/delete/",
        False,
        {"get": Try(portal_client_only(200, b=404))},
    ),
    "insights/": Route(lambda w: "/insights/", False, {"get": Try(portal_client_only(200))}),
    "homework/": Route(lambda w: "/homework/", False, {"get": Try(portal_client_only(200))}),
    "homework/<id:assignment_id>/log/": Route(
        lambda w: f"/homework/{w.assignment.pk}/log/",
        False,
        {
            "post": Try(
                portal_client_only(302, b=404),
                body=lambda w: {"before_feeling": 3, "after_feeling": 5, "reflection": "ok"},
                fmt="form",
            )
        },
    ),
    "medications/": Route(
        lambda w: "/medications/",
        False,
        {"get": Try(portal_client_only(200))},
    ),
    "medications/<id:event_id>/edit/": Route(
        lambda w: f"/medications/{w.medication_event.pk}/edit/",
        False,
        {"get": Try(portal_client_only(200, b=404), must_see={A: ["medication_event_note"]})},
    ),
    "medications/<id:event_id>/delete/": Route(
        lambda w: f"/medications/{w.medication_event.pk}/delete/",
        False,
        {"post": Try(portal_client_only(302, b=404), fmt="form")},
    ),
    "assessments/": Route(lambda w: "/assessments/", False, {"get": Try(portal_client_only(200))}),
    "assessments/results/<id:assessment_id>/": Route(
        lambda w: f"/assessments/results/{w.assessment.pk}/",
        False,
        {"get": Try(portal_client_only(200, b=404))},
    ),
    "assessments/<slug:instrument>/": Route(
        lambda w: "/assessments/phq9/", False, {"get": Try(portal_client_only(200))}
    ),
    # --- therapist portal --------------------------------------------------------------
    "dashboard/": Route(
        lambda w: "/dashboard/",
        False,
        {"get": Try(portal_therapist_only(200, b=200))},
    ),
    "dashboard/clients/<id:client_id>/": Route(
        lambda w: f"/dashboard/clients/{w.users[A].pk}/",
        False,
        {"get": Try(portal_therapist_only(200), must_see={"therapist_a": ["medication_note"]})},
    ),
    "dashboard/clients/<id:client_id>/brief/": Route(
        lambda w: f"/dashboard/clients/{w.users[A].pk}/brief/",
        False,
        {"get": Try(portal_therapist_only(200))},
    ),
    "dashboard/clients/<id:client_id>/medication-notes/": Route(
        lambda w: f"/dashboard/clients/{w.users[A].pk}/medication-notes/",
        False,
        {"post": Try(portal_therapist_only(302), body=lambda w: {"text": "note"}, fmt="form")},
    ),
    "dashboard/clients/<id:client_id>/sessions/": Route(
        lambda w: f"/dashboard/clients/{w.users[A].pk}/sessions/",
        False,
        {
            "post": Try(
                portal_therapist_only(302), body=lambda w: {"held_on": today_iso()}, fmt="form"
            )
        },
    ),
    "dashboard/flags/<id:flag_id>/acknowledge/": Route(
        lambda w: f"/dashboard/flags/{w.flag.pk}/acknowledge/",
        False,
        {"post": Try(portal_therapist_only(302), body=lambda w: {"note": "seen"}, fmt="form")},
    ),
    "dashboard/clients/<id:client_id>/homework/": Route(
        lambda w: f"/dashboard/clients/{w.users[A].pk}/homework/",
        False,
        {"get": Try(portal_therapist_only(200), must_see={"therapist_a": ["reflection_shared"]})},
    ),
    "dashboard/clients/<id:client_id>/homework/<id:assignment_id>/status/": Route(
        lambda w: f"/dashboard/clients/{w.users[A].pk}/homework/{w.assignment.pk}/status/",
        False,
        {"post": Try(portal_therapist_only(302), body=lambda w: {"status": "paused"}, fmt="form")},
    ),
    "dashboard/clients/<id:client_id>/assessment-schedules/": Route(
        lambda w: f"/dashboard/clients/{w.users[A].pk}/assessment-schedules/",
        False,
        {
            "post": Try(
                portal_therapist_only(302),
                body=lambda w: {"instrument": "phq9", "every_days": 14},
                fmt="form",
            )
        },
    ),
    # --- API: accounts -----------------------------------------------------------------
    "api/v1/auth/token/": Route(
        lambda w: "/api/v1/auth/token/",
        True,
        {
            # Clients get a token with their password; therapists and staff also need a code.
            "post": Try(
                {
                    "anonymous": 200,
                    "client_a": 200,
                    "client_b": 200,
                    **dict.fromkeys(THERAPISTS, 400),
                    "staff": 400,
                },
                body=None,  # filled per actor: their own email and password
            )
        },
    ),
    "api/v1/auth/logout/": Route(
        lambda w: "/api/v1/auth/logout/", True, {"post": Try(api_any_user(204))}
    ),
    "api/v1/auth/register/": Route(
        lambda w: "/api/v1/auth/register/",
        True,
        {
            "post": Try(
                everyone(201),
                body=lambda w: {
                    "email": "new.person@example.test",
                    "password": "quiet-harbour-lamp-17",
                    "display_name": "New",
                },
            )
        },
    ),
    "api/v1/me/": Route(
        lambda w: "/api/v1/me/",
        True,
        {
            "get": Try(api_any_user(200)),
            "patch": Try(api_any_user(200), body=lambda w: {"display_name": "Renamed"}),
            "delete": Try(api_any_user(204), body=lambda w: {"password": PASSWORD}),
        },
    ),
    "api/v1/invitations/": Route(
        lambda w: "/api/v1/invitations/",
        True,
        {
            "post": Try(
                {
                    "anonymous": 401,
                    "client_a": 403,
                    "client_b": 403,
                    **dict.fromkeys(THERAPISTS, 201),
                    "staff": 403,
                },
                body=lambda w: {"email": "someone@example.test"},
            )
        },
    ),
    "api/v1/invitations/<str:code>/accept/": Route(
        lambda w: f"/api/v1/invitations/{w.invitation_code}/accept/",
        True,
        {"post": Try(api_client_only(200, b=400))},
    ),
    "manifest.webmanifest": Route(
        lambda w: "/manifest.webmanifest", False, {"get": Try(everyone(200))}
    ),
    "sw.js": Route(lambda w: "/sw.js", False, {"get": Try(everyone(200))}),
    "offline/": Route(lambda w: "/offline/", False, {"get": Try(everyone(200))}),
    "checkin/shell/": Route(lambda w: "/checkin/shell/", False, {"get": Try(everyone(200))}),
    "accounts/devices/<id:subscription_id>/remove/": Route(
        lambda w: f"/accounts/devices/{w.push_subscription.pk}/remove/",
        False,
        {"post": Try(portal_any_user(404) | {"client_a": 302}, fmt="form")},
    ),
    "api/v1/push/public-key/": Route(
        lambda w: "/api/v1/push/public-key/", True, {"get": Try(everyone(200))}
    ),
    "api/v1/push-subscriptions/": Route(
        lambda w: "/api/v1/push-subscriptions/",
        True,
        {
            "get": Try(api_any_user(200)),
            "post": Try(
                api_any_user(201),
                body=lambda w: Browser("https://fcm.googleapis.com/fcm/send/matrix-new").to_json(),
            ),
        },
    ),
    "api/v1/push-subscriptions/<id:subscription_id>/": Route(
        lambda w: f"/api/v1/push-subscriptions/{w.push_subscription.pk}/",
        True,
        {"delete": Try(api_any_user(404) | {"client_a": 204})},
    ),
    "api/v1/care-team/": Route(
        lambda w: "/api/v1/care-team/", True, {"get": Try(api_client_only(200))}
    ),
    "api/v1/care-team/<id:therapist_id>/": Route(
        lambda w: f"/api/v1/care-team/{w.users['therapist_a'].pk}/",
        True,
        {"delete": Try(api_client_only(204, b=404))},
    ),
    "api/v1/exports/": Route(
        lambda w: "/api/v1/exports/", True, {"post": Try(api_client_only(202))}
    ),
    "api/v1/exports/<id:export_id>/": Route(
        lambda w: f"/api/v1/exports/{w.export.pk}/",
        True,
        {"get": Try(api_client_only(200, b=404))},
    ),
    "api/v1/exports/<id:export_id>/download/": Route(
        lambda w: f"/api/v1/exports/{w.export.pk}/download/",
        True,
        {"get": Try(api_client_only(200, b=404))},
    ),
    # --- API: client journal -----------------------------------------------------------
    "api/v1/emotions/": Route(lambda w: "/api/v1/emotions/", True, {"get": Try(api_any_user(200))}),
    "api/v1/triggers/": Route(lambda w: "/api/v1/triggers/", True, {"get": Try(api_any_user(200))}),
    "api/v1/checkins/": Route(
        lambda w: "/api/v1/checkins/",
        True,
        {
            "get": Try(api_client_only(200), must_see={A: ["checkin_private", "checkin_shared"]}),
            "post": Try(api_client_only(201), body=lambda w: {"felt_intensity": 2}),
        },
    ),
    "api/v1/checkins/<id:pk>/": Route(
        lambda w: f"/api/v1/checkins/{w.checkin_private.pk}/",
        True,
        {
            "get": Try(api_client_only(200, b=404), must_see={A: ["checkin_private"]}),
            "patch": Try(api_client_only(200, b=404), body=lambda w: {"felt_intensity": 1}),
            "delete": Try(api_client_only(204, b=404)),
        },
    ),
    "api/v1/insights/": Route(
        lambda w: "/api/v1/insights/", True, {"get": Try(api_client_only(200))}
    ),
    "api/v1/homework/": Route(
        lambda w: "/api/v1/homework/", True, {"get": Try(api_client_only(200))}
    ),
    "api/v1/homework/<id:assignment_id>/logs/": Route(
        lambda w: f"/api/v1/homework/{w.assignment.pk}/logs/",
        True,
        {
            "get": Try(
                api_client_only(200, b=404),
                must_see={A: ["reflection_private", "reflection_shared"]},
            ),
            "post": Try(api_client_only(201, b=404), body=lambda w: {"reflection": "fine"}),
        },
    ),
    "api/v1/medication-events/": Route(
        lambda w: "/api/v1/medication-events/",
        True,
        {
            "get": Try(api_client_only(200), must_see={A: ["medication_event_note"]}),
            "post": Try(
                api_client_only(201),
                body=lambda w: {
                    "medication": "Sertraline",
                    "kind": "increase",
                    "dose": "100 mg",
                    "occurred_on": today_iso(),
                },
            ),
        },
    ),
    "api/v1/medication-events/<id:event_id>/": Route(
        lambda w: f"/api/v1/medication-events/{w.medication_event.pk}/",
        True,
        {
            "get": Try(api_client_only(200, b=404), must_see={A: ["medication_event_note"]}),
            "patch": Try(api_client_only(200, b=404), body=lambda w: {"dose": "75 mg"}),
            "delete": Try(api_client_only(204, b=404)),
        },
    ),
    "api/v1/current-medications/": Route(
        lambda w: "/api/v1/current-medications/", True, {"get": Try(api_client_only(200))}
    ),
    "api/v1/assessments/": Route(
        lambda w: "/api/v1/assessments/",
        True,
        {
            "get": Try(api_client_only(200)),
            "post": Try(
                api_client_only(201), body=lambda w: {"instrument": "gad7", "answers": [1] * 7}
            ),
        },
    ),
    "api/v1/assessments/instruments/": Route(
        lambda w: "/api/v1/assessments/instruments/", True, {"get": Try(api_client_only(200))}
    ),
    "api/v1/assessments/due/": Route(
        lambda w: "/api/v1/assessments/due/", True, {"get": Try(api_client_only(200))}
    ),
    "api/v1/safety/": Route(
        lambda w: "/api/v1/safety/", True, {"post": Try(api_client_only(ANY_OK))}
    ),
    # --- API: therapist ----------------------------------------------------------------
    "api/v1/clients/": Route(
        lambda w: "/api/v1/clients/",
        True,
        {"get": Try(api_therapist_only(200, b=200, ended=200))},
    ),
    "api/v1/clients/<id:client_id>/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/",
        True,
        {"get": Try(api_therapist_only(200))},
    ),
    "api/v1/clients/<id:client_id>/trends/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/trends/",
        True,
        {"get": Try(api_therapist_only(200))},
    ),
    "api/v1/clients/<id:client_id>/checkins/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/checkins/",
        True,
        {"get": Try(api_therapist_only(200), must_see={"therapist_a": ["checkin_shared"]})},
    ),
    "api/v1/clients/<id:client_id>/medication-notes/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/medication-notes/",
        True,
        {
            "get": Try(api_therapist_only(200), must_see={"therapist_a": ["medication_note"]}),
            "post": Try(api_therapist_only(201), body=lambda w: {"text": "dose discussed"}),
        },
    ),
    "api/v1/clients/<id:client_id>/sessions/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/sessions/",
        True,
        {"post": Try(api_therapist_only(201), body=lambda w: {"held_on": today_iso()})},
    ),
    "api/v1/flags/<id:flag_id>/acknowledge/": Route(
        lambda w: f"/api/v1/flags/{w.flag.pk}/acknowledge/",
        True,
        {"post": Try(api_therapist_only(200), body=lambda w: {"note": "seen"})},
    ),
    "api/v1/homework-templates/": Route(
        lambda w: "/api/v1/homework-templates/",
        True,
        {
            "get": Try(api_therapist_only(200, b=200, ended=200)),
            "post": Try(
                api_therapist_only(201, b=201, ended=201),
                body=lambda w: {"title": "Walk", "instructions": "Walk for 10 minutes."},
            ),
        },
    ),
    "api/v1/clients/<id:client_id>/homework/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/homework/",
        True,
        {
            "get": Try(api_therapist_only(200)),
            "post": Try(
                api_therapist_only(201),
                body=lambda w: {"title": "Name three feelings", "frequency": "daily"},
            ),
        },
    ),
    "api/v1/clients/<id:client_id>/homework/<id:assignment_id>/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/homework/{w.assignment.pk}/",
        True,
        {
            "get": Try(api_therapist_only(200)),
            "patch": Try(api_therapist_only(200), body=lambda w: {"status": "paused"}),
        },
    ),
    "api/v1/clients/<id:client_id>/homework/<id:assignment_id>/logs/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/homework/{w.assignment.pk}/logs/",
        True,
        {"get": Try(api_therapist_only(200), must_see={"therapist_a": ["reflection_shared"]})},
    ),
    "api/v1/clients/<id:client_id>/assessments/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/assessments/",
        True,
        {"get": Try(api_therapist_only(200))},
    ),
    "api/v1/clients/<id:client_id>/assessment-schedules/": Route(
        lambda w: f"/api/v1/clients/{w.users[A].pk}/assessment-schedules/",
        True,
        {
            "get": Try(api_therapist_only(200)),
            "post": Try(
                api_therapist_only(201), body=lambda w: {"instrument": "phq9", "every_days": 14}
            ),
        },
    ),
    # --- schema and docs (public, no data) ---------------------------------------------
    "api/schema/": Route(lambda w: "/api/schema/", False, {"get": Try(everyone(200))}),
    "api/docs/": Route(lambda w: "/api/docs/", False, {"get": Try(everyone(200))}),
}

# Models whose rows a refused request must leave exactly as they were.
CLINICAL_MODELS = [
    CheckIn,
    HomeworkAssignment,
    HomeworkLog,
    HomeworkTemplate,
    MedicationEvent,
    Assessment,
    AssessmentSchedule,
    SafetySignal,
    Flag,
    FlagNote,
    MedicationNote,
    TherapySession,
    CareRelationship,
    Invitation,
    DataExport,
]


def fingerprint() -> tuple:
    state = []
    for model in CLINICAL_MODELS:
        agg = model.objects.aggregate(m=Max("updated_at"))
        state.append((model.__name__, model.objects.count(), agg["m"]))
    state.append(("users", User.objects.count(), User.objects.filter(is_active=True).count()))
    return tuple(state)


# --- enumerating the URL conf --------------------------------------------------------------


def all_patterns(patterns=None, prefix="") -> list[tuple[str, object]]:
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            found.extend(all_patterns(entry.url_patterns, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def is_admin(pattern: str) -> bool:
    return pattern.startswith("admin/")


def drf_methods(callback) -> set[str] | None:
    cls = getattr(callback, "cls", None)  # DRF views only
    if cls is None:
        return None
    return {m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)}


def test_every_url_pattern_is_in_the_matrix():
    missing = [p for p, _cb in all_patterns() if not is_admin(p) and p not in ROUTES]
    assert not missing, f"URL patterns without an access-matrix row: {missing}"
    stale = set(ROUTES) - {p for p, _cb in all_patterns()}
    assert not stale, f"Matrix rows for patterns that no longer exist: {stale}"


def test_every_method_of_every_api_view_is_tried():
    untried = []
    for pattern, callback in all_patterns():
        methods = drf_methods(callback)
        if methods is None or is_admin(pattern) or pattern in ("api/schema/", "api/docs/"):
            continue
        gap = methods - set(ROUTES[pattern].methods)
        if gap:
            untried.append((pattern, sorted(gap)))
    assert not untried, f"API methods missing from the matrix: {untried}"


# --- running cells -------------------------------------------------------------------------


@pytest.fixture
def world(client_a, client_b, therapist_a, therapist_b, therapist_ended, staff) -> World:
    return build_world(
        client_a=client_a,
        client_b=client_b,
        therapist_a=therapist_a,
        therapist_b=therapist_b,
        therapist_ended=therapist_ended,
        staff=staff,
    )


class Rollback(Exception):
    pass


def _agent(actor: str, user, api: bool):
    if api:
        agent = APIClient()
        if user is not None:
            agent.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return agent
    agent = Client()
    if user is not None:
        verified_login(agent, user)
    return agent


def _token_body(actor: str, user) -> dict:
    if user is None:
        return {"email": "client.b@example.test", "password": PASSWORD}
    return {"email": user.email, "password": PASSWORD}


def _status_ok(expected, response) -> bool:
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        return status == 302 and location.startswith("/accounts/login/")
    if expected == ADMIN_LOGIN:
        return status == 302 and location.startswith("/admin/login/")
    if expected == ADMIN_INDEX:
        return status == 302 and location == "/admin/"
    if expected == ANY_OK:
        return 200 <= status < 400 and "/login/" not in location
    return status == expected


def run_cell(world: World, pattern: str, method: str, actor: str) -> list[str]:
    """One request; returns the problems found (empty: the cell passes)."""
    route = ROUTES[pattern]
    attempt = route.methods[method]
    expected = attempt.expect[actor]
    problems: list[str] = []
    try:
        with transaction.atomic():
            user = world.users[actor]
            agent = _agent(actor, user, route.api)
            before = fingerprint()
            url = route.url(world)
            if pattern == "api/v1/auth/token/":
                data = _token_body(actor, user)
            else:
                data = attempt.body(world) if attempt.body else None
            kwargs = {}
            if data is not None and route.api:
                kwargs = {"data": data, "format": "json"}
            elif data is not None:
                kwargs = {"data": data}
            response = getattr(agent, method)(url, **kwargs)
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", errors="replace")
            cell = f"{method.upper()} {url} as {actor}"
            if not _status_ok(expected, response):
                problems.append(
                    f"{cell}: expected {expected}, got {response.status_code} "
                    f"{response.get('Location', '')}"
                )
            for secret in forbidden_strings(actor):
                if secret in text:
                    problems.append(f"{cell}: response contains {secret!r}")
            for key in attempt.must_see.get(actor, []):
                if CANARY[key] not in text:
                    problems.append(f"{cell}: expected to see {key}")
            refused = response.status_code >= 400 or expected in (LOGIN, ADMIN_LOGIN)
            if refused and fingerprint() != before:
                problems.append(f"{cell}: refused, but clinical data changed")
            raise Rollback
    except Rollback:
        pass
    return problems


MATRIX = [(pattern, method) for pattern, route in ROUTES.items() for method in route.methods]


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "method"), MATRIX, ids=[f"{m} {p}" for p, m in MATRIX])
def test_access_matrix(world, pattern, method):
    problems = []
    for actor in ACTORS:
        problems.extend(run_cell(world, pattern, method, actor))
    assert not problems, "\n".join(problems)


# --- the admin: one rule for every admin page ------------------------------------------------


def admin_url(pattern: str, world: World) -> str:
    """A concrete URL for an admin pattern, pointing at A's object where there is one."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    client_a = world.users[A]
    url = "/" + pattern
    if "(?P<app_label>" in pattern:
        return "/admin/journal/"
    if "(?P<url>" in pattern:
        return "/admin/no-such-page/"
    if "<path:content_type_id>" in pattern:
        ct = ContentType.objects.get_for_model(User)
        return f"/admin/r/{ct.pk}/{client_a.pk}/"
    if "<id>" in pattern:
        return url.replace("<id>", str(client_a.pk))
    parts = pattern.split("/")
    if "<id:pk>" in pattern:  # TOTP device config / QR code
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=client_a, name="a", confirmed=True)
        return url.replace("<id:pk>", str(device.pk))
    if "<path:object_id>" in pattern:
        model = apps.get_model(parts[1], parts[2])
        a_object = {
            User: client_a,
            CheckIn: world.checkin_private,
            HomeworkAssignment: world.assignment,
            MedicationEvent: world.medication_event,
            Assessment: world.assessment,
            AssessmentSchedule: world.schedule,
            SafetySignal: world.safety_signal,
            Flag: world.flag,
            FlagNote: world.flag_note,
            MedicationNote: world.medication_note,
            TherapySession: world.session,
        }.get(model)
        obj = a_object or model._default_manager.order_by("pk").first()
        object_id = obj.pk if obj is not None else 999999
        return url.replace("<path:object_id>", str(object_id))
    return url


ADMIN_PATTERNS = sorted(p for p, _cb in all_patterns() if is_admin(p))


def admin_expectation(pattern: str, actor: str):
    if pattern == "admin/logout/":
        # POST only, for staff; Django sends anyone else to the admin index (→ login).
        return 405 if actor == "staff" else ADMIN_INDEX
    if pattern == "admin/login/":
        return ANY_OK
    if actor == "staff":
        return "staff"
    return ADMIN_LOGIN


@pytest.mark.django_db
def test_admin_is_staff_only_and_never_shows_clinical_text(world):
    """Every admin page: non-staff are sent to the admin login; staff see no free text."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.users["staff"], name="x", confirmed=True)
    agents = {actor: _agent(actor, world.users[actor], api=False) for actor in ACTORS}
    problems = []
    cells = 0
    for pattern in ADMIN_PATTERNS:
        url = admin_url(pattern, world)
        for actor in ACTORS:
            cells += 1
            response = agents[actor].get(url)
            text = response.content.decode("utf-8", errors="replace")
            expected = admin_expectation(pattern, actor)
            if expected == "staff":
                ok = response.status_code in (200, 302, 403, 404)
                if response.status_code == 302:
                    ok = "/login/" not in response["Location"]
            else:
                ok = _status_ok(expected, response)
            if not ok:
                problems.append(
                    f"GET {url} as {actor}: {response.status_code} {response.get('Location', '')}"
                )
            for secret in forbidden_strings(actor):
                if secret in text:
                    problems.append(f"GET {url} as {actor}: response contains {secret!r}")
    assert cells == len(ADMIN_PATTERNS) * len(ACTORS)
    assert not problems, "\n".join(problems)


def matrix_size() -> dict[str, int]:
    """The figures for docs/SECURITY.md."""
    api_portal = sum(len(r.methods) for r in ROUTES.values())
    return {
        "routes": len(ROUTES),
        "route_methods": api_portal,
        "cells": api_portal * len(ACTORS),
        "admin_patterns": len(ADMIN_PATTERNS),
        "admin_cells": len(ADMIN_PATTERNS) * len(ACTORS),
    }


def test_matrix_counts_are_what_the_docs_say():
    size = matrix_size()
    assert size["cells"] == size["route_methods"] * len(ACTORS)
    assert len(ACTORS) == 7
