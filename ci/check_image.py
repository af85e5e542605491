"""Check a running dogsite container as the OpenShift router and kubelet would.

ci/image-test.sh starts the container and then runs this script with the
Python standard library only. Every request goes to 127.0.0.1, and the Host
and X-Forwarded-Proto headers stand in for the pod IP that probes send and for
the router's TLS termination. Exits non-zero on the first failed check.
"""

import argparse
import html.parser
import http.client
import json
import sys
import urllib.parse
from http.cookies import SimpleCookie

# A pod IP as a kubelet sends it in Host. Only the header carries it: the
# request itself goes to 127.0.0.1.
POD_IP_HOST = "10.128.2.15:8080"


class CheckFailed(Exception):
    pass


class Response:
    def __init__(self, raw):
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read()

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def cookies(self):
        """Return the Set-Cookie headers parsed into one SimpleCookie."""
        jar = SimpleCookie()
        for header in self.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return jar


class StylesheetFinder(html.parser.HTMLParser):
    """Collect the href of every <link rel="stylesheet">."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.hrefs.append(attributes.get("href", ""))


class CsrfTokenFinder(html.parser.HTMLParser):
    """Find the value of the csrfmiddlewaretoken hidden input."""

    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.token = attributes.get("value")


class Site:
    def __init__(self, port, host):
        self.port = port
        self.host = host

    def request(self, method, path, host=None, https=True, headers=None, body=None):
        """Send one request to 127.0.0.1 as if it came through the router."""
        all_headers = {"Host": host or self.host}
        if https:
            all_headers["X-Forwarded-Proto"] = "https"
        all_headers.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            return Response(connection.getresponse())
        finally:
            connection.close()


def report(message):
    """Write one line of progress to stdout (ruff's T20 rules out print)."""
    sys.stdout.write(message + "\n")


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def expect_status(response, status, what):
    expect(
        response.status == status,
        f"{what}: expected HTTP {status}, got {response.status}: {response.text[:300]}",
    )


def check_probes(site):
    for path in ("/healthz", "/readyz"):
        response = site.request("GET", path, host=POD_IP_HOST, https=False)
        expect_status(response, 200, f"{path} with the pod IP as Host over plain HTTP")
        status = json.loads(response.body).get("status")
        expect(status == "ok", f"{path}: expected status ok, got {status!r}")
        report(f"ok: {path} returns 200 with Host {POD_IP_HOST} and no TLS header")


def check_https_redirect(site):
    response = site.request("GET", "/", https=False)
    expect_status(response, 301, "/ without X-Forwarded-Proto")
    location = response.headers.get("Location", "")
    expect(
        location == f"https://{site.host}/",
        f"/ without X-Forwarded-Proto: expected a redirect to https, got {location!r}",
    )
    report("ok: plain HTTP is redirected to https://")


def check_breed_page(site, image_base):
    response = site.request("GET", "/breeds/hound/")
    expect_status(response, 200, "/breeds/hound/")
    expect(
        image_base in response.text,
        f"/breeds/hound/: no image URL starting with {image_base} in the page",
    )
    hsts = response.headers.get("Strict-Transport-Security", "")
    expect("max-age=" in hsts, "/breeds/hound/: Strict-Transport-Security missing")
    report(f"ok: /breeds/hound/ lists images from {image_base} and sends HSTS")
    return response


def check_stylesheet(site, page):
    finder = StylesheetFinder()
    finder.feed(page.text)
    stylesheets = [href for href in finder.hrefs if "/css/site" in href]
    expect(stylesheets, "the breed page links no css/site stylesheet")
    path = stylesheets[0]
    response = site.request("GET", path)
    expect_status(response, 200, path)
    content_type = response.headers.get("Content-Type", "")
    expect(content_type.startswith("text/css"), f"{path}: Content-Type {content_type}")
    report(f"ok: {path} is served as {content_type}")

    response = site.request("GET", "/static/css/site.css")
    expect_status(response, 200, "/static/css/site.css")
    report("ok: /static/css/site.css is served")


def check_admin_login(site, username, password):
    origin = f"https://{site.host}"
    response = site.request("GET", "/admin/login/")
    expect_status(response, 200, "/admin/login/")
    cookies = response.cookies()
    expect("csrftoken" in cookies, "/admin/login/ set no csrftoken cookie")
    expect(cookies["csrftoken"]["secure"], "the csrftoken cookie is not Secure")
    finder = CsrfTokenFinder()
    finder.feed(response.text)
    expect(finder.token, "/admin/login/ has no csrfmiddlewaretoken field")

    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": finder.token,
            "username": username,
            "password": password,
            "next": "/admin/",
        }
    )
    response = site.request(
        "POST",
        "/admin/login/?next=/admin/",
        headers={
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/admin/login/",
        },
        body=form.encode(),
    )
    expect_status(response, 302, "admin login POST")
    session = response.cookies()
    expect("sessionid" in session, "admin login set no sessionid cookie")
    expect(session["sessionid"]["secure"], "the sessionid cookie is not Secure")

    response = site.request(
        "GET", "/admin/", headers={"Cookie": f"sessionid={session['sessionid'].value}"}
    )
    expect_status(response, 200, "/admin/ after login")
    report("ok: admin login over the TLS route works with Secure cookies")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="gunicorn's port")
    parser.add_argument("--host", default="dogsite.test", help="public host name")
    parser.add_argument(
        "--image-base", required=True, help="expected start of image URLs"
    )
    parser.add_argument("--admin-username", required=True)
    parser.add_argument("--admin-password", required=True)
    arguments = parser.parse_args()
    site = Site(arguments.port, arguments.host)

    try:
        check_probes(site)
        check_https_redirect(site)
        page = check_breed_page(site, arguments.image_base)
        check_stylesheet(site, page)
        check_admin_login(site, arguments.admin_username, arguments.admin_password)
    except CheckFailed as failure:
        sys.stderr.write(f"FAILED: {failure}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
