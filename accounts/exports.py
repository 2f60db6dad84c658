"""Building a client's data export: every model that holds their data, as JSON and CSV.

The export reaches other apps' models by label through the app registry, so accounts
imports nothing above it. ``EXPORTED`` says how each model reaches the client;
``NOT_EXPORTED`` says why a model that mentions a user is left out. A test walks the
registry and fails when a model is in neither, so a new model cannot be forgotten.
"""

import csv
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import task_names
from .models import AuditAction, AuditEvent, CareRelationship, DataExport, ExportStatus, User

# model label → the lookup from that model to the client
EXPORTED: dict[str, str] = {
    "accounts.user": "pk",
    "accounts.carerelationship": "client",
    "accounts.auditevent": "subject",  # who read or changed your data: an accounting of disclosures
    "accounts.sentmessage": "recipient",
    "accounts.dataexport": "client",
    "accounts.pushsubscription": "user",  # which devices get notifications (no keys, no address)
    "journal.checkin": "client",
    "journal.emotionrating": "checkin__client",
    "journal.clientday": "client",
    "journal.homeworkassignment": "client",
    "journal.homeworklog": "assignment__client",
    "journal.homeworkpause": "assignment__client",
    "journal.medicationevent": "client",
    "journal.assessment": "client",
    "journal.assessmentschedule": "client",
    "journal.safetysignal": "client",
    "therapists.flag": "client",
    "therapists.therapysession": "client",
}

NOT_EXPORTED: dict[str, str] = {
    "accounts.invitation": "the therapist's record of an invitation; the resulting care relationship is exported",
    "accounts.outboxmessage": "internal job queue rows holding only ids",
    "accounts.enrolmentlink": "a therapist's or staff member's second-step set-up link",
    "accounts.messagetemplate": "site content: the wording of emails",
    "therapists.flagnote": "a therapist's private note (clients never see therapists' private notes)",
    "therapists.medicationnote": "a therapist's private note on the medication timeline",
    "therapists.trendstate": "the engine's working state, derived from the exported days",
    "therapists.trendcheckpoint": "the engine's working state, derived from the exported days",
    "journal.homeworktemplate": "library content, or a therapist's own template",
    "journal.emotion": "the shared feelings vocabulary",
    "journal.trigger": "the shared list of context tags",
    "companion.crisisresource": "site content",
    "companion.article": "site content",
    "axes.accessattempt": "login-attempt bookkeeping, not client content",
    "axes.accesslog": "login-attempt bookkeeping, not client content",
    "axes.accessfailurelog": "login-attempt bookkeeping, not client content",
    "knox.authtoken": "credential digests, never exported",
    "admin.logentry": "staff actions in the admin",
    "otp_totp.totpdevice": "second-factor secrets, never exported",
    "otp_static.staticdevice": "second-factor secrets, never exported",
}

# Fields never written into an export, whatever the model.
SECRET_FIELDS = {
    "password",
    "digest",
    "token_key",
    "key",
    "code_digest",
    "salt",
    # a device's push address and keys: whoever holds them can send to the device
    "endpoint",
    "p256dh",
    "auth",
}
# Audit fields that describe the person who acted: a client may know who read what and
# when, but another person's network address and browser are not theirs to have.
ACTOR_PRIVATE_FIELDS = ("ip_address", "user_agent")
EXPORT_TTL = timedelta(days=2)


@dataclass
class Sheet:
    """One spreadsheet of the export, for people: names rather than ids, the client's own
    local times, one row per record, one header row. ``about`` goes into the README."""

    file_name: str
    about: str
    header: list[str]
    rows: Iterable[list]


# Apps above accounts add their sheets here (journal does, in its AppConfig.ready), so the
# export stays readable without accounts importing them.
SHEET_PROVIDERS: list[Callable[[User], list[Sheet]]] = []


def register_sheets(provider: Callable[[User], list[Sheet]]) -> None:
    if provider not in SHEET_PROVIDERS:
        SHEET_PROVIDERS.append(provider)


def local_time(value: datetime | None, client: User) -> str:
    """A moment in the client's own time zone, as spreadsheets read a date and time."""
    return "" if value is None else timezone.localtime(value, client.tz).strftime("%Y-%m-%d %H:%M")


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _account_sheets(client: User) -> list[Sheet]:
    relationships = CareRelationship.objects.filter(client=client).select_related("therapist")
    # Who read or changed your data: names (not ids), and never another person's address.
    events = (
        AuditEvent.objects.filter(subject=client)
        .select_related("actor")
        .order_by("at", "pk")
        .only("at", "action", "object_type", "actor__display_name", "actor_email", "actor_id")
    )
    actions = dict(AuditAction.choices)

    def who(event: AuditEvent) -> str:
        if event.actor_id == client.pk:
            return _("you")
        if event.actor is not None:
            return event.actor.display_name or event.actor_email
        return event.actor_email or _("the system")

    return [
        Sheet(
            "care_team.csv",
            _("Your therapists, and when each care relationship started and ended."),
            [_("Therapist"), _("Started"), _("Ended")],
            (
                [
                    r.therapist.display_name,
                    local_time(r.started_at, client),
                    local_time(r.ended_at, client),
                ]
                for r in relationships
            ),
        ),
        Sheet(
            "who_saw_your_data.csv",
            _("Each time someone (you, your therapist, the system) read or changed your records."),
            [_("When"), _("Who"), _("What"), _("Which records")],
            (
                [
                    local_time(e.at, client),
                    who(e),
                    str(actions.get(e.action, e.action)),
                    e.object_type,
                ]
                for e in events
            ),
        ),
    ]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")  # ASCII digits: "²" or "٣" are text


def spreadsheet_safe(cell: object) -> object:
    """Text a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``@SUM(…)``; anyone
    who can write a homework title or a medication name could plant one) starts with an
    apostrophe, so it is shown as text (OWASP, "CSV injection"). Numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _write_sheet(sheet: Sheet) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(sheet.header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in sheet.rows)
    # UTF-8 with a byte-order mark: what spreadsheet programs need to show "é" and "–"
    # rather than guess an old code page.
    return text.getvalue().encode("utf-8-sig")


README = """Your Companion data
===================

Made on {when} (your time zone: {tz}).

The files in spreadsheets/ open in any spreadsheet program (Excel, Numbers,
LibreOffice, Google Sheets). Times are in your own time zone. One file for each
kind of record:

{sheets}

data.json holds everything above and a few more bookkeeping records (the daily
summaries the charts are drawn from, the reminders sent to you, your exports),
with the internal numbers (ids) that link the records to each other. It is meant
for programs, or for moving your data elsewhere.

Text that begins with =, +, - or @ starts with an apostrophe in the spreadsheets,
so a spreadsheet program shows it rather than running it as a formula; data.json
has it exactly as written.

Private notes and reflections are included: they are yours. Keep this file
somewhere safe.
"""


def export_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _rows(label: str, lookup: str, client: User) -> list[dict]:
    model = apps.get_model(label)
    fields = [f for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]
    names = [f.attname for f in fields]
    many = [m.name for m in model._meta.many_to_many]
    queryset = (
        model._default_manager.filter(**{lookup: client.pk if lookup == "pk" else client})
        .prefetch_related(*many)
        .order_by("pk")
    )
    rows = []
    for obj in queryset.iterator(chunk_size=500):
        row = {name: getattr(obj, name) for name in names}
        if label == "accounts.auditevent" and row.get("actor_id") != client.pk:
            row.update(dict.fromkeys(ACTOR_PRIVATE_FIELDS))
        for name in many:
            row[name] = [str(o) for o in getattr(obj, name).all()]
        rows.append(row)
    return rows


def export_build(*, export: DataExport) -> DataExport:
    """(Re)build the export from scratch; safe to run twice. Progress goes 0 → 100."""
    client = export.client
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=0)
    buffer = io.BytesIO()
    everything: dict[str, list[dict]] = {}
    labels = list(EXPORTED)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, label in enumerate(labels, start=1):
            rows = _rows(label, EXPORTED[label], client)
            everything[label] = rows
            DataExport.objects.filter(pk=export.pk).update(
                progress=min(80, round(80 * index / len(labels)))
            )
        archive.writestr(
            "data.json", json.dumps(everything, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        sheets = [sheet for provider in SHEET_PROVIDERS for sheet in provider(client)]
        sheets += _account_sheets(client)
        for sheet in sheets:
            archive.writestr(f"spreadsheets/{sheet.file_name}", _write_sheet(sheet))
        DataExport.objects.filter(pk=export.pk).update(progress=95)
        archive.writestr(
            "README.txt",
            README.format(
                when=local_time(timezone.now(), client),
                tz=client.tz.key,
                sheets="\n".join(f"  {s.file_name}: {s.about}" for s in sheets),
            ),
        )
    name = f"{uuid.uuid4().hex}.zip"
    (export_dir() / name).write_bytes(buffer.getvalue())
    with transaction.atomic():
        old = DataExport.objects.select_for_update().get(pk=export.pk)
        if old.file_name:
            (export_dir() / old.file_name).unlink(missing_ok=True)
        old.file_name = name
        old.status = ExportStatus.DONE
        old.progress = 100
        old.expires_at = timezone.now() + EXPORT_TTL
        old.save()
    return old


def export_request(*, client: User) -> DataExport:
    """Start an export; an unfinished one is reused rather than started twice."""
    from .outbox import outbox_enqueue

    with transaction.atomic():
        running = DataExport.objects.filter(
            client=client, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]
        ).first()
        if running is not None:
            return running
        export = DataExport.objects.create(client=client)
        outbox_enqueue(task_names.BUILD_EXPORT, export_id=export.pk)
    return export


def models_mentioning_users() -> list[str]:
    """Every installed concrete model with a relation to the user model (for the registry test)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for model in apps.get_models():
        relations = [
            f
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
            and f.related_model is user_model
        ]
        if relations or model is user_model:
            found.append(model._meta.label_lower)
    return sorted(found)
