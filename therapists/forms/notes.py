"""Therapist portal form for a medication note."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MedicationNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Medication note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    medication_event = forms.TypedChoiceField(
        label=_("About"), required=False, coerce=int, empty_value=None
    )
    shared_with_care_team = forms.BooleanField(
        label=_("Share with the client's other therapists"),
        required=False,
        help_text=_("Otherwise only you can read it."),
    )

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medication_event"].choices = [("", _("The client in general"))] + [
            (e.pk, f"{e.occurred_on:%d %b %Y} · {e.medication} · {e.get_kind_display()}")
            for e in events
        ]
