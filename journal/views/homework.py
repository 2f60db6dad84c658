"""Client portal pages for homework: what is due, and logging a completion."""

from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.portal import apply_service_errors, client_required

from ..access.homework import access_own_homework
from ..forms.homework import HomeworkLogForm
from ..markdown import render_markdown
from ..selectors import homework as selectors
from ..services import homework as services


def _homework_context(request: HttpRequest) -> dict:
    assignments = list(selectors.homework_list(viewer=request.user))
    progress = selectors.homework_progress(assignments, client=request.user)
    today, week, other = [], [], []
    for assignment in assignments:
        assignment.progress = progress[assignment.pk]
        ratio = assignment.progress.adherence_14d
        assignment.adherence_pct = None if ratio is None else round(ratio * 100)
        assignment.instructions_html = render_markdown(assignment.instructions)
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
@require_http_methods(["GET", "POST"])
def homework_log(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """ "I did this": a page of its own with the optional before/after and reflection, so
    the list's button is a plain link that works everywhere."""
    assignment = access_own_homework(request.user, assignment_id)
    if request.method == "GET":
        form = HomeworkLogForm(prefix=f"hw{assignment.pk}", initial={"submission": uuid4()})
        return render(request, "journal/homework_log.html", {"a": assignment, "form": form})
    form = HomeworkLogForm(request.POST, prefix=f"hw{assignment.pk}")
    if form.is_valid():
        started = timezone.now()
        try:
            log = services.homework_log_create(
                client=request.user, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if log.created_at < started:
                messages.info(request, _("This was already saved, so it is logged once."))
            else:
                messages.success(request, _("Logged. Thank you for making time for this."))
            return redirect("journal:homework")
    return render(request, "journal/homework_log.html", {"a": assignment, "form": form}, status=400)


urlpatterns = [
    path("homework/", homework_page, name="homework"),
    path("homework/<id:assignment_id>/log/", homework_log, name="homework-log"),
]
