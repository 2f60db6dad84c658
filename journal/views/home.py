"""Client portal pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import care_team_list


@login_required
def client_home(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/home.html", {"team": care_team_list(viewer=request.user)})
