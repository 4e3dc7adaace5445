from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from guidance.models import Authority


class Command(BaseCommand):
    help = (
        "Create a safeguarding lead who may edit only the given authorities, or add authorities "
        "to an existing lead (--replace to replace them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The lead's email; their username is it in lower case")
        parser.add_argument(
            "--authority",
            action="append",
            required=True,
            metavar="SLUG",
            help="An authority the lead keeps current; repeat for more than one.",
        )
        parser.add_argument(
            "--approver",
            action="store_true",
            help=(
                "The lead may also publish the draft as the next edition (never their own "
                "changes alone, unless a superuser marks the area as having a single lead)."
            ),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="An existing lead keeps only the given authorities (by default they are added).",
        )

    def handle(self, *args, email, authority, approver, replace, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"'{email}' is not an email address") from None
        slugs = list(dict.fromkeys(authority))
        # Roles are held on the drafts, which the admin shows (guidance/editions.py).
        authorities = list(Authority.objects.drafts().filter(draft_of__slug__in=slugs))
        missing = sorted(set(slugs) - {a.public_slug for a in authorities})
        if missing:
            published = Authority.objects.published().values_list("slug", flat=True)
            known = ", ".join(published) or "none loaded"
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
        before = set(user.authorities.all())
        if created or replace:
            user.authorities.set(authorities)
        else:
            user.authorities.add(*authorities)
        if created or replace:
            user.approves.set(authorities if approver else [])
        elif approver:
            user.approves.add(*authorities)
        now = ", ".join(a.name for a in user.authorities.order_by("name"))
        approves = ", ".join(a.name for a in user.approves.order_by("name"))
        if created:
            self.stdout.write(f"Created lead {user.username} for {now}.")
            self.stdout.write(f"Set a password with: manage.py changepassword {user.username}")
        elif replace:
            self.stdout.write(f"Replaced the authorities of lead {user.username}; now: {now}.")
        else:
            added = ", ".join(a.name for a in authorities if a not in before) or "nothing new"
            self.stdout.write(f"Added {added} to lead {user.username}; now: {now}.")
        if approves:
            self.stdout.write(f"{user.username} may publish editions of {approves}.")
