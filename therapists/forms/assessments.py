"""Therapist portal form for a questionnaire schedule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journal.models import (
    Instrument,
)


class AssessmentScheduleForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"), choices=Instrument.choices)
    every_days = forms.IntegerField(
        label=_("Every how many days"), min_value=1, max_value=365, initial=14
    )
