"""Writes for accounts: registration, profile, invitations, care relationships, deletion."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import push, task_names
from .audit import audit_record
from .models import (
    AuditAction,
    CareRelationship,
    Invitation,
    PushSubscription,
    Role,
    User,
    canonical_email,
    invitation_digest,
    new_invitation_code,
    validate_one_line,
    validate_reminder_times,
    validate_timezone,
)
from .outbox import outbox_enqueue


def _validate_field(field: str, validator, value) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise ValidationError({field: list(exc.messages)}) from exc


def _check_email_free(email: str, *, exclude_pk: int | None = None) -> None:
    taken = User.objects.filter(email=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"email": [_("An account with this email already exists.")]})


def _usable_invitation(code: str | None = None, *, pk: int | None = None) -> Invitation:
    """The invitation for a code (or, from a signed link, an id), locked, or a field error."""
    found = Invitation.objects.select_for_update().select_related("therapist")
    if pk is not None:
        invitation = found.filter(pk=pk).first()
    else:
        invitation = found.filter(code_digest=invitation_digest(code or "")).first()
    if invitation is None:
        raise ValidationError({"invitation_code": [_("This invitation code is not valid.")]})
    unusable = {
        "accepted": _("This invitation has already been used."),
        "revoked": _("This invitation was withdrawn. Ask your therapist for a new one."),
        "expired": _("This invitation has expired. Ask your therapist for a new one."),
    }
    if invitation.state in unusable:
        raise ValidationError({"invitation_code": [unusable[invitation.state]]})
    if not invitation.therapist.is_active or invitation.therapist.role != Role.THERAPIST:
        raise ValidationError({"invitation_code": [_("This invitation is no longer valid.")]})
    return invitation


def _consume_invitation(invitation: Invitation, client: User) -> CareRelationship:
    if invitation.email.lower() != client.email.lower():
        raise ValidationError(
            {"invitation_code": [_("This invitation was sent to a different email address.")]}
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = client
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    relationship, _created = CareRelationship.objects.get_or_create(
        therapist=invitation.therapist, client=client, ended_at=None
    )
    return relationship


def _unused_user_id() -> int:
    """An id no account has, taken the way a new account's id is taken.

    On PostgreSQL the sequence is advanced, so a later registration never shows the same
    id; SQLite (development only) has no sequence to advance.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [User._meta.db_table]
            )
            return int(cursor.fetchone()[0])
    return (User.objects.aggregate(top=Max("id"))["top"] or 0) + 1


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    display_name: str,
    timezone_name: str = "UTC",
    invitation_code: str | None = None,
    invitation: Invitation | None = None,
    request=None,
) -> User:
    """Create a client account; with an invitation (its code, or the invitation itself from
    a signed link), link it to the inviting therapist.

    Only clients register themselves: therapists are created or approved by staff.

    An email that already has an account is answered exactly like a new one (no one can
    learn from this door who has an account): the same checks run in the same order, the
    password is hashed all the same, and an unsaved account with an unused id comes back.
    The owner of that email is sent a note instead (at most one a day).
    """
    email = canonical_email(email)
    _validate_field("timezone", validate_timezone, timezone_name)
    _validate_field("display_name", validate_one_line, display_name)
    candidate = User(
        email=email, display_name=display_name, role=Role.CLIENT, timezone=timezone_name
    )
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}) from exc
    if invitation is not None:
        invitation = _usable_invitation(pk=invitation.pk)
    elif invitation_code:
        invitation = _usable_invitation(invitation_code)
    if invitation is not None and invitation.email.lower() != email:
        raise ValidationError(
            {"invitation_code": [_("This invitation was sent to a different email address.")]}
        )
    candidate.set_password(password)
    owner = User.objects.filter(email=email).first()
    if owner is None:
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:  # a concurrent registration won the race
            owner = User.objects.filter(email=email).first()
    if owner is not None:
        outbox_enqueue(task_names.SEND_REGISTRATION_NOTICE, user_id=owner.pk)
        candidate.pk = candidate.id = _unused_user_id()
        candidate.created_at = timezone.now()
        return candidate
    if invitation is not None:
        relationship = _consume_invitation(invitation, candidate)
        audit_record(
            request=request,
            action=AuditAction.CARE_START,
            actor=candidate,
            subject=candidate,
            obj=relationship,
        )
    return candidate


@transaction.atomic
def user_update(*, user: User, **fields) -> User:
    allowed = {
        "display_name",
        "timezone",
        "reminder_times",
        "weekly_summary_opt_in",
        "weekly_digest_opt_in",
        "push_safety_alerts",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {name: [_("This field cannot be changed here.")] for name in sorted(unknown)}
        )
    if "display_name" in fields:
        _validate_field("display_name", validate_one_line, fields["display_name"])
    if "timezone" in fields:
        _validate_field("timezone", validate_timezone, fields["timezone"])
    if "reminder_times" in fields:
        fields["reminder_times"] = sorted(fields["reminder_times"])
        _validate_field("reminder_times", validate_reminder_times, fields["reminder_times"])
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    if {"timezone", "reminder_times"} & set(fields):
        outbox_enqueue(task_names.SCHEDULE_NEXT_REMINDER, user_id=user.pk)
    return user


@transaction.atomic
def user_delete(*, user: User, password: str, request=None) -> None:
    """Delete the account and everything that belongs to it, at once.

    There is no grace period: rows cascade away in this transaction and encrypted text
    goes with them. The audit trail keeps the bare id (no text) as its record.
    """
    if not user.check_password(password):
        raise ValidationError({"password": [_("The password is not correct.")]})
    audit_record(
        request=request,
        action=AuditAction.DELETE,
        actor=user,
        subject=user,
        object_type="accounts.user",
        object_id=user.pk,
    )
    now = timezone.now()
    CareRelationship.objects.filter(client=user, ended_at__isnull=True).update(
        ended_at=now, ended_by=Role.CLIENT
    )
    user.delete()


@transaction.atomic
def therapist_create(
    *, email: str, password: str, display_name: str = "", timezone_name: str = "UTC"
) -> User:
    email = canonical_email(email)
    _check_email_free(email)
    _validate_field("timezone", validate_timezone, timezone_name)
    therapist = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        role=Role.THERAPIST,
        timezone=timezone_name,
        therapist_approved_at=timezone.now(),
    )
    try:
        password_validation.validate_password(password, user=therapist)
    except ValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}) from exc
    therapist.set_password(password)
    therapist.save()
    return therapist


INVITATION_LINK_SALT = "accounts.invitation-link"


def invitation_link(invitation: Invitation) -> str:
    """The sign-up link an invitation email carries: the invitation's id and a piece of its
    code's digest, signed with SECRET_KEY. A resend (a new code) makes older links stop
    working; nothing stored can be turned into a link without the key."""
    token = signing.dumps([invitation.pk, invitation.code_digest[:16]], salt=INVITATION_LINK_SALT)
    return f"{settings.SITE_URL}/accounts/join/{token}/"


def invitation_from_link(token: str) -> Invitation | None:
    """The usable invitation a link names, or None (tampered, resent since, used, withdrawn
    or expired)."""
    try:
        pk, digest = signing.loads(
            token, salt=INVITATION_LINK_SALT, max_age=settings.INVITATION_TTL.total_seconds()
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(digest, str):
        return None
    invitation = Invitation.objects.select_related("therapist").filter(pk=pk).first()
    if invitation is None or not invitation.code_digest.startswith(digest):
        return None
    return invitation if invitation.is_usable else None


@transaction.atomic
def invitation_create(*, therapist: User, email: str) -> tuple[Invitation, str]:
    """Returns the invitation and its code; the code is shown once and stored only as a
    digest. The invitation is emailed (through the outbox) with a sign-up link.

    One waiting invitation per address and therapist: inviting the same address again
    (a reload, a second try) withdraws the earlier one, whose link stops working, as a
    resend does."""
    email = canonical_email(email)
    now = timezone.now()
    Invitation.objects.filter(
        therapist=therapist,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(revoked_at=now, updated_at=now)
    code = new_invitation_code()
    invitation = Invitation.objects.create(
        therapist=therapist,
        email=email,
        code_digest=invitation_digest(code),
        expires_at=timezone.now() + settings.INVITATION_TTL,
    )
    outbox_enqueue(task_names.SEND_INVITATION, invitation_id=invitation.pk)
    return invitation, code


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> tuple[Invitation, str]:
    """A new code and a fresh expiry, emailed again; the old code and link stop working."""
    if invitation.accepted_at is not None:
        raise ValidationError({"non_field_errors": [_("This invitation was already accepted.")]})
    code = new_invitation_code()
    invitation.code_digest = invitation_digest(code)
    invitation.expires_at = timezone.now() + settings.INVITATION_TTL
    invitation.revoked_at = None
    invitation.save(update_fields=["code_digest", "expires_at", "revoked_at", "updated_at"])
    outbox_enqueue(task_names.SEND_INVITATION, invitation_id=invitation.pk)
    return invitation, code


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted: its code and link stop working."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


@transaction.atomic
def invitation_accept(
    *, client: User, code: str | None = None, invitation: Invitation | None = None, request=None
) -> CareRelationship:
    """A client accepts an invitation, by its code or (from a signed link) the invitation."""
    if client.role != Role.CLIENT:
        raise ValidationError(
            {"non_field_errors": [_("Only client accounts can accept an invitation.")]}
        )
    invitation = _usable_invitation(code, pk=invitation.pk if invitation else None)
    relationship = _consume_invitation(invitation, client)
    audit_record(
        request=request,
        action=AuditAction.CARE_START,
        actor=client,
        subject=client,
        obj=relationship,
    )
    return relationship


@transaction.atomic
def care_end(*, relationship: CareRelationship, ended_by: User, request=None) -> CareRelationship:
    """End a care relationship; the therapist's access stops with this commit."""
    if relationship.ended_at is None:
        relationship.ended_at = timezone.now()
        relationship.ended_by = ended_by.role
        relationship.save(update_fields=["ended_at", "ended_by", "updated_at"])
        audit_record(
            request=request,
            action=AuditAction.CARE_END,
            actor=ended_by,
            subject=relationship.client_id,
            obj=relationship,
        )
    return relationship


# --- push subscriptions -----------------------------------------------------------------


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, label: str = ""
) -> tuple[PushSubscription, bool]:
    """Remember a device's push subscription; returns it and whether it is new.

    The same endpoint again (the browser re-subscribed) updates its keys. An endpoint
    another account registered moves to this one: the browser belongs to whoever signed in
    on it last, and the other account must not keep receiving through it. At most
    ``PUSH_MAX_SUBSCRIPTIONS`` devices per account.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # one writer per account
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    server_key = push.public_key()
    if existing is not None and existing.user_id == user.pk:
        existing.p256dh, existing.auth = p256dh, auth
        existing.label = label or existing.label
        existing.server_key = server_key
        existing.save(update_fields=["p256dh", "auth", "label", "server_key", "updated_at"])
        return existing, False
    if PushSubscription.objects.filter(user=user).count() >= settings.PUSH_MAX_SUBSCRIPTIONS:
        raise ValidationError(
            {
                "endpoint": _(
                    "Notifications are on for %(n)d devices already. Turn them off on one "
                    "(in Settings) first."
                )
                % {"n": settings.PUSH_MAX_SUBSCRIPTIONS}
            }
        )
    if existing is not None:
        existing.delete()
    subscription = PushSubscription.objects.create(
        user=user, endpoint=endpoint, p256dh=p256dh, auth=auth, label=label, server_key=server_key
    )
    return subscription, True


def push_subscription_delete(*, subscription: PushSubscription) -> None:
    subscription.delete()
