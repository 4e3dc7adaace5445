from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword


class Command(changepassword.Command):
    help = (
        "Change a user's password. A lead is found by their email in any case: their username is "
        "the lower-cased email."
    )

    def handle(self, *args, **options):
        username = options["username"]
        if username and username != username.lower():
            users = get_user_model()._default_manager.using(options["database"])
            # An exact match wins: an administrator may have chosen a mixed-case username.
            if not users.filter(username=username).exists():
                options["username"] = username.lower()
        return super().handle(*args, **options)
