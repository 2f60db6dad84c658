"""Portal form for logging homework. Shape only: the rules live in journal.services.homework,
whose field errors are put back on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from journal.services.homework import REFLECTION_MAX

FEELING_HELP = _("0 means not at all, 10 means very strongly. Leave it empty if you prefer.")


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
    # One per form shown: the same form saved twice (Back, then Save) logs once.
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)
