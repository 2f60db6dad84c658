"""Portal routes of the client side."""

from .views import care, checkins

app_name = "journal"

urlpatterns = [*checkins.urlpatterns, *care.urlpatterns]
