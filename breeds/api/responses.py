"""The API's error shape, method check and conditional GET."""

import functools
import hashlib

from django.http import HttpResponseNotModified, JsonResponse
from django.utils.cache import parse_etags
from django.views.decorators.csrf import csrf_exempt

ALLOWED_METHODS = ("GET", "HEAD")


class ApiError(Exception):
    """An error that the API returns as its JSON error shape."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status, message):
    """Build ``{"error": {"status": ..., "message": ...}}`` with that status."""
    payload = {"error": {"status": status, "message": message}}
    return JsonResponse(payload, status=status)


def api_view(view):
    """Restrict a view to GET and HEAD and return its errors in the API shape.

    The API never changes state, so it is exempt from the CSRF check: a POST
    gets the API's 405 instead of Django's HTML 403 page.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            response = error_response(
                405,
                f"Method {request.method} is not allowed. "
                "The API is read-only: use GET.",
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        try:
            return view(request, *args, **kwargs)
        except ApiError as error:
            return error_response(error.status, error.message)

    return csrf_exempt(wrapper)


def conditional_json(request, payload):
    """Return ``payload`` as JSON with an ETag, or 304 when the client has it.

    The ETag is a hash of the body, so it changes whenever the data does.
    ``Cache-Control: no-cache`` lets clients keep the body but makes them
    revalidate it on every use, because curators can change the catalogue
    at any time.
    """
    response = JsonResponse(payload)
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    # Only If-None-Match is honoured. Django's get_conditional_response would
    # also return a bare 412 for If-Match, outside the API's error shape.
    client_etags = parse_etags(request.headers.get("If-None-Match", ""))
    if any(tag == "*" or tag.removeprefix("W/") == etag for tag in client_etags):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        not_modified["Cache-Control"] = response["Cache-Control"]
        return not_modified
    return response
