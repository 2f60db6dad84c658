"""Therapist portal: the caseload, most urgent first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from accounts.audit import audit_reads
from accounts.portal import therapist_required

from ..selectors.caseload import caseload_rows


@therapist_required
def dashboard(request: HttpRequest) -> HttpResponse:
    rows = caseload_rows(viewer=request.user)
    audit_reads(request=request, subject_ids=[row.id for row in rows], object_type="caseload_page")
    return render(request, "therapists/dashboard.html", {"rows": rows})


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
]
