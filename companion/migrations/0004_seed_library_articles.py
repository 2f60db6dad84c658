"""A starter library on emotional numbness, written for Companion; staff edit it in the admin.

Plain, warm language for clients, one practical note for therapists. Not medical advice:
each client article points back to the care team and to /safety/. Reversing removes
exactly these rows (by slug).
"""

from django.db import migrations
from django.utils import timezone

ARTICLES = [
    {
        "slug": "what-is-emotional-numbness",
        "title": "Feeling numb: what emotional numbness is",
        "kind": "article",
        "audience": "client",
        "position": 10,
        "tags": "numbness, understanding",
        "summary": "Numbness is not a failing or a flaw. It is often the mind's way of protecting "
        "you when things have been too much for too long.",
        "body": """\
Many people describe it as **watching life instead of living it**. Things happen, and
you know they matter, but the feeling that should come with them is quiet, far away, or
missing.

## What it is

Emotional numbness (sometimes called *emotional blunting*) is a reduced ability to feel.
It is not a diagnosis on its own. It is usually one of two things, and often both:

- **A protective reaction.** When there has been more pain, fear or stress than the mind
  can take in, it can turn the volume down. That can help you get through a hard time.
- **A symptom.** Numbness can be part of depression, anxiety, post-traumatic stress or
  dissociation, and it can be a side effect of some medicines.

## What it can feel like

- Feeling disconnected from the people you care about, even when they are right there.
- Losing interest in things you used to enjoy.
- Being tired in body or mind, without a clear reason.
- Reacting differently from the people around you: not laughing, not crying, not minding.
- Going through the day on autopilot.
- Hearing from others that they are worried about you.

It is often **less of everything**: the good feelings are quieter, and so are the hard
ones. Some people find that more unsettling than sadness.

## Noticing it is a step

If you opened Companion and could not name a feeling, that is a real and useful answer.
"I can't name anything right now" tells you, and your therapist, something important.
You don't need to force a feeling that isn't there.

Numbness usually eases when the reasons behind it are understood and looked after. You
don't have to work that out alone: bring it to your next session.
""",
    },
    {
        "slug": "why-numbness-happens",
        "title": "Why numbness happens: common triggers",
        "kind": "article",
        "audience": "client",
        "position": 20,
        "tags": "numbness, triggers, medication",
        "summary": "Trauma, overwhelm, long stress, medicines and health conditions can all turn "
        "feelings down. Knowing what might be involved helps you and your therapist.",
        "body": """\
There is rarely one single cause. These are the things that most often play a part.
When you check in, you can tag any that seem to fit that day.

## Things that happened

- **Trauma or a reminder of it.** Shutting down can be how the mind copes with
  something that felt unbearable, then or now.
- **Overwhelm.** Grief, shock or a sudden loss can leave you feeling blank.
- **Chronic stress.** Months of pressure can wear feelings thin.
- **Holding feelings in for a long time.** If it was never safe or welcome to show
  feelings, they can become hard to reach even when you want them.

## Things in the body

- **Medicines.** Some antidepressants (SSRIs and SNRIs especially) can flatten feelings
  as a side effect. This is common and well known. **Please don't stop or change a
  medicine on your own**; tell your prescriber, who may be able to adjust it.
- **Alcohol and other substances** can dull feelings, during use and afterwards.
- **Health conditions** such as anaemia or thyroid problems can cause tiredness and
  flatness. A check-up can rule these out.
- **Neurological conditions** can also change how feelings are experienced.

## Conditions of the mind

Depression, anxiety, post-traumatic stress and dissociation can all include numbness.
That does not mean you have any of them: it is something to explore with your care team.

## Why tracking helps

Noting medication changes and tags in Companion lets your therapist see whether
numbness began around the same time as something else, such as a new dose. Patterns
like that are easier to spot on a timeline than from memory.
""",
    },
    {
        "slug": "what-helps-with-numbness",
        "title": "What helps when you feel numb",
        "kind": "article",
        "audience": "client",
        "position": 30,
        "tags": "numbness, what helps, therapy, EMDR, mindfulness, medication, exercise",
        "summary": "Small, steady steps: naming feelings, therapy, grounding in the senses, a "
        "medication review, and moving your body.",
        "body": """\
Feelings tend to come back gradually, and often in small ways first: a moment of warmth,
a flicker of irritation, enjoying a cup of tea. Those moments count.

## Therapy and naming feelings

Talking with a therapist helps untangle what the numbness is protecting you from. Putting
words to feelings, even faint ones, is a skill that grows with practice. A feelings wheel
(the one in your check-in) offers words when your own don't come.

## EMDR for trauma

If numbness is linked to trauma, **EMDR** (Eye Movement Desensitisation and Reprocessing)
is a well-researched therapy that helps the mind process difficult memories so they carry
less charge. It is done with a trained therapist, at a pace that feels manageable.

## Mindfulness, starting with the senses

Numbness often lives in the head. The senses are a way back into the present moment and
the body. Try the [five senses exercise](/library/five-senses-grounding/): it takes a few
minutes and needs nothing but where you are.

## A medication review

If you started or changed a medicine and things went flat, tell your prescriber. There
are often options, such as a different dose or medicine. Please don't stop a medicine
suddenly on your own.

## Moving your body

Gentle exercise, such as a walk, stretching or dancing in the kitchen, can lift energy
and help feelings move. It does not need to be intense, and any amount counts.

## Be patient with yourself

Numbness is not laziness and it is not a choice. Go gently. On a flat day, doing one
small thing is enough.
""",
    },
    {
        "slug": "five-senses-grounding",
        "title": "Grounding with the five senses",
        "kind": "exercise",
        "audience": "client",
        "position": 40,
        "tags": "exercise, mindfulness, grounding",
        "summary": "A few minutes of noticing what you can see, hear, touch, smell and taste. "
        "No right or wrong answers.",
        "body": """\
Find a position that feels comfortable. You can do this anywhere, with eyes open.

1. **Five things you can see.** Let your eyes rest on each one for a moment: a colour,
   a shape, the way light falls.
2. **Four things you can feel.** Your feet on the floor, the fabric of your clothes,
   the air on your skin, something in your hand.
3. **Three things you can hear.** Near sounds and far ones. Silence counts too.
4. **Two things you can smell.** If nothing comes, remember a smell you like.
5. **One thing you can taste.** Or take a sip of something and notice it.

Then take one slow breath and ask: *is anything different, even slightly?* A small
shift, or none at all, are both fine answers.

If you like, log it in **Homework** with how you felt before and after.

*If the exercise brings up something painful, stop, look around the room and name
where you are. You can talk about it with your therapist.*
""",
    },
    {
        "slug": "naming-three-feelings",
        "title": "Naming three feelings each evening",
        "kind": "exercise",
        "audience": "client",
        "position": 50,
        "tags": "exercise, naming feelings",
        "summary": "A short evening practice to widen the range of feelings you notice.",
        "body": """\
Before bed, think back over the day and name **three feelings** you had, however small.

- Start broad (pleasant, unpleasant, tired, calm), then see whether a closer word fits.
  The feelings wheel in your check-in can help.
- A feeling that lasted a few seconds counts.
- "Nothing much" is an honest answer. Try again tomorrow.

Over a few weeks, many people notice they can name more, and more different, feelings.
That is the point: not to feel good, but to feel **more**.
""",
    },
    {
        "slug": "when-to-seek-help",
        "title": "When to seek more help",
        "kind": "article",
        "audience": "client",
        "position": 60,
        "tags": "numbness, safety, depression",
        "summary": "Numbness that lasts for weeks, or thoughts of harming yourself, deserve "
        "more support. Here is when and how to reach out.",
        "body": """\
## Talk to your therapist or doctor if

- the numbness has lasted **more than two weeks**, or keeps coming back;
- you feel like you are **existing, not living**;
- you have lost interest in almost everything, or can't look after yourself as usual;
- it started after a **new medicine or a dose change**;
- people close to you say they are worried.

Numbness that lasts for weeks can be a sign of depression. Your therapist may ask you to
fill in a short questionnaire (the PHQ-9) to understand it better. It is a tool, not a
label.

## Get help now if

you have thoughts of ending your life or harming yourself, or you feel unsafe. Use the
**"I don't feel safe right now"** link at the top of every page: it lists people you can
contact at any hour, and lets you tell your therapist straight away.

Companion is not an emergency service. If you are in danger, call your local emergency
number.
""",
    },
    {
        "slug": "blunting-flags-for-therapists",
        "title": "Reading blunting flags",
        "kind": "article",
        "audience": "therapist",
        "position": 10,
        "tags": "therapists, blunting, flags",
        "summary": "How Companion decides to raise a blunting flag, and what to look at first.",
        "body": """\
Companion compares each client with their **own baseline**. A flag means several measures
moved together and stayed moved, not that one check-in was low.

## What moves

- **Felt intensity** ("how much can you feel right now?", 0–10) falls.
- **Range**: fewer distinct feelings per week.
- **Movement**: less variation in both pleasant and unpleasant affect.
- **Symptoms**: the six numbness items rise.

Lower variability alone is not treated as blunting (an anxious client calming down is
recovering), and intense sadness is not numbness.

## Levels

*Watch* → *flagged* → *escalated*. A flag that lasts about four weeks escalates and
suggests a PHQ-9, because long-running blunting can mean depression.

## What to check

1. The drivers listed on the flag, in plain words.
2. Medication changes in the 28 days before onset (shown on the flag). Antidepressant
   blunting is common and a prescriber may adjust the dose.
3. Check-ins with no named feelings: "I can't name anything right now" is a signal,
   not missing data.

Acknowledge the flag with a short note so colleagues and your future self can follow
what was done.
""",
    },
]


def seed(apps, schema_editor):
    Article = apps.get_model("companion", "Article")
    now = timezone.now()
    for data in ARTICLES:
        Article.objects.update_or_create(
            slug=data["slug"],
            defaults={**data, "status": "published", "published_at": now, "language": "en"},
        )


def unseed(apps, schema_editor):
    Article = apps.get_model("companion", "Article")
    Article.objects.filter(slug__in=[a["slug"] for a in ARTICLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("companion", "0003_library_articles")]

    operations = [migrations.RunPython(seed, unseed)]
