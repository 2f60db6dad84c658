"""The starter homework library: exercises that help when feelings have gone quiet.

Shared templates (no owner) that staff can edit or retire in the admin. Reversing
removes only these titles, and only while they are still library templates.
"""

from django.db import migrations

TEMPLATES = [
    {
        "title": "Five senses grounding",
        "category": "grounding",
        "frequency": "daily",
        "times_per_week": None,
        "instructions": """When you notice you feel far away, flat or on autopilot, pause for a few minutes and come back to the room through your senses.

Sit or stand comfortably and let your eyes move slowly around you. Then, without hurrying, name:

1. **Five things you can see.** Small details count: the grain of a table, a shadow, a colour you like.
2. **Four things you can feel.** Your feet on the floor, the weight of your clothes, the air on your hands.
3. **Three things you can hear.** Near sounds and far ones, even the quiet hum of a room.
4. **Two things you can smell.** If nothing comes, move somewhere with a scent, or simply notice the air.
5. **One thing you can taste.** A sip of water or tea is enough.

There is no right result. If you feel only a little more present, that is the exercise working. Afterwards, you might note in your reflection which sense was easiest to reach.""",
    },
    {
        "title": "Body scan",
        "category": "mindfulness",
        "frequency": "daily",
        "times_per_week": None,
        "instructions": """Set aside about ten minutes somewhere you will not be interrupted. Lie down or sit with your back supported, and let your eyes close or rest on one spot.

1. Take three slow breaths, a little longer on the way out.
2. Bring your attention to your toes. Notice whatever is there: warmth, coolness, pressure, tingling, or nothing in particular.
3. Move slowly upwards: feet, ankles, calves, knees, thighs, hips, belly, chest, back, shoulders, arms, hands, neck, face, the top of your head.
4. At each place, just notice. You do not need to relax anything or change anything.

If you feel very little, that is a real answer, not a failure: simply note "not much here" and move on. If your mind wanders, that is normal; gently come back to the last place you remember.

When you finish, wiggle your fingers and toes and look around the room before you get up.""",
    },
    {
        "title": "A 20-minute walk or other movement",
        "category": "movement",
        "frequency": "weekly",
        "times_per_week": 3,
        "instructions": """Moving your body is one of the most reliable ways to help feelings come back within reach. Aim for about 20 minutes of movement that is comfortable for you: a walk, cycling, swimming, dancing in the kitchen, stretching or yoga.

- Go at a pace where you could still talk. This is not about fitness goals.
- If you can, go outside, and notice one or two things along the way: the light, the temperature, a sound.
- If 20 minutes feels like too much today, five minutes still counts. Starting is the hardest part.

Before you start and when you finish, rate how you feel from 0 to 10. Over a few weeks, the difference can tell you and your therapist something useful.

If you have a health condition that affects exercise, check with your doctor about what kind of movement is right for you.""",
    },
    {
        "title": "Name three feelings each evening",
        "category": "naming_feelings",
        "frequency": "daily",
        "times_per_week": None,
        "instructions": """Each evening, take a few quiet minutes to look back over your day and find three feelings you had, however faint.

1. Open the feelings wheel and start in the middle with the broad feelings (such as sad, happy, scared, angry).
2. For each moment you remember, move outwards to a more exact word if one fits: "irritated" rather than "angry", "lonely" rather than "sad".
3. Write down the three words, and if you like, one line about when each one showed up.

On some days you may find only one feeling, or none you can name. Write that down too; "I couldn't name anything today" is honest and useful. Naming feelings is a skill, and it grows with gentle practice, not with effort.""",
    },
    {
        "title": "Plan one pleasant activity",
        "category": "activity",
        "frequency": "weekly",
        "times_per_week": 2,
        "instructions": """When everything feels flat, it is natural to stop doing the things that used to bring some enjoyment, and then life can feel even flatter. This exercise gently reverses that.

1. Pick one small, doable activity that you used to enjoy, or that you think you *might* enjoy: a favourite meal, music, calling a friend, a hobby, time in nature.
2. Decide when you will do it and write that down, as you would an appointment.
3. Do it, even if you do not feel like it. Motivation often comes after starting, not before.
4. Afterwards, rate how you feel and note anything you noticed, even a small flicker of interest or pleasure.

Keep the plan small. It is fine if the activity does not feel the way it used to; you are giving your feelings room to return.""",
    },
    {
        "title": "Safe-place exercise",
        "category": "trauma",
        "frequency": "weekly",
        "times_per_week": 3,
        "instructions": """This exercise builds a place in your mind you can return to when things feel like too much. It is often used alongside trauma work, so practise it as your therapist suggests.

1. Sit comfortably and take a few slow breaths.
2. Bring to mind a place where you feel calm and safe. It can be real or imagined: a beach, a room, a forest, a corner of a garden. Choose somewhere with no difficult memories attached.
3. Explore it with your senses: what you see, what you hear, the temperature, what you can touch, any smells.
4. Notice where in your body you feel a little calmer, and let yourself rest there for a moment.
5. If you like, choose a word that sums up the place ("harbour", "meadow"). Later, the word can help bring the feeling back.

If anything upsetting comes up, open your eyes, look around the room, name a few things you can see, and stop for today. Tell your therapist at your next session; that is useful information, not a mistake.""",
    },
]


def seed(apps, schema_editor):
    HomeworkTemplate = apps.get_model("journal", "HomeworkTemplate")
    for data in TEMPLATES:
        HomeworkTemplate.objects.get_or_create(title=data["title"], owner=None, defaults=data)


def unseed(apps, schema_editor):
    HomeworkTemplate = apps.get_model("journal", "HomeworkTemplate")
    HomeworkTemplate.objects.filter(owner=None, title__in=[t["title"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_checkins_homework_medications_assessments")]

    operations = [migrations.RunPython(seed, unseed)]
