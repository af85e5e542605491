"""The search box's autocomplete: the form's data- attributes and the script."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

SCRIPT_PATH = (
    Path(__file__).resolve().parent.parent / "static" / "js" / "search-autocomplete.js"
)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def test_form_points_at_autocomplete(client, catalogue):
    content = client.get("/").content.decode()

    assert 'data-autocomplete-url="/api/autocomplete/"' in content
    assert 'data-listbox-label="Breed suggestions"' in content
    assert "data-status-results=" in content
    assert "data-status-empty=" in content


def test_form_works_without_script(client, catalogue):
    content = client.get("/breeds/").content.decode()

    assert 'action="/search/"' in content
    assert 'method="get"' in content
    assert 'name="q"' in content
    assert 'type="submit"' in content


def test_page_loads_script_from_static(client, catalogue):
    content = client.get("/breeds/").content.decode()
    scripts = SCRIPT_TAG.findall(content)

    assert len(scripts) == 1
    assert 'src="/static/js/search-autocomplete.js"' in scripts[0][0]
    assert "defer" in scripts[0][0]
    assert scripts[0][1].strip() == ""


def test_csp_allows_autocomplete_fetch(client, catalogue):
    policy = client.get("/").headers["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy


def test_script_is_served(client, db):
    response = client.get("/static/js/search-autocomplete.js")

    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]


def test_script_uses_aria_combobox():
    script = SCRIPT_PATH.read_text(encoding="utf-8")

    for needle in (
        '"combobox"',
        '"listbox"',
        '"option"',
        '"aria-expanded"',
        '"aria-activedescendant"',
        '"ArrowDown"',
        '"ArrowUp"',
        '"Enter"',
        '"Escape"',
    ):
        assert needle in script, needle


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_script_parses_in_node():
    result = subprocess.run(
        ["node", "--check", str(SCRIPT_PATH)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
