"""Portal form for taking a questionnaire (PHQ-9, GAD-7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journal import instruments


class AssessmentForm(forms.Form):
    """One required radio group per item; the template renders each as a fieldset."""

    def __init__(self, *args, instrument: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = instruments.spec(instrument)
        for number, item in enumerate(self.spec.items, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=item,
                choices=[(value, label) for value, label in instruments.RESPONSE_OPTIONS],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose one answer for this question.")},
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{n}"] for n in range(1, len(self.spec.items) + 1)]
