"""Portal forms for homework, medications and questionnaires. Shape only: rules live in
journal.services.care, whose field errors are put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BoundedDateField

from . import instruments
from .models import (
    Frequency,
    HomeworkCategory,
    HomeworkStatus,
    HomeworkTemplate,
    Instrument,
    MedicationEventKind,
    SideEffect,
)
from .services.care import DOSE_RULE, NOTE_MAX, REFLECTION_MAX

FEELING_HELP = _("0 means not at all, 10 means very strongly. Leave it empty if you prefer.")


class DateInput(forms.DateInput):
    input_type = "date"


class HomeworkLogForm(forms.Form):
    before_feeling = forms.IntegerField(
        label=_("How did you feel before? (0-10)"),
        required=False,
        min_value=0,
        max_value=10,
        help_text=FEELING_HELP,
    )
    after_feeling = forms.IntegerField(
        label=_("How do you feel after? (0-10)"), required=False, min_value=0, max_value=10
    )
    reflection = forms.CharField(
        label=_("Anything you noticed (optional)"),
        required=False,
        max_length=REFLECTION_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.BooleanField(label=_("Share this reflection with my therapist"), required=False)


class MedicationEventForm(forms.Form):
    medication = forms.CharField(label=_("Medication"), max_length=120)
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


# --- Therapist side ---------------------------------------------------------------------


class AssignHomeworkForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("From the library"),
        queryset=HomeworkTemplate.objects.none(),
        required=False,
        empty_label=_("— write my own task —"),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to use the template's."),
    )
    instructions = forms.CharField(
        label=_("Instructions (Markdown)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty to use the template's."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        required=False,
        choices=[("", _("— as the template suggests —")), *Frequency.choices],
    )
    times_per_week = forms.IntegerField(
        label=_("Times a week (for “some days a week”)"), required=False, min_value=1, max_value=7
    )
    due_on = BoundedDateField(label=_("Due date (optional)"), required=False, widget=DateInput)
    save_as_template = forms.BooleanField(
        label=_("Also keep my own task as a private template"), required=False
    )
    category = forms.ChoiceField(
        label=_("Category (for a saved template)"),
        choices=HomeworkCategory.choices,
        initial=HomeworkCategory.OTHER,
        required=False,
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates

    def clean(self):
        data = super().clean()
        if not data.get("template") and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the task a title, or choose one from the library."))
        return data


class HomeworkStatusForm(forms.Form):
    status = forms.ChoiceField(choices=HomeworkStatus.choices)


class AssessmentScheduleForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"), choices=Instrument.choices)
    every_days = forms.IntegerField(
        label=_("Every how many days"), min_value=1, max_value=365, initial=14
    )
