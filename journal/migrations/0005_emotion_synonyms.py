"""Other words for the feelings of the wheel, so the check-in's search finds "flat" or
"drained" without knowing where the wheel keeps them.

Self-contained (no app code): fills only feelings whose synonyms are still empty, so a
re-run or a reverse-then-forward never overwrites what staff wrote in the admin.
"""

from django.db import migrations, models

SYNONYMS = {
    # The numb end first: these are the words people in a flat patch reach for.
    "numb": "flat, blank, nothing, shut down, frozen, dead inside, deadened",
    "empty": "hollow, void, nothing inside, flat",
    "apathetic": "flat, unmotivated, can't be bothered, meh",
    "indifferent": "meh, don't care, flat, detached",
    "distant": "detached, disconnected, far away, cut off, unreal",
    "withdrawn": "shut in, closed off, hiding, avoiding people",
    "tired": "exhausted, drained, worn out, fatigued, wiped out",
    "sleepy": "drowsy",
    "unfocused": "foggy, scattered, spaced out, brain fog",
    "happy": "good, glad, cheerful, well",
    "content": "okay, fine, satisfied, alright",
    "joyful": "delighted, elated",
    "peaceful": "calm, relaxed, at ease, serene, settled",
    "thankful": "grateful, appreciative",
    "loving": "affectionate, warm, tender",
    "hopeful": "looking forward, encouraged",
    "confident": "sure of myself, self-assured",
    "sad": "down, low, blue, unhappy, upset",
    "depressed": "hopeless, low, heavy",
    "despair": "hopeless, defeated",
    "grief": "loss, mourning, bereaved, heartbroken",
    "lonely": "alone, left out",
    "hurt": "wounded, upset",
    "ashamed": "humiliated, mortified",
    "guilty": "to blame, regretful",
    "angry": "cross, irritated, heated",
    "mad": "cross, angry",
    "annoyed": "irritated, irritable, grumpy",
    "frustrated": "fed up, stuck",
    "furious": "enraged, livid, raging",
    "resentful": "bitter, aggrieved",
    "fearful": "afraid, fear",
    "scared": "afraid, fearful",
    "frightened": "terrified, panicked",
    "anxious": "on edge, uneasy, panicky, restless",
    "worried": "concerned, uneasy",
    "nervous": "jittery, jumpy, shaky",
    "overwhelmed": "swamped, too much, flooded",
    "stressed": "under pressure, strained",
    "tense": "wound up, tight",
    "bad": "off, not right, unwell",
    "surprised": "caught off guard",
    "shocked": "stunned",
    "excited": "thrilled, buzzing",
    "energetic": "lively, full of energy",
    "disgusted": "grossed out",
    "worthless": "useless, no good",
    "rejected": "unwanted",
    "isolated": "cut off, alone",
}


def fill(apps, schema_editor):
    Emotion = apps.get_model("journal", "Emotion")
    for emotion in Emotion.objects.filter(slug__in=list(SYNONYMS), synonyms=""):
        emotion.synonyms = SYNONYMS[emotion.slug]
        emotion.save(update_fields=["synonyms"])


def unfill(apps, schema_editor):
    Emotion = apps.get_model("journal", "Emotion")
    for slug, words in SYNONYMS.items():
        Emotion.objects.filter(slug=slug, synonyms=words).update(synonyms="")


class Migration(migrations.Migration):
    dependencies = [("journal", "0004_drop_redundant_fk_indexes")]

    operations = [
        migrations.AddField(
            model_name="emotion",
            name="synonyms",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Other words people use for this feeling, separated by commas (for “Numb”: "
                    "flat, blank, shut down). The check-in's search finds the feeling by them."
                ),
                max_length=300,
                verbose_name="other words",
            ),
        ),
        migrations.RunPython(fill, unfill),
    ]
