"""Therapist portal: the caseload, most urgent first."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from accounts.audit import audit_reads
from accounts.portal import therapist_required

from ..charts import sparkline
from ..selectors.caseload import SPARK_DAYS, caseload_details, caseload_rows
from .scores import change_words


@therapist_required
def dashboard(request: HttpRequest) -> HttpResponse:
    rows = caseload_rows(viewer=request.user)
    today = request.user.local_today()
    caseload_details(rows, viewer=request.user, today=today)
    start = today - timedelta(days=SPARK_DAYS - 1)
    for row in rows:
        values = [v for _d, v in row.felt_4w]
        row.sparkline = sparkline(
            row.felt_4w,
            start,
            today,
            label=_("Felt intensity, last 4 weeks: %(summary)s")
            % {
                "summary": _("from %(first).1f to %(last).1f")
                % {"first": values[0], "last": values[-1]}
                if values
                else _("no check-ins")
            },
        )
        for score in row.scores:
            score.words = change_words(score.change)
    audit_reads(request=request, subject_ids=[row.id for row in rows], object_type="caseload_page")
    return render(request, "therapists/dashboard.html", {"rows": rows})


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
]
