"""Project middleware: probe endpoints and the Content-Security-Policy header."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse

from breeds.dogapi import is_loopback

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Respond to /healthz and /readyz before host validation and HTTPS redirects.

    Kubernetes probes send the pod IP as Host and plain HTTP, which
    ALLOWED_HOSTS and SECURE_SSL_REDIRECT would otherwise reject.
    /healthz only shows that the process responds; /readyz also runs one
    query, so a pod without its database leaves the Service's endpoints.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            return self.readiness()
        return self.get_response(request)

    def readiness(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            logger.warning("Readiness check failed: database error: %s", error)
            return JsonResponse(
                {"status": "unavailable", "database": "unreachable"}, status=503
            )
        return JsonResponse({"status": "ok", "database": "ok"})


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy on the public pages.

    Scripts and styles come only from this site's static files, and images
    also from the Dog API image hosts in DOG_IMAGE_HOSTS. The admin is left
    out because Django's admin templates still carry inline markup.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        image_sources = " ".join(
            f"{'http' if is_loopback(host) else 'https'}://{host}"
            for host in settings.DOG_IMAGE_HOSTS
        )
        self.policy = "; ".join(
            [
                "default-src 'self'",
                f"img-src 'self' {image_sources}".strip(),
                "style-src 'self'",
                "script-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", self.policy)
        return response
