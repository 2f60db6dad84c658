"""Portal form for logging homework. Shape only: the rules live in journal.services.homework,
whose field errors are put back on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journal.services.homework import REFLECTION_MAX

FEELING_HELP = _(
    "As in a check-in: 0 is nothing at all, 10 is as much as you ever feel. Leave it empty "
    "if you prefer."
)
ZERO_TO_TEN = {
    "min_value": _("Choose a number from 0 to 10."),
    "max_value": _("Choose a number from 0 to 10."),
    "invalid": _("Choose a number from 0 to 10."),
}


class HomeworkLogForm(forms.Form):
    before_feeling = forms.IntegerField(
        label=_("Before the task: how much could you feel? (0–10)"),
        required=False,
        min_value=0,
        max_value=10,
        help_text=FEELING_HELP,
        error_messages=ZERO_TO_TEN,
    )
    after_feeling = forms.IntegerField(
        label=_("After it: how much can you feel now? (0–10)"),
        required=False,
        min_value=0,
        max_value=10,
        error_messages=ZERO_TO_TEN,
    )
    reflection = forms.CharField(
        label=_("Anything you noticed (optional)"),
        required=False,
        max_length=REFLECTION_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.BooleanField(label=_("Share this reflection with my therapist"), required=False)
    # One per form shown: the same form saved twice (Back, then Save) logs once.
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)
