"""Who may do what: superusers everything; a safeguarding lead only their own authorities' rows.

These object-level rules (django-rules) are the one place the admin asks; querysets are scoped to
the same authorities by `Authority.objects.for_user` and `authority_filter`.
"""

import rules

from .models import Authority, Indicator, NextStep

GUIDANCE_MODELS = ("level", "nextstep", "domain", "indicator", "contact", "guidancesection")


def lead_authority_ids(user):
    """The authorities a user leads, read once per request (cached on the user object)."""
    if not hasattr(user, "_lead_authority_ids"):
        user._lead_authority_ids = (
            frozenset(user.authorities.values_list("pk", flat=True))
            if user.is_authenticated
            else frozenset()
        )
    return user._lead_authority_ids


def authority_id_of(obj):
    """The authority a row belongs to, also for a deleted row rebuilt from its history."""
    if isinstance(obj, Authority):
        return obj.pk
    if isinstance(obj, NextStep):
        return _authority_through(obj, "level")
    if isinstance(obj, Indicator):
        return _authority_through(obj, "domain") or _authority_through(obj, "level")
    return obj.authority_id


def _authority_through(obj, relation):
    model = obj._meta.get_field(relation).related_model
    pk = getattr(obj, f"{relation}_id")
    found = model.objects.filter(pk=pk).values_list("authority_id", flat=True).first()
    if found is None:  # the parent was deleted too: its history still knows the authority
        found = (
            model.history.filter(id=pk).values_list("authority_id", flat=True).first()
            if hasattr(model, "history")
            else None
        )
    return found


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
