"""Therapist portal form for a session date (what the "since last session" brief counts from)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BoundedDateField


class SessionForm(forms.Form):
    held_on = BoundedDateField(
        label=_("Session date"), widget=forms.DateInput(attrs={"type": "date"})
    )
