"""API routes of the therapist side."""

from .api import caseload, homework

app_name = "therapists-api"

urlpatterns = [*caseload.urlpatterns, *homework.urlpatterns]
