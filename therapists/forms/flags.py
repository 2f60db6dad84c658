"""Therapist portal form for acknowledging or resolving a flag."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note (what you saw or did)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    resolve = forms.BooleanField(label=_("Also mark it resolved"), required=False)
