"""Putting a list of rows in order: Move up, Move down and drag-and-drop in the admin.

A list ("group") is the rows that share the fields `admin.SIBLINGS` names: the indicators of one
domain at one level, the next steps of one level, an area's domains, contacts or guidance
sections. The admin's order view (guidance/admin.py, `OrderAdminMixin`) reads the group
locked, works out the new order here and saves the rows whose position changed through the
models, so every save bumps the authority's version (the cached pages change with it) and
django-simple-history records it with the reason "Moved".

Positions keep their values where they can: the rows in the new order take the group's own
positions, sorted, so only the rows that moved get a new one (a move up or down changes two
rows, a drag the rows between the old place and the new). Where two rows share a position (the
order would then be decided by their ids), the group is numbered 0, 1, 2… instead.
"""

MOVED = "Moved"


class OrderRefused(Exception):
    """A move that is not made, with the reason in a lead's words and the HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def group_key(row, fields):
    return tuple(getattr(row, field) for field in fields)


def group_filter(key, fields):
    return dict(zip(fields, key, strict=True))


def new_positions(rows):
    """The positions the rows take in this order (the group's own positions, sorted, unless two
    rows share one: then 0, 1, 2…)."""
    values = sorted(row.order for row in rows)
    if len(set(values)) < len(values):
        values = list(range(len(rows)))
    return values


def save_order(rows, user):
    """Give the rows, in their new order, their positions; save only those that change, one by
    one through the model (history with the reason "Moved", the version bump, any signal).
    Returns the rows saved. Call inside a transaction, with the group locked."""
    changed = []
    for row, position in zip(rows, new_positions(rows), strict=True):
        if row.order == position:
            continue
        row.order = position
        row._change_reason = MOVED
        row._history_user = user
        row.save(update_fields=["order"])
        changed.append(row)
    return changed


def moved_one_place(rows, row, direction):
    """The group's rows with `row` one place up or down (the same order if it cannot move)."""
    rows = list(rows)
    index = rows.index(row)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows
