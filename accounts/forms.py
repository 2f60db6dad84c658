import functools
import re
from importlib import resources

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .limits import date_in_range, date_range_message
from .models import known_time_zones, validate_one_line


class DateInput(forms.DateInput):
    """The browser's own date picker."""

    input_type = "date"


class BoundedDateField(forms.DateField):
    """A date the product can use (accounts.limits); the error says the range."""

    def validate(self, value) -> None:
        super().validate(value)
        if value and not date_in_range(value):
            raise forms.ValidationError(date_range_message(), code="date_range")


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


AREAS = re.compile(
    r"^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/"
)


@functools.cache
def listed_zones() -> frozenset[str]:
    """The zones a person would look for: one or more per country, by their current names
    (the IANA zone.tab in the tzdata package: Asia/Kolkata and Europe/Kyiv, not Calcutta or
    Kiev; Europe/Oslo stays although the IANA data now links it to another zone). Every
    known zone when the file cannot be read."""
    try:
        text = (resources.files("tzdata.zoneinfo") / "zone.tab").read_text()
    except (ModuleNotFoundError, OSError):
        return frozenset(known_time_zones())
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(row[2] for row in rows if len(row) > 2)


@functools.cache
def time_zone_choices() -> tuple:
    """Time zones grouped by area ("Europe" → "Berlin"), plus UTC. Legacy names
    (EST5EDT, Etc/GMT+3) and old names of a zone (Asia/Calcutta, Europe/Kiev) are left out
    of the list; they are still accepted, and a person whose stored zone is one of them
    sees it kept (TimeZoneField.with_current)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(known_time_zones() & listed_zones()):
        if AREAS.match(name):
            area, place = name.split("/", 1)
            groups.setdefault(area, []).append((name, place.replace("_", " ").replace("/", " – ")))
    return (("UTC", "UTC"), *((area, tuple(zones)) for area, zones in groups.items()))


class TimeZoneField(forms.ChoiceField):
    """A time-zone list; the page's script picks the browser's own zone while the field
    still shows the default, so most people never open the list."""

    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not a known time zone (for example Europe/Berlin).")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("help_text", _("Reminders and your days follow this time zone."))
        super().__init__(choices=time_zone_choices, **kwargs)
        self.widget.attrs.update({"data-timezone-guess": "", "autocomplete": "off"})

    def valid_value(self, value) -> bool:
        # Any real zone is accepted (one set through the API may not be in the list).
        return value in known_time_zones()

    def with_current(self, value: str) -> None:
        """Keep a stored zone that the list leaves out selectable."""
        if value and not any(value == v for v, _l in self._flat()):
            self.choices = [*self.choices, (value, value)]

    def _flat(self):
        for value, label in self.choices:
            if isinstance(label, list | tuple):
                yield from label
            else:
                yield value, label


class RegisterForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name (as your therapist will see it)"),
        max_length=80,
        validators=[validate_one_line],
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password."),
    )
    timezone = TimeZoneField(initial="UTC")
    invitation_code = forms.CharField(
        label=_("Invitation code from your therapist (optional)"), required=False, max_length=100
    )
    invitation = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if invitation is not None:
            # Invited by email: the address is the one the invitation was sent to.
            self.fields["email"].initial = invitation.email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _(
                "The address your therapist invited. To use another one, ask them to invite it."
            )
            del self.fields["invitation_code"]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Client's email"), max_length=254)


class AcceptInvitationForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=100)


REMINDER_SLOTS = 4
MAX_REMINDERS = 6


class TimeInput(forms.TimeInput):
    """The browser's own time picker."""

    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ProfileForm(forms.Form):
    """A client's settings: name, time zone, check-in reminders, the weekly summary."""

    display_name = forms.CharField(label=_("Name"), max_length=80, validators=[validate_one_line])
    timezone = TimeZoneField()
    weekly_summary_opt_in = forms.BooleanField(
        label=_("Send me a gentle weekly summary by email"), required=False
    )

    def __init__(self, *args, reminder_times=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].with_current(self.initial.get("timezone", ""))
        slots = min(MAX_REMINDERS, max(REMINDER_SLOTS, len(reminder_times)))
        for n in range(slots):
            self.fields[f"reminder_{n + 1}"] = forms.TimeField(
                label=_("Reminder %(n)d") % {"n": n + 1},
                required=False,
                widget=TimeInput(),
                initial=reminder_times[n] if n < len(reminder_times) else None,
                input_formats=["%H:%M"],
            )
        self.reminder_fields = [self[name] for name in self.fields if name.startswith("reminder_")]

    def clean(self):
        data = super().clean()
        times = sorted(
            {
                value.strftime("%H:%M")
                for name, value in data.items()
                if name.startswith("reminder_") and value is not None
            }
        )
        data["reminder_times"] = times
        return data

    def settings(self) -> dict:
        """What user_update takes."""
        keep = ("display_name", "timezone", "weekly_summary_opt_in", "reminder_times")
        return {k: v for k, v in self.cleaned_data.items() if k in keep}


class TherapistSettingsForm(forms.Form):
    """A therapist's or staff member's settings: name, time zone, the weekly digest."""

    display_name = forms.CharField(label=_("Name"), max_length=80, validators=[validate_one_line])
    timezone = TimeZoneField(help_text=_("The weekly digest and dates follow this time zone."))
    weekly_digest_opt_in = forms.BooleanField(
        label=_("Email me the weekly caseload digest (Monday morning)"), required=False
    )
    push_safety_alerts = forms.BooleanField(
        label=_("Also show safety alerts as a notification on my devices"),
        required=False,
        help_text=_(
            "On the devices where you turn notifications on, below. The email always goes too."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].with_current(self.initial.get("timezone", ""))

    def settings(self) -> dict:
        return dict(self.cleaned_data)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app (or a backup code)"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
