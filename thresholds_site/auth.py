"""Sign-in by email in any case: leads' usernames are their lower-cased email addresses."""

from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username, password, **kwargs)
        if user is None and username and username != username.lower():
            # Exact match first: an administrator may have chosen a mixed-case username.
            user = super().authenticate(request, username.lower(), password, **kwargs)
        return user


def lockout_username(request, credentials):
    """The username django-axes counts failures against, so no change of case escapes a lockout."""
    # As django-axes finds it when no callable is set: the credentials, else the posted form.
    username = (credentials or request.POST).get("username")
    return username.lower() if username else username
