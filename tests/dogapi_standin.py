"""Serve a stand-in for the Dog API (dog.ceo) over HTTP for tests and demos.

The stand-in serves the Dog API's JSON endpoints under /api from a breed
catalogue file, and small PNG images under /breeds/. Tests can switch on
faults (broken bodies, error statuses, resets, delays, hostile image URLs)
from Python or, from another process, through the /_standin/ control
endpoint. Run it on its own with ``python -m tests.dogapi_standin``.

It uses the standard library only, so it runs without the project installed.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import logging
import random
import re
import signal
import socket
import struct
import threading
import zlib
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

logger = logging.getLogger(__name__)

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGUE = REPOSITORY_ROOT / "breeds" / "data" / "breeds-list-all.json"
DEFAULT_IMAGES = REPOSITORY_ROOT / "tests" / "data" / "images-sample.json"

MAIN_BREED_NOT_FOUND = "Breed not found (main breed does not exist)"
SUB_BREED_NOT_FOUND = "Breed not found (no sub breeds exist for this main breed)"

# The Dog API documents 50 as the maximum n for random images, but enforces it
# only on some endpoints. The stand-in caps /breeds/image/random/{n} and the
# sub-breed random endpoint, and leaves /breed/{breed}/images/random/{n}
# uncapped, so a client that does not clamp n itself gets more than 50 images.
# NOTE: which real endpoint skips the cap is not verified. Only the fact that
# one of them does is known.
MAX_RANDOM_COUNT = 50

API_PREFIX = "/api/"
IMAGE_PREFIX = "/breeds/"
CONTROL_PREFIX = "/_standin/"
LIST_PATHS = ("/api/breeds/list/all", "/api/breeds/list")

# Hosts and payloads that the hostile-URL faults put into image URLs.
FOREIGN_IMAGE_BASE = "https://evil.example.com/breeds/"
JAVASCRIPT_URL = "javascript:alert(1)"
MARKUP_INJECTION = '"><script>alert(1)</script>'

PNG_WIDTH = 160
PNG_HEIGHT = 120
MAX_CONTROL_BODY = 64 * 1024

# Faults act on every path, only on /api/ paths, or only on the list paths.
SCOPE_ANY = "any"
SCOPE_API = "api"
SCOPE_LIST = "list"


@dataclass(frozen=True)
class FaultSpec:
    """Scope and option defaults of one fault mode."""

    scope: str
    defaults: dict
    description: str


FAULT_MODES = {
    "http500_html": FaultSpec(SCOPE_ANY, {}, "HTTP 500 with an HTML body"),
    "http200_html": FaultSpec(SCOPE_ANY, {}, "HTTP 200 with an HTML body"),
    "truncated_json": FaultSpec(
        SCOPE_API, {}, "the first half of the normal JSON body"
    ),
    "wrong_type": FaultSpec(
        SCOPE_API, {}, "a success envelope whose message has the wrong type"
    ),
    "status_error_200": FaultSpec(
        SCOPE_ANY, {}, "the breed-not-found error envelope with HTTP 200"
    ),
    "error_404": FaultSpec(
        SCOPE_ANY, {}, "the breed-not-found error envelope with HTTP 404"
    ),
    "reset": FaultSpec(SCOPE_ANY, {}, "a TCP reset instead of a response"),
    "slow": FaultSpec(
        SCOPE_ANY, {"delay": 10.0}, "the normal response after `delay` seconds"
    ),
    "oversized": FaultSpec(
        SCOPE_API,
        {"size": 5 * 1024 * 1024},
        "the normal JSON envelope padded to at least `size` bytes",
    ),
    "empty_list": FaultSpec(SCOPE_LIST, {}, "an empty breed list"),
    "truncated_list": FaultSpec(
        SCOPE_LIST, {"count": 5}, "only the first `count` breeds"
    ),
    "foreign_host": FaultSpec(SCOPE_API, {}, "image URLs on https://evil.example.com"),
    "javascript_url": FaultSpec(SCOPE_API, {}, "image URLs `javascript:alert(1)`"),
    "markup_url": FaultSpec(
        SCOPE_API, {}, "image URLs that contain an HTML script injection"
    ),
    "http503": FaultSpec(SCOPE_ANY, {}, "HTTP 503 with a JSON error envelope"),
}

# `times` limits any fault to that many matching requests, then clears it.
COMMON_FAULT_OPTIONS = {"times": None}


@dataclass
class Fault:
    """An active fault: its mode, path prefix, options and remaining uses."""

    mode: str
    path_prefix: str | None
    options: dict
    remaining: int | None

    def describe(self) -> dict:
        """Return the fault as a JSON-ready dictionary."""
        return {
            "mode": self.mode,
            "path_prefix": self.path_prefix,
            "options": dict(self.options),
            "remaining": self.remaining,
        }


def make_fault(mode: str, path_prefix: str | None, options: dict) -> Fault:
    """Build a Fault, raising ValueError on an unknown mode or a bad option."""
    if mode not in FAULT_MODES:
        known = ", ".join(sorted(FAULT_MODES))
        raise ValueError(f"Invalid fault mode {mode!r}. Valid modes: {known}.")
    if path_prefix is not None and not isinstance(path_prefix, str):
        raise ValueError(f"path_prefix must be a string, not {path_prefix!r}.")

    allowed = {**FAULT_MODES[mode].defaults, **COMMON_FAULT_OPTIONS}
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        names = ", ".join(sorted(allowed)) or "none"
        raise ValueError(
            f"Invalid option(s) {', '.join(unknown)} for fault {mode!r}. "
            f"Valid options: {names}."
        )

    values = {**allowed, **options}
    for name, value in values.items():
        if value is None and name == "times":
            continue
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or value < 0:
            raise ValueError(
                f"Option {name}={value!r} for fault {mode!r} must be a "
                "non-negative number."
            )
    times = values.pop("times")
    if times is not None and (not isinstance(times, int) or times < 1):
        raise ValueError(f"Option times={times!r} must be a whole number >= 1.")
    return Fault(mode, path_prefix, values, times)


def fault_applies(fault: Fault, path: str) -> bool:
    """Return whether the fault matches the request path."""
    if fault.path_prefix is not None and not path.startswith(fault.path_prefix):
        return False
    scope = FAULT_MODES[fault.mode].scope
    if scope == SCOPE_API:
        return path.startswith(API_PREFIX)
    if scope == SCOPE_LIST:
        return path in LIST_PATHS
    return True


@functools.lru_cache(maxsize=1024)
def synthesize_image_names(folder: str) -> tuple[str, ...]:
    """Return 8 to 12 ImageNet-style file names, the same for a folder each run."""
    digest = hashlib.sha256(folder.encode("utf-8")).digest()
    generator = random.Random(digest)
    count = generator.randint(8, 12)
    synset = f"n0{generator.randint(2_085_000, 2_115_000)}"
    numbers = generator.sample(range(1, 12_000), count)
    return tuple(sorted(f"{synset}_{number}.jpg" for number in numbers))


@functools.lru_cache(maxsize=1024)
def make_png(folder: str) -> bytes:
    """Encode a small solid-colour PNG whose colour depends on the folder."""
    digest = hashlib.sha256(folder.encode("utf-8")).digest()
    # Keep channels between 60 and 219 so no folder is black or white.
    colour = bytes(60 + byte % 160 for byte in digest[:3])
    row = b"\x00" + colour * PNG_WIDTH
    pixels = zlib.compress(row * PNG_HEIGHT, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    # Bit depth 8, colour type 2 (RGB), default compression, filter, no interlace.
    header = struct.pack(">IIBBBBB", PNG_WIDTH, PNG_HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def parse_count(text: str) -> int:
    """Parse the `n` of a random endpoint as the Dog API does.

    Non-numbers, zero and negative numbers count as 1. The caller applies
    the cap of 50 where the endpoint has one.
    """
    if re.fullmatch(r"[0-9]+", text) is None:
        return 1
    return max(1, int(text))


class Catalogue:
    """Breeds, sub-breeds and image file names that the stand-in serves.

    A breed without sub-breeds has one image folder named after it. A breed
    with sub-breeds has one folder per sub-breed, named ``breed-sub``. Folders
    listed in the images file use those real names, and every other folder
    gets a synthesized list.
    """

    def __init__(self, breeds: dict[str, list[str]], images: dict[str, list[str]]):
        self.breeds = breeds
        self._sample_images = images

    @classmethod
    def from_files(cls, catalogue_path: Path, images_path: Path) -> Catalogue:
        """Load a /breeds/list/all response and an image name sample.

        Raises ValueError naming the file when either has the wrong shape.
        """
        breeds = _read_mapping_of_lists(catalogue_path, "message")
        images = _read_mapping_of_lists(images_path, "images")
        return cls(breeds, images)

    def folders(self, breed: str) -> list[str]:
        """Return the image folders of a breed and all its sub-breeds."""
        sub_breeds = self.breeds[breed]
        if not sub_breeds:
            return [breed]
        return [f"{breed}-{sub_breed}" for sub_breed in sub_breeds]

    def all_folders(self) -> list[str]:
        """Return every image folder of the catalogue."""
        return [folder for breed in self.breeds for folder in self.folders(breed)]

    def image_names(self, folder: str) -> list[str]:
        """Return the file names in an image folder."""
        if folder in self._sample_images:
            return list(self._sample_images[folder])
        return list(synthesize_image_names(folder))

    def has_image(self, folder: str, name: str) -> bool:
        """Return whether the catalogue serves the named file in the folder."""
        if folder not in self.all_folders():
            return False
        return name in self.image_names(folder)


def _read_mapping_of_lists(path: Path, envelope_key: str) -> dict[str, list[str]]:
    """Read a JSON object of string lists, unwrapping `envelope_key` if present."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"Failed to read {path}: {error}") from error

    if isinstance(data, dict) and isinstance(data.get(envelope_key), dict):
        data = data[envelope_key]
    if not isinstance(data, dict):
        raise ValueError(f"{path} must contain a JSON object of string lists.")
    for key, names in data.items():
        valid = isinstance(names, list) and all(isinstance(n, str) for n in names)
        if not valid:
            raise ValueError(f"{path}: entry {key!r} must be a list of strings.")
    return data


@dataclass
class Response:
    """Status, content type and body of one HTTP response."""

    status: int
    content_type: str
    body: bytes
    payload: dict | None = None


def json_response(status: int, payload: dict) -> Response:
    """Encode a JSON payload into a Response that keeps the payload."""
    # The real API is written in PHP, whose json_encode writes compact JSON
    # and escapes every "/" as "\/" by default. Clients must parse the JSON
    # to find the URLs.
    text = json.dumps(payload, separators=(",", ":")).replace("/", "\\/")
    body = text.encode("utf-8")
    return Response(status, "application/json", body, payload)


def success(message) -> Response:
    """Return the Dog API success envelope around `message`."""
    return json_response(HTTPStatus.OK, {"message": message, "status": "success"})


def error(message: str, status: int = HTTPStatus.NOT_FOUND) -> Response:
    """Return the Dog API error envelope with the given HTTP status."""
    payload = {"status": "error", "message": message, "code": int(status)}
    return json_response(status, payload)


def route_not_found(method: str, url: str) -> Response:
    """Return the error the real API sends for a path it has no route for."""
    # A public test suite for the real API asserts this message, including
    # the " with code: 0" suffix.
    return error(f'No route found for "{method} {url}" with code: 0')


def html_response(status: int, title: str) -> Response:
    """Return a small HTML page, as a proxy or an error page would send."""
    page = (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1></body></html>\n"
    )
    return Response(status, "text/html; charset=utf-8", page.encode("utf-8"))


class ApiRouter:
    """Router that builds Dog API responses for /api paths from a catalogue."""

    def __init__(self, catalogue: Catalogue, image_base: str, generator: random.Random):
        self.catalogue = catalogue
        self.image_base = image_base
        self.random = generator

    def route(self, method: str, path: str, url: str) -> Response:
        """Return the response for an /api path.

        `url` is the full request URL, which the route-not-found error quotes.
        """
        not_found = route_not_found(method, url)
        if method != "GET":
            return not_found

        segments = [unquote(part) for part in path[len(API_PREFIX) :].split("/")]
        if "" in segments:
            return not_found
        if segments[0] == "breeds":
            return self._route_breeds(segments[1:]) or not_found
        if segments[0] == "breed" and len(segments) >= 3:
            return self._route_breed(segments[1], segments[2:]) or not_found
        return not_found

    def _route_breeds(self, rest: list[str]) -> Response | None:
        if rest == ["list", "all"]:
            return success(self.catalogue.breeds)
        if rest == ["list"]:
            return success(list(self.catalogue.breeds))
        if rest[:2] == ["image", "random"] and len(rest) <= 3:
            folders = self.catalogue.all_folders()
            return self._random_images(folders, rest[2:], cap=MAX_RANDOM_COUNT)
        return None

    def _route_breed(self, breed: str, rest: list[str]) -> Response | None:
        # Route first, so that an unknown route wins over an unknown breed.
        if rest == ["list"]:
            kind = "list"
        elif rest[0] == "images" and (len(rest) == 1 or rest[1] == "random"):
            kind = "breed_images"
        elif len(rest) >= 2 and rest[1] == "images":
            kind = "sub_breed_images"
        else:
            return None
        if len(rest) > {"list": 1, "breed_images": 3, "sub_breed_images": 4}[kind]:
            return None
        if kind == "sub_breed_images" and len(rest) >= 3 and rest[2] != "random":
            return None

        if breed not in self.catalogue.breeds:
            return error(MAIN_BREED_NOT_FOUND)
        if kind == "list":
            return success(list(self.catalogue.breeds[breed]))
        if kind == "breed_images":
            folders = self.catalogue.folders(breed)
            return self._images(folders, rest[1:], cap=None)

        sub_breed = rest[0]
        if sub_breed not in self.catalogue.breeds[breed]:
            return error(SUB_BREED_NOT_FOUND)
        folders = [f"{breed}-{sub_breed}"]
        return self._images(folders, rest[2:], cap=MAX_RANDOM_COUNT)

    def _images(self, folders: list[str], rest: list[str], cap: int | None) -> Response:
        """Build the response for .../images, .../random or .../random/{n}."""
        if not rest:
            return success(self._urls(folders))
        return self._random_images(folders, rest[1:], cap)

    def _random_images(
        self, folders: list[str], count_part: list[str], cap: int | None
    ) -> Response:
        pool = self._urls(folders)
        if not count_part:
            # Only a custom images file can leave a folder empty.
            if not pool:
                return error(MAIN_BREED_NOT_FOUND)
            return success(self.random.choice(pool))
        count = parse_count(count_part[0])
        if cap is not None:
            count = min(count, cap)
        # Draw distinct images, so a pool smaller than n gives fewer than n.
        return success(self.random.sample(pool, min(count, len(pool))))

    def _urls(self, folders: list[str]) -> list[str]:
        return [
            f"{self.image_base}{folder}/{name}"
            for folder in folders
            for name in self.catalogue.image_names(folder)
        ]


def rewrite_message(fault: Fault, path: str, message, image_base: str):
    """Return the success `message` changed as the fault mode prescribes."""
    mode = fault.mode
    if mode == "empty_list":
        return {} if path == "/api/breeds/list/all" else []
    if mode == "truncated_list":
        count = int(fault.options["count"])
        if isinstance(message, dict):
            return dict(list(message.items())[:count])
        return message[:count]
    if mode == "wrong_type":
        # An object becomes a list, a list a string and a string a list.
        if isinstance(message, dict):
            return list(message)
        if isinstance(message, list):
            return ",".join(str(item) for item in message)
        return [message]
    if mode in ("foreign_host", "javascript_url", "markup_url"):
        if isinstance(message, list):
            return [_rewrite_url(mode, item, image_base) for item in message]
        return _rewrite_url(mode, message, image_base)
    return message


def _rewrite_url(mode: str, value, image_base: str):
    if not isinstance(value, str) or not value.startswith(image_base):
        return value
    if mode == "foreign_host":
        return FOREIGN_IMAGE_BASE + value[len(image_base) :]
    if mode == "javascript_url":
        return JAVASCRIPT_URL
    folder_url = value.rsplit("/", 1)[0]
    return f"{folder_url}/{MARKUP_INJECTION}.jpg"


def apply_fault(fault: Fault, path: str, response: Response, image_base: str):
    """Return the response to send instead, or None to reset the connection."""
    mode = fault.mode
    if mode == "reset":
        return None
    if mode == "http500_html":
        return html_response(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal Server Error")
    if mode == "http200_html":
        return html_response(HTTPStatus.OK, "Dog API is down for maintenance")
    if mode == "http503":
        return error("Service Unavailable", HTTPStatus.SERVICE_UNAVAILABLE)
    if mode == "error_404":
        return error(MAIN_BREED_NOT_FOUND)
    if mode == "status_error_200":
        payload = {"status": "error", "message": MAIN_BREED_NOT_FOUND, "code": 404}
        return json_response(HTTPStatus.OK, payload)
    if mode == "truncated_json":
        cut = response.body[: len(response.body) // 2]
        return Response(response.status, response.content_type, cut)
    if mode == "oversized":
        return _pad_response(response, int(fault.options["size"]))

    if response.payload is None or response.payload.get("status") != "success":
        return response
    message = rewrite_message(fault, path, response.payload["message"], image_base)
    return success(message)


def _pad_response(response: Response, size: int) -> Response:
    """Add a `padding` field so the JSON body is at least `size` bytes."""
    payload = dict(response.payload or {})
    missing = max(0, size - len(response.body))
    payload["padding"] = "x" * missing
    return json_response(response.status, payload)


class _StandinServer(ThreadingHTTPServer):
    # Let stop() return without waiting for handler threads. A request held
    # by the slow fault also wakes up through the stop event.
    block_on_close = False
    daemon_threads = True
    standin: DogApiStandin


class _Handler(BaseHTTPRequestHandler):
    # One request per connection, so no handler thread waits on an idle
    # keep-alive connection when the server stops.
    protocol_version = "HTTP/1.0"
    server_version = "DogApiStandin/1.0"
    server: _StandinServer

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def log_message(self, format, *args):
        logger.debug("%s %s", self.address_string(), format % args)

    def log_error(self, format, *args):
        logger.warning("%s %s", self.address_string(), format % args)

    def _dispatch(self, method: str) -> None:
        standin = self.server.standin
        path = urlsplit(self.path).path
        if path.startswith(CONTROL_PREFIX):
            self._send(standin._handle_control(method, self.path, self._read_body()))
            return

        standin._record(self.path)
        fault = standin._take_fault(path)
        if fault is not None and fault.mode == "slow":
            if not standin._wait_unless_stopping(float(fault.options["delay"])):
                self._reset_connection()
                return

        response = standin._respond(method, path, self.path)
        if fault is not None:
            response = apply_fault(fault, path, response, standin.image_base)
        if response is None:
            self._reset_connection()
            return
        self._send(response)

    def _read_body(self) -> bytes | None:
        """Read the request body, or return None for an invalid length."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if not 0 <= length <= MAX_CONTROL_BODY:
            return None
        return self.rfile.read(length)

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except ConnectionError as error:
            logger.debug(
                "Client disconnected before the response to %s: %s", self.path, error
            )

    def _reset_connection(self) -> None:
        """Close the socket so the kernel sends a TCP reset, not a response."""
        # SO_LINGER on with a zero timeout makes close() send RST and drop
        # unsent data. The socket object closes for real when finish() closes
        # rfile and wfile, which still hold references to it.
        linger = struct.pack("ii", 1, 0)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.connection.close()
        self.close_connection = True


class DogApiStandin:
    """An HTTP stand-in for the Dog API, running in a daemon thread.

    Use it as a context manager, or call start() and stop(). `api_url` goes
    where the site expects DOG_API_URL. Image URLs in responses point back at
    this server under `image_base`. Every request except those to the
    /_standin/ control endpoint is recorded, see `paths` and count().
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        catalogue_path: Path | str = DEFAULT_CATALOGUE,
        images_path: Path | str = DEFAULT_IMAGES,
        public_url: str | None = None,
        seed: int | None = None,
    ):
        """Load the catalogue. The server starts listening in start().

        `port` 0 takes a free port. `public_url` replaces ``http://host:port``
        in the URLs that responses contain, for clients that reach the
        stand-in under another name. `seed` makes random images repeatable.
        """
        self.host = host
        self.port = port
        self.public_url = public_url.rstrip("/") if public_url else None
        self.catalogue = Catalogue.from_files(Path(catalogue_path), Path(images_path))
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._paths: list[str] = []
        self._fault: Fault | None = None
        self._stopping = threading.Event()
        self._server: _StandinServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    def start(self) -> DogApiStandin:
        """Listen and serve in a daemon thread, returning self.

        A restart after stop() reuses the port of the previous run. Raises
        OSError when the port cannot be bound.
        """
        if self._server is not None:
            raise RuntimeError("The Dog API stand-in is already running.")
        server = _StandinServer((self.host, self.port), _Handler)
        server.standin = self
        self.port = server.server_address[1]
        self._stopping.clear()
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"dogapi-standin-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("Dog API stand-in listening on %s", self.api_url)
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket, freeing the port."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None
        self._thread = None
        logger.info("Dog API stand-in on port %s stopped", self.port)

    def __enter__(self) -> DogApiStandin:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._server is not None

    # URLs

    @property
    def base_url(self) -> str:
        """Root URL of the server, without a trailing slash."""
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Base URL of the Dog API endpoints, such as ``http://127.0.0.1:8001/api``."""
        return f"{self.base_url}/api"

    @property
    def image_base(self) -> str:
        """Prefix of every image URL, ending with ``/breeds/``."""
        return f"{self.base_url}/breeds/"

    # Request record

    @property
    def paths(self) -> list[str]:
        """Copy of the recorded request paths, as sent, oldest first."""
        with self._lock:
            return list(self._paths)

    def count(self, prefix: str | None = None) -> int:
        """Return how many recorded requests have a path starting with `prefix`."""
        with self._lock:
            if prefix is None:
                return len(self._paths)
            return sum(1 for path in self._paths if path.startswith(prefix))

    def reset(self) -> None:
        """Forget the recorded requests, keeping the current fault."""
        with self._lock:
            self._paths.clear()

    def _record(self, path: str) -> None:
        with self._lock:
            self._paths.append(path)

    # Faults

    def set_fault(self, mode: str, path_prefix: str | None = None, **options) -> None:
        """Replace the current fault with `mode`, one of FAULT_MODES.

        `path_prefix` limits the fault to request paths that start with it,
        such as "/api/breed/". The option `times` clears the fault after that
        many matching requests. Raises ValueError on an unknown mode or option.
        """
        fault = make_fault(mode, path_prefix, options)
        with self._lock:
            self._fault = fault
        logger.info("Dog API stand-in fault set: %s", fault.describe())

    def clear_fault(self) -> None:
        """Remove the fault, so every request gets its normal response."""
        with self._lock:
            self._fault = None

    @property
    def fault(self) -> dict | None:
        """Description of the current fault, or None."""
        with self._lock:
            return self._fault.describe() if self._fault else None

    def _take_fault(self, path: str) -> Fault | None:
        """Return the fault for this request, counting down its `times`."""
        with self._lock:
            fault = self._fault
            if fault is None or not fault_applies(fault, path):
                return None
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._fault = None
            return fault

    def _wait_unless_stopping(self, seconds: float) -> bool:
        """Sleep, returning False early if the server stops meanwhile."""
        return not self._stopping.wait(seconds)

    # Responses

    def _respond(self, method: str, path: str, raw_path: str) -> Response:
        """Build the normal response for an API or image request."""
        if path.startswith(IMAGE_PREFIX) and method == "GET":
            return self._image_response(path)
        router = ApiRouter(self.catalogue, self.image_base, self._random)
        if path.startswith(API_PREFIX):
            return router.route(method, path, self.base_url + raw_path)
        return route_not_found(method, self.base_url + raw_path)

    def _image_response(self, path: str) -> Response:
        parts = path[len(IMAGE_PREFIX) :].split("/")
        if len(parts) == 2:
            folder, name = (unquote(part) for part in parts)
            if self.catalogue.has_image(folder, name):
                return Response(HTTPStatus.OK, "image/png", make_png(folder))
        not_found = b"Not Found\n"
        return Response(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", not_found)

    def _handle_control(self, method: str, raw_path: str, body: bytes | None):
        """Handle a request to the /_standin/ control endpoint."""
        split = urlsplit(raw_path)
        action = (method, split.path)
        if action == ("POST", "/_standin/fault"):
            return self._control_set_fault(body)
        if action == ("DELETE", "/_standin/fault"):
            self.clear_fault()
            return success(None)
        if action == ("GET", "/_standin/fault"):
            return success(self.fault)
        if action == ("GET", "/_standin/requests"):
            prefix = parse_qs(split.query).get("prefix", [None])[0]
            return success(self._request_summary(prefix))
        if action == ("POST", "/_standin/reset"):
            self.reset()
            return success(None)
        return error(f"Unknown control action {method} {split.path}.")

    def _control_set_fault(self, body: bytes | None) -> Response:
        if body is None:
            return reject_control(
                "Invalid Content-Length: the request body must be at most "
                f"{MAX_CONTROL_BODY} bytes."
            )
        try:
            request = json.loads(body or b"null")
        except json.JSONDecodeError as decode_error:
            return reject_control(f"Request body is not valid JSON: {decode_error}")
        if not isinstance(request, dict) or not isinstance(request.get("mode"), str):
            return reject_control(
                'Request body must be a JSON object with a string "mode".'
            )

        options = dict(request)
        mode = options.pop("mode")
        path_prefix = options.pop("path_prefix", None)
        try:
            self.set_fault(mode, path_prefix, **options)
        except ValueError as invalid:
            return reject_control(str(invalid))
        return success(self.fault)

    def _request_summary(self, prefix: str | None) -> dict:
        paths = self.paths
        if prefix is not None:
            paths = [path for path in paths if path.startswith(prefix)]
        by_path: dict[str, int] = {}
        for path in paths:
            by_path[path] = by_path.get(path, 0) + 1
        return {"total": len(paths), "by_path": by_path, "paths": paths}


def reject_control(message: str) -> Response:
    """Log a rejected control request and return its HTTP 400 error."""
    logger.warning("Rejected Dog API stand-in control request: %s", message)
    return error(message, HTTPStatus.BAD_REQUEST)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.dogapi_standin",
        description="Serve a stand-in for the Dog API (dog.ceo) for offline use.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1). The control endpoint "
        "has no authentication, so keep it on a loopback address.",
    )
    parser.add_argument(
        "--port", type=int, default=8001, help="TCP port, 0 for any (default: 8001)"
    )
    parser.add_argument(
        "--catalogue",
        type=Path,
        default=DEFAULT_CATALOGUE,
        help="JSON file with a /breeds/list/all response "
        "(default: breeds/data/breeds-list-all.json)",
    )
    parser.add_argument(
        "--images",
        type=Path,
        default=DEFAULT_IMAGES,
        help="JSON file with real image names per folder "
        "(default: tests/data/images-sample.json)",
    )
    parser.add_argument(
        "--public-url",
        help="root URL that clients use to reach this server, written into "
        "response URLs (default: http://HOST:PORT)",
    )
    parser.add_argument(
        "--fault", choices=sorted(FAULT_MODES), help="fault to inject from the start"
    )
    parser.add_argument(
        "--fault-path-prefix",
        help="limit --fault to request paths starting with this prefix",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="log every request at DEBUG level"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the stand-in until SIGINT or SIGTERM and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    try:
        standin = DogApiStandin(
            args.host, args.port, args.catalogue, args.images, args.public_url
        )
        standin.start()
    except ValueError as invalid:
        parser.exit(2, f"Invalid data file: {invalid}\n")
    except OSError as bind_error:
        message = f"Failed to listen on {args.host}:{args.port}: {bind_error}\n"
        parser.exit(1, message)
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        logger.warning(
            "Listening on %s: anyone who reaches it can use the control endpoint.",
            args.host,
        )
    if args.fault:
        standin.set_fault(args.fault, path_prefix=args.fault_path_prefix)

    stop_requested = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop_requested.set())
    # The URL line is the program's output, for scripts that read DOG_API_URL.
    print(f"DOG_API_URL={standin.api_url}", flush=True)  # noqa: T201

    stop_requested.wait()
    standin.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
