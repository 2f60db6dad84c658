"""Therapist portal pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render

from accounts.selectors import caseload_list


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_therapist:
        return HttpResponseForbidden()
    return render(
        request, "therapists/dashboard.html", {"clients": caseload_list(viewer=request.user)}
    )
