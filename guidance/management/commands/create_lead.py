from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from guidance.models import Authority


class Command(BaseCommand):
    help = "Create or update a safeguarding lead who may edit only the given authorities."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--authority",
            action="append",
            required=True,
            metavar="SLUG",
            help="An authority the lead keeps current; repeat for more than one.",
        )

    def handle(self, *args, email, authority, **options):
        slugs = list(dict.fromkeys(authority))
        authorities = list(Authority.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {a.slug for a in authorities})
        if missing:
            known = ", ".join(Authority.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No authority {', '.join(missing)} (known: {known})")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=email.lower(), defaults={"email": email}
        )
        if created:
            user.set_unusable_password()
        user.email = email
        user.is_staff = True
        user.save()
        user.authorities.set(authorities)
        names = ", ".join(a.name for a in authorities)
        self.stdout.write(f"{'Created' if created else 'Updated'} lead {email} for {names}.")
        if created:
            self.stdout.write(f"Set a password with: manage.py changepassword {user.username}")
