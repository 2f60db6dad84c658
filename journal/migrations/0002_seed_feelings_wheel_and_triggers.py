"""Seed the feelings wheel (7 core → secondary → specific feelings) and the trigger tags.

Self-contained on purpose: a data migration must not import app code, which changes
over time while this file must keep producing the same rows. Staff edit both lists in
the admin afterwards; reversing removes only the rows seeded here (by slug).
"""

from django.db import migrations

P, U, N = "pleasant", "unpleasant", "neutral"

# (slug, name, valence, children); children of a secondary feeling are (slug, name[, valence]).
# Based on the widely used three-ring feelings wheel, with duplicate words replaced so
# every slug is unique.
WHEEL = [
    (
        "happy",
        "Happy",
        P,
        [
            ("playful", "Playful", P, [("amused", "Amused"), ("cheeky", "Cheeky")]),
            ("content", "Content", P, [("free", "Free"), ("joyful", "Joyful")]),
            (
                "interested",
                "Interested",
                P,
                [("curious", "Curious"), ("inquisitive", "Inquisitive")],
            ),
            ("proud", "Proud", P, [("successful", "Successful"), ("confident", "Confident")]),
            ("accepted", "Accepted", P, [("respected", "Respected"), ("valued", "Valued")]),
            ("powerful", "Powerful", P, [("courageous", "Courageous"), ("creative", "Creative")]),
            ("peaceful", "Peaceful", P, [("loving", "Loving"), ("thankful", "Thankful")]),
            ("trusting", "Trusting", P, [("sensitive", "Sensitive"), ("intimate", "Intimate")]),
            ("optimistic", "Optimistic", P, [("hopeful", "Hopeful"), ("inspired", "Inspired")]),
        ],
    ),
    (
        "sad",
        "Sad",
        U,
        [
            ("lonely", "Lonely", U, [("isolated", "Isolated"), ("abandoned", "Abandoned")]),
            ("vulnerable", "Vulnerable", U, [("victimised", "Victimised"), ("fragile", "Fragile")]),
            ("despair", "Despair", U, [("grief", "Grief"), ("powerless", "Powerless")]),
            ("guilty", "Guilty", U, [("ashamed", "Ashamed"), ("remorseful", "Remorseful")]),
            ("depressed", "Depressed", U, [("inferior", "Inferior"), ("empty", "Empty")]),
            ("hurt", "Hurt", U, [("embarrassed", "Embarrassed"), ("disappointed", "Disappointed")]),
        ],
    ),
    (
        "disgusted",
        "Disgusted",
        U,
        [
            (
                "disapproving",
                "Disapproving",
                U,
                [("judgmental", "Judgmental"), ("disdainful", "Disdainful")],
            ),
            ("appalled", "Appalled", U, [("revolted", "Revolted"), ("sickened", "Sickened")]),
            ("awful", "Awful", U, [("nauseated", "Nauseated"), ("detestable", "Detestable")]),
            ("repelled", "Repelled", U, [("horrified", "Horrified"), ("hesitant", "Hesitant")]),
        ],
    ),
    (
        "angry",
        "Angry",
        U,
        [
            ("let_down", "Let down", U, [("betrayed", "Betrayed"), ("resentful", "Resentful")]),
            (
                "humiliated",
                "Humiliated",
                U,
                [("disrespected", "Disrespected"), ("ridiculed", "Ridiculed")],
            ),
            ("bitter", "Bitter", U, [("indignant", "Indignant"), ("violated", "Violated")]),
            ("mad", "Mad", U, [("furious", "Furious"), ("jealous", "Jealous")]),
            ("aggressive", "Aggressive", U, [("provoked", "Provoked"), ("hostile", "Hostile")]),
            ("frustrated", "Frustrated", U, [("infuriated", "Infuriated"), ("annoyed", "Annoyed")]),
            # "Numb" is the absence of feeling, not a strong unpleasant one: neutral, so it
            # does not count as negative affect.
            ("distant", "Distant", U, [("withdrawn", "Withdrawn"), ("numb", "Numb", N)]),
            ("critical", "Critical", U, [("skeptical", "Skeptical"), ("dismissive", "Dismissive")]),
        ],
    ),
    (
        "fearful",
        "Fearful",
        U,
        [
            ("scared", "Scared", U, [("helpless", "Helpless"), ("frightened", "Frightened")]),
            ("anxious", "Anxious", U, [("overwhelmed", "Overwhelmed"), ("worried", "Worried")]),
            (
                "insecure",
                "Insecure",
                U,
                [("inadequate", "Inadequate"), ("self_doubting", "Self-doubting")],
            ),
            ("weak", "Weak", U, [("worthless", "Worthless"), ("insignificant", "Insignificant")]),
            ("rejected", "Rejected", U, [("excluded", "Excluded"), ("persecuted", "Persecuted")]),
            ("threatened", "Threatened", U, [("nervous", "Nervous"), ("exposed", "Exposed")]),
        ],
    ),
    (
        "bad",
        "Bad",
        U,
        [
            (
                "bored",
                "Bored",
                N,
                [("indifferent", "Indifferent", N), ("apathetic", "Apathetic", N)],
            ),
            ("busy", "Busy", N, [("pressured", "Pressured", U), ("rushed", "Rushed", U)]),
            ("stressed", "Stressed", U, [("out_of_control", "Out of control"), ("tense", "Tense")]),
            ("tired", "Tired", U, [("sleepy", "Sleepy", N), ("unfocused", "Unfocused")]),
        ],
    ),
    (
        "surprised",
        "Surprised",
        N,
        [
            ("startled", "Startled", U, [("shocked", "Shocked"), ("dismayed", "Dismayed")]),
            (
                "confused",
                "Confused",
                U,
                [("disillusioned", "Disillusioned"), ("perplexed", "Perplexed")],
            ),
            ("amazed", "Amazed", P, [("astonished", "Astonished"), ("awed", "Awed")]),
            ("excited", "Excited", P, [("eager", "Eager"), ("energetic", "Energetic")]),
        ],
    ),
]

TRIGGERS = [
    ("trauma_reminder", "Trauma or a trauma reminder", "Something brought back a hard experience."),
    ("overwhelm", "Overwhelm, grief or shock", "A loss, a shock, or simply too much at once."),
    ("chronic_stress", "Chronic stress", "Pressure that has gone on for a long time."),
    ("emotional_suppression", "Holding feelings back", "Keeping feelings down for a long while."),
    ("substance_use", "Alcohol or other substances", ""),
    (
        "medication_change",
        "Medication change",
        "Started, stopped or changed the dose of a medication.",
    ),
    (
        "mental_health",
        "A mental-health condition flaring",
        "Depression, anxiety, PTSD, dissociation…",
    ),
    ("neurological", "A neurological condition", ""),
    ("physical_health", "A physical-health issue", "Illness, pain, anemia, thyroid…"),
    ("poor_sleep", "Poor sleep", ""),
    ("conflict", "Conflict", "With someone close, at work, or elsewhere."),
    ("loneliness", "Loneliness", ""),
]


def _slugs():
    for core, _name, _valence, secondaries in WHEEL:
        yield core
        for secondary, _n, _v, specifics in secondaries:
            yield secondary
            for specific in specifics:
                yield specific[0]


def _specific_valence(spec, parent_valence):
    """A specific feeling's valence: its own when given, else its secondary feeling's."""
    return spec[2] if len(spec) > 2 else parent_valence


def valences():
    """(slug, valence) for every feeling of the wheel; analyze_checkins reads it offline."""
    for core, _name, core_valence, secondaries in WHEEL:
        yield core, core_valence
        for secondary, _n, valence, specifics in secondaries:
            yield secondary, valence
            for spec in specifics:
                yield spec[0], _specific_valence(spec, valence)


def seed(apps, schema_editor):
    Emotion = apps.get_model("journal", "Emotion")
    Trigger = apps.get_model("journal", "Trigger")
    slugs = list(_slugs())
    assert len(slugs) == len(set(slugs)), "feelings wheel slugs must be unique"

    for core_pos, (core_slug, core_name, core_valence, secondaries) in enumerate(WHEEL):
        core = Emotion.objects.create(
            slug=core_slug, name=core_name, level=1, valence=core_valence, position=core_pos
        )
        for sec_pos, (sec_slug, sec_name, sec_valence, specifics) in enumerate(secondaries):
            secondary = Emotion.objects.create(
                slug=sec_slug,
                name=sec_name,
                level=2,
                valence=sec_valence,
                parent=core,
                position=sec_pos,
            )
            Emotion.objects.bulk_create(
                Emotion(
                    slug=spec[0],
                    name=spec[1],
                    level=3,
                    valence=_specific_valence(spec, sec_valence),
                    parent=secondary,
                    position=spec_pos,
                )
                for spec_pos, spec in enumerate(specifics)
            )

    Trigger.objects.bulk_create(
        Trigger(slug=slug, name=name, description=description, position=position)
        for position, (slug, name, description) in enumerate(TRIGGERS)
    )


def unseed(apps, schema_editor):
    Emotion = apps.get_model("journal", "Emotion")
    Trigger = apps.get_model("journal", "Trigger")
    Trigger.objects.filter(slug__in=[t[0] for t in TRIGGERS]).delete()
    # Leaves before branches: parents are PROTECTed while children exist.
    for level in (3, 2, 1):
        Emotion.objects.filter(level=level, slug__in=list(_slugs())).delete()


class Migration(migrations.Migration):
    # Also after the sibling seed migration, so journal keeps a single leaf migration (two
    # 0002s side by side would need a merge migration); the two seeds are independent.
    dependencies = [
        ("journal", "0001_checkins_homework_medications_assessments"),
        ("journal", "0002_seed_homework_templates"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
