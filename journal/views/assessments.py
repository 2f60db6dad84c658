"""Client portal pages for questionnaires: what is due, taking one, a result."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from accounts.portal import apply_service_errors, client_required

from .. import instruments
from ..forms.assessments import AssessmentForm
from ..selectors import assessments as selectors
from ..services import assessments as services


@client_required
def assessments_page(request: HttpRequest) -> HttpResponse:
    context = {
        "due": selectors.assessments_due(request.user),
        "instruments": list(instruments.INSTRUMENTS.values()),
        "recent": selectors.assessment_list(viewer=request.user)[:10],
    }
    return render(request, "journal/assessments.html", context)


@client_required
def assessment_take(request: HttpRequest, instrument: str) -> HttpResponse:
    if instrument not in instruments.INSTRUMENTS:
        raise Http404
    form = AssessmentForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            assessment, signal = services.assessment_submit(
                client=request.user, instrument=instrument, answers=form.answers()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if signal is not None:
                return redirect("/safety/?from=assessment")
            return redirect("journal:assessment-result", assessment_id=assessment.pk)
    return render(
        request,
        "journal/assessment_take.html",
        {"form": form, "spec": form.spec},
        status=400 if form.errors else 200,
    )


@client_required
def assessment_result(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(selectors.assessment_list(viewer=request.user), pk=assessment_id)
    spec = instruments.spec(assessment.instrument)
    return render(
        request,
        "journal/assessment_result.html",
        {
            "assessment": assessment,
            "spec": spec,
            "severity_label": instruments.SEVERITY_LABELS[assessment.severity],
            "gentle": instruments.SEVERITY_GENTLE[assessment.severity],
        },
    )


urlpatterns = [
    path("assessments/", assessments_page, name="assessments"),
    path("assessments/results/<id:assessment_id>/", assessment_result, name="assessment-result"),
    path("assessments/<slug:instrument>/", assessment_take, name="assessment-take"),
]
