"""Production static files: hashed names, compressed, far-future cache headers (whitenoise)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

PROBE = """
import json, django
from django.core.management import call_command
django.setup()
call_command("collectstatic", interactive=False, verbosity=0)
from django.templatetags.static import static
from django.test import Client
url = static("dist/main.css")
response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({
    "url": url,
    "status": response.status_code,
    "encoding": response.headers.get("Content-Encoding"),
    "cache": response.headers.get("Cache-Control"),
}))
"""


def test_static_files_are_hashed_compressed_and_cached_for_a_year_in_production(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thresholds_site.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "STATIC_MANIFEST": "true",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert (
        served["url"].startswith("/static/dist/main.") and served["url"] != "/static/dist/main.css"
    )
    assert served["status"] == 200
    assert served["encoding"] in ("gzip", "br")
    assert "max-age=315360000" in served["cache"]
    assert "immutable" in served["cache"]
