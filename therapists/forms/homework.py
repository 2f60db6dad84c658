"""Therapist portal forms for homework: assigning a task, changing its status."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BoundedDateField, DateInput
from journal.models import (
    Frequency,
    HomeworkCategory,
    HomeworkStatus,
    HomeworkTemplate,
)


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
        label=_("Instructions"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Leave empty to use the template's. Simple formatting works: **bold**, a line "
            "starting with - for a list, a blank line between paragraphs."
        ),
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
