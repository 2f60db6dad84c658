"""Client portal pages for homework: what is due, and logging a completion."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.portal import apply_service_errors, client_required

from ..access.homework import access_own_homework
from ..forms.homework import HomeworkLogForm
from ..markdown import render_markdown
from ..selectors import homework as selectors
from ..services import homework as services


def _homework_context(request: HttpRequest, bound: dict | None = None) -> dict:
    assignments = list(selectors.homework_list(viewer=request.user))
    progress = selectors.homework_progress(assignments, client=request.user)
    today, week, other = [], [], []
    for assignment in assignments:
        assignment.progress = progress[assignment.pk]
        ratio = assignment.progress.adherence_14d
        assignment.adherence_pct = None if ratio is None else round(ratio * 100)
        assignment.instructions_html = render_markdown(assignment.instructions)
        prefix = f"hw{assignment.pk}"
        assignment.log_form = (bound or {}).get(assignment.pk) or HomeworkLogForm(prefix=prefix)
        # Done today stays under today (ticked), rather than moving to "later this week".
        if assignment.progress.due_today or assignment.progress.done_today:
            today.append(assignment)
        elif assignment.progress.due_this_week:
            week.append(assignment)
        else:
            other.append(assignment)
    return {"due_today": today, "this_week": week, "other": other, "has_any": bool(assignments)}


@client_required
def homework_page(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/homework.html", _homework_context(request))


@client_required
@require_POST
def homework_log(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = access_own_homework(request.user, assignment_id)
    form = HomeworkLogForm(request.POST, prefix=f"hw{assignment.pk}")
    if form.is_valid():
        try:
            services.homework_log_create(
                client=request.user, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Logged. Thank you for making time for this."))
            return redirect("journal:homework")
    context = _homework_context(request, bound={assignment.pk: form})
    return render(request, "journal/homework.html", context, status=400)


urlpatterns = [
    path("homework/", homework_page, name="homework"),
    path("homework/<id:assignment_id>/log/", homework_log, name="homework-log"),
]
