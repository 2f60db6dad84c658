"""Portal routes of the therapist side, one module of therapists/views/ per entity."""

from .views import assessments, brief, caseload, client, flags, homework, notes

app_name = "therapists"

urlpatterns = [
    *caseload.urlpatterns,
    *client.urlpatterns,
    *brief.urlpatterns,
    *notes.urlpatterns,
    *flags.urlpatterns,
    *homework.urlpatterns,
    *assessments.urlpatterns,
]
