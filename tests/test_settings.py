import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).parent.parent


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_site_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_check()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_site_starts_with_a_secret_key():
    result = run_check(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_a_secret_key_starting_with_a_dollar_sign_is_taken_as_it_is():
    # django-environ reads "$NAME" as another variable's value; a random key may start with "$".
    result = run_check(SECRET_KEY="$" + "x" * 50)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("password", ["password", "12345678901", "Xq7#p"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_pass_phrase_is_accepted():
    assert validate_password("A-long-pass-phrase-9") is None
