"""Portal form for a medication event. Shape only: the rules live in
journal.services.medications."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BoundedDateField, DateInput
from journal.models import (
    MedicationEventKind,
    SideEffect,
)
from journal.services.medications import DOSE_RULE, NOTE_MAX


class MedicationEventForm(forms.Form):
    medication = forms.CharField(
        label=_("Medication"),
        max_length=120,
        widget=forms.TextInput(attrs={"list": "medication-names", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("What happened"), choices=MedicationEventKind.choices)
    dose = forms.CharField(label=_("Dose"), required=False, max_length=200, help_text=DOSE_RULE)
    side_effect = forms.ChoiceField(
        label=_("Side effect (if that is what you noticed)"),
        required=False,
        choices=[("", _("— not a side effect —")), *SideEffect.choices],
    )
    occurred_on = BoundedDateField(label=_("Date"), widget=DateInput)
    note = forms.CharField(
        label=_("Private note (only you see this)"),
        required=False,
        max_length=NOTE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, names: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names or []
        if self.names:
            self.fields["medication"].help_text = _(
                "Pick one you noted before from the list, or type a new one."
            )
