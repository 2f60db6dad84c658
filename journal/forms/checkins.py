"""Portal forms for check-ins. Shape only: the rules live in journal.services.checkins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import BoundedDateField
from journal.models import SYMPTOM_FIELDS, CheckIn, Emotion, Trigger
from journal.selectors.checkins import EmotionNode, QuickFeelings, emotion_tree_flat
from journal.services.checkins import NOTE_MAX_LENGTH, RatingInput

DEFAULT_INTENSITY = 5

SYMPTOM_QUESTIONS = {
    "disconnected": _("I felt disconnected from people I care about"),
    "lost_interest": _("I lost interest in things I used to enjoy"),
    "fatigue": _("I felt physically or mentally tired"),
    "misaligned": _("My reactions didn't match those of the people around me"),
    "autopilot": _("I felt like I was on autopilot"),
    "others_concerned": _("Someone said they were worried about my mood"),
}
SYMPTOM_SCALE = [(0, _("Not at all")), (1, _("A little")), (2, _("Quite a bit")), (3, _("A lot"))]
FELT_SCALE = [(i, str(i)) for i in range(11)]


def _intensity(raw: object) -> int | None:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 10 and str(raw).strip().lstrip("+") == str(value) else None


class CheckInForm(forms.Form):
    felt_intensity = forms.TypedChoiceField(
        label=_("How much can you feel right now?"),
        help_text=_("0 is nothing at all, 10 is as much as you ever do. There is no right answer."),
        choices=FELT_SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 0 to 10 — a guess is fine.")},
    )
    cant_name = forms.BooleanField(
        label=_("I can't name anything right now"),
        help_text=_(
            "That is a real answer, and a useful one. Any feelings ticked below are then left out."
        ),
        required=False,
    )
    emotions = forms.MultipleChoiceField(
        label=_("Feelings"), required=False, widget=forms.CheckboxSelectMultiple
    )
    triggers = forms.MultipleChoiceField(
        label=_("Anything going on?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted."),
    )
    shared = forms.BooleanField(label=_("Share this note with my care team"), required=False)
    # Made for each new form (and again by the page's script): a double tap or a resend
    # of the same form stores one check-in (journal.services.checkins.checkin_create_once).
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    occurred_at = forms.DateTimeField(
        label=_("When was this?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now. Up to 30 days back."),
    )

    def __init__(self, *args, emotions: Sequence[Emotion], triggers: Sequence[Trigger], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emotions"].choices = [(e.slug, e.name) for e in emotions]
        self.fields["triggers"].choices = [(t.slug, t.name) for t in triggers]
        for key, question in SYMPTOM_QUESTIONS.items():
            self.fields[f"symptom_{key}"] = forms.TypedChoiceField(
                label=question, choices=SYMPTOM_SCALE, coerce=int, required=False, empty_value=None,
                widget=forms.RadioSelect,
            )  # fmt: skip

    def symptom_fields(self) -> list[forms.BoundField]:
        return [self[f"symptom_{key}"] for key in SYMPTOM_FIELDS]

    def clean(self):
        data = super().clean()
        if data.get("cant_name"):
            data["emotions"] = []
        # A feeling can be ticked both among the quick picks and in the wheel.
        data["emotions"] = list(dict.fromkeys(data.get("emotions") or []))
        ratings = []
        for slug in data.get("emotions") or []:
            raw = self.data.get(f"intensity_{slug}", DEFAULT_INTENSITY)
            value = _intensity(raw)
            if value is None:
                self.add_error("emotions", _("Choose how strong each feeling is, from 0 to 10."))
                break
            ratings.append(RatingInput(emotion=slug, intensity=value))
        data["ratings"] = ratings
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "felt_intensity": data["felt_intensity"],
            "emotions": data["ratings"],
            "symptoms": {
                key: data[f"symptom_{key}"]
                for key in SYMPTOM_FIELDS
                if data.get(f"symptom_{key}") is not None
            },
            "triggers": data["triggers"],
            "note": data["note"],
            "shared": data["shared"],
            "occurred_at": data["occurred_at"],
            **({"client_uuid": data["client_uuid"]} if data.get("client_uuid") else {}),
        }


@dataclass
class FeelingChoice:
    """One feeling as the check-in shows it: a chip to tick, the words search finds it by."""

    slug: str
    name: str
    level: int
    words: str  # the name and its other words, lower case: what the search box matches
    checked: bool
    children: list[FeelingChoice] = field(default_factory=list)


@dataclass
class Strength:
    """How strong a ticked feeling is (0–10), as the "How strong?" list shows it."""

    slug: str
    name: str
    intensity: int


@dataclass
class FeelingsStep:
    quick: list[FeelingChoice]
    personal: bool
    wheel: list[FeelingChoice]
    strengths: list[Strength]
    count: int


def feelings_step(
    tree: Sequence[EmotionNode], quick: QuickFeelings, form: CheckInForm
) -> FeelingsStep:
    """What the feelings step shows: the quick picks, the whole wheel to explore, and a
    strength for each feeling already ticked (a form shown again keeps them)."""
    values = form.data if form.is_bound else form.initial
    chosen = (
        list(dict.fromkeys(form.data.getlist("emotions")))
        if form.is_bound
        else list(form.initial.get("emotions", []))
    )

    def choice(emotion: Emotion, children: list[FeelingChoice] | None = None) -> FeelingChoice:
        words = " ".join([emotion.name, *emotion.synonym_list]).casefold()
        return FeelingChoice(
            slug=emotion.slug,
            name=emotion.name,
            level=emotion.level,
            words=words,
            checked=emotion.slug in chosen,
            children=children or [],
        )

    def build(node: EmotionNode) -> FeelingChoice:
        return choice(node.emotion, [build(child) for child in node.children])

    wheel = [build(node) for node in tree]
    names = {e.slug: e.name for e in emotion_tree_flat(list(tree))}
    strengths = []
    for slug in chosen:
        if slug in names:
            raw = values.get(f"intensity_{slug}")
            value = _intensity(raw)
            strengths.append(
                Strength(slug, names[slug], DEFAULT_INTENSITY if value is None else value)
            )
    return FeelingsStep(
        quick=[choice(e) for e in quick.emotions],
        personal=quick.personal,
        wheel=wheel,
        strengths=strengths,
        count=len(names),
    )


def checkin_initial(checkin: CheckIn) -> dict:
    """A stored check-in as the form's starting values, for changing it."""
    ratings = list(checkin.ratings.all())
    initial = {
        "felt_intensity": checkin.felt_intensity,
        "cant_name": not ratings,
        "emotions": [r.emotion.slug for r in ratings],
        "triggers": [t.slug for t in checkin.triggers.all()],
        "note": checkin.note,
        "shared": checkin.shared,
        "occurred_at": timezone.localtime(checkin.occurred_at).replace(second=0, microsecond=0),
    }
    initial.update({f"intensity_{r.emotion.slug}": r.intensity for r in ratings})
    initial.update({f"symptom_{key}": value for key, value in checkin.symptoms.items()})
    return initial


def update_kwargs(form: CheckInForm, checkin: CheckIn) -> dict:
    """What the edit form changes. The time is passed on only when it was moved: the form
    shows minutes, so an untouched field would otherwise shift the check-in by seconds."""
    kwargs = form.service_kwargs()
    kwargs.pop("client_uuid", None)  # a check-in's id is given when checking in only
    kwargs["symptoms"] = {key: kwargs["symptoms"].get(key) for key in SYMPTOM_FIELDS}
    moved = kwargs.pop("occurred_at")
    if moved is not None and abs((moved - checkin.occurred_at).total_seconds()) >= 60:
        kwargs["occurred_at"] = moved
    return kwargs


class HistoryFilterForm(forms.Form):
    since = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("“From” should be on or before “To”."))
        return data
