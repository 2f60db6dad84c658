from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import library, pwa, safety, views

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("journal.api_urls")),
    path("", include("therapists.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("safety/", safety.safety_page, name="safety"),
    *library.urlpatterns,
    *pwa.urlpatterns,
    path("accounts/", include("accounts.portal_urls")),
    path("", include("journal.portal_urls")),
    path("", include("therapists.portal_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "companion.errors.bad_request"
handler403 = "companion.errors.permission_denied"
handler404 = "companion.errors.page_not_found"
handler500 = "companion.errors.server_error"
