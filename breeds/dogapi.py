"""The one client for the Dog API (https://dog.ceo/dog-api/).

Every call has connect and read timeouts, a User-Agent, bounded retries on
connection errors and 5xx responses, a cap on the body size, and a check of the
payload's shape. Anything unexpected raises a DogApiError naming the URL.
"""

import json
import logging
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

USER_AGENT = "dogsite/1.0 (public dog-breed catalogue)"

# The Dog API names breeds and sub-breeds in lower-case ASCII letters only.
NAME_PATTERN = re.compile(r"[a-z]{1,64}")

# Characters left as they are when an image path is encoded. Everything else,
# spaces included, is percent-encoded, so the URL is safe in an HTML attribute.
SAFE_PATH_CHARACTERS = "/()-_.~!*"


class DogApiError(Exception):
    """A Dog API call failed or returned something this client cannot trust."""

    def __init__(self, url, problem):
        self.url = url
        self.problem = problem
        super().__init__(f"{problem} (Dog API URL: {url})")


class DogApiUnavailable(DogApiError):
    """The Dog API did not respond usefully: timeout, refused, reset or 5xx."""


class DogApiInvalidResponse(DogApiError):
    """The Dog API responded with a body of the wrong shape or content."""


class DogApiNotFound(DogApiError):
    """The Dog API returned 404: no such breed, sub-breed or route."""


def is_valid_name(name):
    return isinstance(name, str) and NAME_PATTERN.fullmatch(name) is not None


def is_loopback(host):
    """Tell whether a ``host[:port]`` is this machine's loopback interface."""
    hostname = urlsplit(f"//{host}").hostname or ""
    return hostname in {"localhost", "::1"} or hostname.startswith("127.")


def normalize_image_url(url, allowed_hosts):
    """Return the image URL with its path percent-encoded, or raise ValueError.

    The URL must be https on one of ``allowed_hosts`` (http only on a
    loopback host) and point below /breeds/. Real file names contain spaces
    and parentheses, which the Dog API sends unencoded.
    """
    if not isinstance(url, str) or not url or len(url) > 500:
        raise ValueError("not a string of 1 to 500 characters")
    if any(ord(character) < 32 or character in '"<>\\`' for character in url):
        raise ValueError("contains a control character or markup")
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if parts.scheme not in {"https", "http"}:
        raise ValueError(f"scheme {parts.scheme!r} is not https")
    if host not in {allowed.lower() for allowed in allowed_hosts}:
        raise ValueError(f"host {parts.netloc!r} is not in DOG_IMAGE_HOSTS")
    if parts.scheme == "http" and not is_loopback(host):
        raise ValueError("scheme 'http' is not https")
    if not parts.path.startswith("/breeds/") or parts.query or parts.fragment:
        raise ValueError("is not a file below /breeds/")
    path = quote(unquote(parts.path), safe=SAFE_PATH_CHARACTERS)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def innermost_cause(error):
    """Return the exception at the bottom of a chain of wrapped errors."""
    cause = error
    while True:
        inner = getattr(cause, "reason", None) or cause.__context__
        if not isinstance(inner, BaseException) or inner is cause:
            return cause
        cause = inner


def describe(error):
    """Name the innermost cause of a requests error, such as ConnectionRefusedError.

    requests wraps the cause in several layers whose messages repeat the URL.
    """
    cause = innermost_cause(error)
    text = str(cause)
    if "):" in text:
        # urllib3 prefixes the connection object: "HTTPConnection(...): reason".
        text = text.rsplit("):", 1)[1].strip()
    return f"{type(cause).__name__}: {text[:200]}" if text else type(cause).__name__


class DogApiClient:
    """A client for one Dog API base URL, configured from settings by default."""

    def __init__(
        self,
        base_url=None,
        *,
        timeout=None,
        connect_timeout=None,
        retries=None,
        max_bytes=None,
        image_hosts=None,
    ):
        self.base_url = (base_url or settings.DOG_API_URL).rstrip("/")
        self.timeout = (
            connect_timeout or settings.DOG_API_CONNECT_TIMEOUT,
            timeout or settings.DOG_API_TIMEOUT,
        )
        self.max_bytes = max_bytes or settings.DOG_API_MAX_BYTES
        self.image_hosts = image_hosts or settings.DOG_IMAGE_HOSTS
        retries = settings.DOG_API_RETRIES if retries is None else retries
        self.session = requests.Session()
        self.session.headers.update(
            {"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        # Retry only before the request reaches the server (connect) or on a
        # 5xx status. A read timeout is not retried: the page that waits for
        # this call must respond within one timeout, not several.
        retry = Retry(
            total=retries,
            connect=retries,
            read=0,
            status=retries,
            other=0,
            backoff_factor=0.2,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def list_all(self):
        """Return the catalogue as ``{breed: [sub-breed, ...]}``, validated."""
        url = f"{self.base_url}/breeds/list/all"
        return self.validate_catalogue(url, self._get_message(url))

    @staticmethod
    def validate_catalogue(source, message):
        """Check a /breeds/list/all ``message`` and return it as a dict of lists.

        Raises DogApiInvalidResponse naming ``source`` and the first problem.
        """
        if not isinstance(message, dict):
            raise DogApiInvalidResponse(source, "message is not an object of breeds")
        catalogue = {}
        for breed, sub_breeds in message.items():
            if not is_valid_name(breed):
                raise DogApiInvalidResponse(
                    source, f"invalid breed name {str(breed)[:80]!r}"
                )
            if not isinstance(sub_breeds, list):
                raise DogApiInvalidResponse(
                    source, f"sub-breeds of {breed!r} are not a list"
                )
            for sub_breed in sub_breeds:
                if not is_valid_name(sub_breed):
                    raise DogApiInvalidResponse(
                        source,
                        f"invalid sub-breed name {str(sub_breed)[:80]!r} "
                        f"under {breed!r}",
                    )
            if len(set(sub_breeds)) != len(sub_breeds):
                raise DogApiInvalidResponse(
                    source, f"duplicate sub-breed names under {breed!r}"
                )
            catalogue[breed] = list(sub_breeds)
        return catalogue

    def breed_images(self, breed, sub_breed=None):
        """Return every image URL of a breed or sub-breed, path-encoded.

        For a main breed the Dog API includes the images of its sub-breeds.
        """
        names = [breed] if sub_breed is None else [breed, sub_breed]
        for name in names:
            if not is_valid_name(name):
                # Reaching here is a programming error: callers look breeds
                # up in the catalogue before asking for their images.
                raise ValueError(f"invalid breed name {name!r}")
        url = f"{self.base_url}/breed/{'/'.join(names)}/images"
        message = self._get_message(url)
        if not isinstance(message, list):
            raise DogApiInvalidResponse(url, "message is not a list of image URLs")
        images = []
        for image_url in message:
            try:
                images.append(normalize_image_url(image_url, self.image_hosts))
            except ValueError as error:
                raise DogApiInvalidResponse(
                    url, f"invalid image URL {str(image_url)[:100]!r}: {error}"
                ) from None
        return images

    def _get_message(self, url):
        """GET a Dog API URL and return the ``message`` of a success envelope."""
        try:
            with self.session.get(url, timeout=self.timeout, stream=True) as response:
                body = self._read_body(url, response)
                status = response.status_code
        except requests.Timeout:
            raise DogApiUnavailable(url, "timed out") from None
        except requests.RequestException as error:
            if isinstance(innermost_cause(error), TimeoutError):
                # A read timeout while streaming the body arrives wrapped in
                # a ConnectionError rather than as requests.Timeout.
                raise DogApiUnavailable(url, "timed out") from None
            raise DogApiUnavailable(url, f"request failed: {describe(error)}") from None

        if status >= 500:
            raise DogApiUnavailable(url, f"server error HTTP {status}")
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            raise DogApiInvalidResponse(
                url, f"HTTP {status} with a body that is not JSON"
            ) from None
        if not isinstance(payload, dict):
            raise DogApiInvalidResponse(url, "the body is not a JSON object")
        if status == 404:
            raise DogApiNotFound(url, f"not found: {str(payload.get('message'))[:200]}")
        if status != 200:
            raise DogApiInvalidResponse(url, f"unexpected HTTP {status}")
        if payload.get("status") != "success":
            raise DogApiInvalidResponse(
                url, f"status is {str(payload.get('status'))[:50]!r}, not 'success'"
            )
        if "message" not in payload:
            raise DogApiInvalidResponse(url, "the envelope has no message")
        return payload["message"]

    def _read_body(self, url, response):
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise DogApiInvalidResponse(
                url, f"body of {declared} bytes exceeds DOG_API_MAX_BYTES"
            )
        chunks = []
        size = 0
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise DogApiInvalidResponse(
                    url, f"body exceeds DOG_API_MAX_BYTES ({self.max_bytes} bytes)"
                )
            chunks.append(chunk)
        return b"".join(chunks)
