from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .limits import date_in_range, date_range_message
from .models import HHMM, validate_one_line


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
    timezone = forms.CharField(
        label=_("Time zone"),
        initial="UTC",
        max_length=64,
        help_text=_("For example Europe/Berlin or America/New_York."),
    )
    invitation_code = forms.CharField(
        label=_("Invitation code from your therapist (optional)"), required=False, max_length=100
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Client's email"), max_length=254)


class AcceptInvitationForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=100)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=80, validators=[validate_one_line])
    timezone = forms.CharField(label=_("Time zone"), max_length=64)
    reminder_times = forms.CharField(
        label=_("Reminder times"),
        required=False,
        help_text=_('Comma-separated, 24-hour "HH:MM", for example 09:00, 20:30.'),
    )
    weekly_summary_opt_in = forms.BooleanField(
        label=_("Send me a gentle weekly summary by email"), required=False
    )

    def clean_reminder_times(self) -> list[str]:
        raw = self.cleaned_data.get("reminder_times", "")
        times = [t.strip() for t in raw.split(",") if t.strip()]
        bad = [t for t in times if not HHMM.match(t)]
        if bad:
            raise forms.ValidationError(_("Use 24-hour HH:MM times, for example 09:00."))
        return times


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
