"""API routes of the therapist side, one module of therapists/api/ per entity."""

from .api import assessments, brief, caseload, flags, homework, notes, trends

app_name = "therapists-api"

urlpatterns = [
    *caseload.urlpatterns,
    *trends.urlpatterns,
    *notes.urlpatterns,
    *brief.urlpatterns,
    *homework.urlpatterns,
    *assessments.urlpatterns,
    *flags.urlpatterns,
]
