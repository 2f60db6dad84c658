"""Therapist portal routes: caseload and client pages (views.py), homework (views_homework.py)."""

from . import views, views_homework

app_name = "therapists"

urlpatterns = [*views.urlpatterns, *views_homework.urlpatterns]
