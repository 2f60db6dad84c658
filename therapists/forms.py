from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BoundedDateField


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note (what you saw or did)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    resolve = forms.BooleanField(label=_("Also mark it resolved"), required=False)


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


class SessionForm(forms.Form):
    held_on = BoundedDateField(
        label=_("Session date"), widget=forms.DateInput(attrs={"type": "date"})
    )
