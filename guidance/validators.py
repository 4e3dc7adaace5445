"""What a stored value may look like, shared by the loader, the models, admin, pages and the API.

Guidance is imported by leads and shown to everyone, so a stored value is treated as hostile until
checked: a web address must be http(s) (a `javascript:` link in a public page could act with a
signed-in superuser's rights), and text must carry no control characters (PostgreSQL refuses NUL,
and the others only hide text).
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

WEB_SCHEMES = ("http", "https")
_url = URLValidator(schemes=list(WEB_SCHEMES))
_email = EmailValidator()
# As printed in the documents: digits with spaces, brackets, hyphens, an optional leading + and
# an optional extension ("01782 232200", "305770", "+44 (0)1482 448879 ext. 2").
_PHONE = re.compile(r"^\+?[0-9(][0-9 ()\-]{1,28}[0-9](?: ?(?:ext\.?|x) ?[0-9]{1,6})?$")
# Tab, line feed and carriage return are ordinary text; every other control character is not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def web_href(value):
    """The address to link to, or None if the value is not a safe web address.

    Documents print some addresses without a scheme ("www.sendiassglos.org.uk"); those are kept
    as printed and linked over https.
    """
    value = (value or "").strip()
    if not value or _CONTROL.search(value):
        return None
    scheme = urlsplit(value).scheme.lower() if "://" in value else ""
    candidate = value if scheme else f"https://{value}"
    if scheme and scheme not in WEB_SCHEMES:
        return None
    try:
        _url(candidate)
    except ValidationError:
        return None
    return candidate


def validate_web_address(value):
    if value and web_href(value) is None:
        raise ValidationError(
            "Enter a web address starting http:// or https:// (or a plain address such as "
            "www.example.org.uk)",
            code="invalid_web_address",
        )


def validate_email(value):
    _email(value)


def validate_phone(value):
    if not _PHONE.match(value or ""):
        raise ValidationError(
            "Enter a phone number as printed: digits, spaces, brackets, hyphens and an optional "
            "leading +",
            code="invalid_phone",
        )


def has_control_characters(value):
    return bool(_CONTROL.search(value or ""))


def validate_no_control_characters(value):
    if has_control_characters(value):
        raise ValidationError("Remove the control characters", code="control_characters")
