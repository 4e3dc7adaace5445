"""Who may do what: superusers everything; a safeguarding lead only their own authorities' rows.

These object-level rules (django-rules) are the one place the admin asks about a row, and `scope`
the one place it narrows a queryset, both to the authorities a user leads. How a row reaches its
authority is said once, by its model's `authority_path` (guidance/models.py): `authority_id_of`
follows it from a row, `for_authorities` filters by it.
"""

import rules

from .models import authority_id_of

GUIDANCE_MODELS = ("level", "nextstep", "domain", "indicator", "contact", "guidancesection")


def lead_authority_ids(user):
    """The authorities a user leads, read once per request (cached on the user object)."""
    if not hasattr(user, "_lead_authority_ids"):
        user._lead_authority_ids = (
            # Leads are set on drafts (the rows the admin shows); published rows are never edited.
            frozenset(user.authorities.drafts().values_list("pk", flat=True))
            if user.is_authenticated
            else frozenset()
        )
    return user._lead_authority_ids


def scope(queryset, user):
    """Only the rows of the drafts of the authorities the user leads (of every draft for a
    superuser): published rows change only by publishing (guidance/editions.py)."""
    if user.is_superuser:
        return queryset.drafts()
    return queryset.for_authorities(lead_authority_ids(user))


@rules.predicate
def is_lead(user):
    return user.is_active and user.is_staff and bool(lead_authority_ids(user))


@rules.predicate
def leads_its_authority(user, obj):
    # Without an object the question is about the model as a whole (list, add).
    return obj is None or authority_id_of(obj) in lead_authority_ids(user)


can_edit = is_lead & leads_its_authority

for model in GUIDANCE_MODELS:
    # Every authority keeps exactly its four levels: nobody adds or deletes one. (Superusers pass
    # every rule, so the admin refuses them itself.)
    actions = ("view", "change") if model == "level" else ("view", "add", "change", "delete")
    for action in actions:
        rules.add_perm(f"guidance.{action}_{model}", can_edit)

# Leads keep their authority's details current but never create or delete an authority.
rules.add_perm("guidance.view_authority", can_edit)
rules.add_perm("guidance.change_authority", can_edit)


def can_preview(user, authority):
    """Whether the user may see a draft's pages: its leads and approvers (and superusers)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return (
        authority.leads.filter(pk=user.pk).exists()
        or authority.approvers.filter(pk=user.pk).exists()
    )


def can_publish(user, authority):
    """Whether the user may publish the draft of `authority` (the published one): its approvers
    (set on the draft) and superusers."""
    if user.is_superuser:
        return True
    return authority.draft.approvers.filter(pk=user.pk).exists()
