"""The threshold guidance of local safeguarding partnerships.

An authority publishes one document. It describes four levels of need (a common 1-4 scale with
local names), groups indicators into domains (optionally nested), and says per level what to do
next and whom to call. Every domain with indicators carries a shared theme so that authorities can
be compared with each other.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from simple_history.models import HistoricalRecords

from .addresses import address
from .validators import validate_web_address

WEB_ADDRESS_HELP = (
    "As printed: starting http:// or https://, or a plain address (www.example.org.uk)."
)


ORDER_HELP = "Where it comes in its list, the lowest number first."

INCOMPLETE_HELP = (
    "What is cut off or missing in the published document, when this text is incomplete there "
    "(pages then mark it as incomplete); empty when the text is whole."
)


class LevelNumber(models.IntegerChoices):
    """The common scale every authority's four levels sit on; the one place 1-4 is written."""

    UNIVERSAL = 1, "Level 1"
    ADDITIONAL = 2, "Level 2"
    TARGETED = 3, "Level 3"
    SPECIALIST = 4, "Level 4"


class Theme(models.TextChoices):
    HEALTH = "health", "Health"
    LEARNING = "learning", "Learning and education"
    EMOTIONAL = "emotional", "Emotional and behavioural development"
    IDENTITY = "identity", "Identity, relationships and social presentation"
    SELF_CARE = "self-care", "Self-care and independence"
    PARENTING = "parenting", "Parenting capacity"
    FAMILY = "family", "Family history and functioning"
    HOUSING = "housing", "Housing, employment and income"
    COMMUNITY = "community", "Community and social integration"
    OUTSIDE_HOME = "outside-home", "Risks outside the home and exploitation"


class SectionKind(models.TextChoices):
    SIGNIFICANT_HARM = "significant-harm", "Significant harm"
    CONSENT = "consent", "Consent and information sharing"
    STEP_UP_STEP_DOWN = "step-up-step-down", "Step up and step down"
    DISAGREEMENTS = "disagreements", "Resolving professional disagreements"
    GLOSSARY = "glossary", "Glossary"
    OTHER = "other", "Other guidance"


class GuidanceQuerySet(models.QuerySet):
    """Rows of any guidance model. Each model names its way to its authority once, in
    `authority_path`; scoping by authority (admin, rules, tests) goes through here."""

    def for_authorities(self, authorities):
        """The rows belonging to these authorities (Authority rows, their ids, or a queryset)."""
        if not isinstance(authorities, models.QuerySet):
            # `pk__in` (an Authority's own path) takes ids only; foreign keys take either.
            authorities = [getattr(authority, "pk", authority) for authority in authorities]
        return self.filter(**{f"{self.model.authority_path}__in": authorities})

    def published(self):
        """The rows the public sees: not those of the drafts leads edit (`Authority.draft_of`)."""
        return self.filter(**{self._draft_of_path(): True})

    def drafts(self):
        return self.filter(**{self._draft_of_path(): False})

    def _draft_of_path(self):
        path = self.model.authority_path
        return "draft_of__isnull" if path == "pk" else f"{path}__draft_of__isnull"

    def in_list_order(self):
        """Rows with a position (`order`) as their list in the document has them: by position,
        then key. Not the models' default orderings, which join the authorities to sort many
        areas' rows by name (for one area's rows, a join that orders nothing)."""
        return self.order_by("order", "id")


def records_for_authorities(records, authorities):
    """History records (`Model.history`) of these authorities' rows, deleted rows included.

    A record keeps its row's foreign keys, so the model's `authority_path` reaches the authority
    from the record too; only the row's own key is called `id` there (a record's pk is its own).
    """
    model = records.model.instance_type
    path = model._meta.pk.name if model.authority_path == "pk" else model.authority_path
    return records.filter(**{f"{path}__in": authorities})


def authority_id_of(row):
    """The id of the authority a row belongs to, following its model's `authority_path`.

    The path is followed from the row's own foreign keys, so this answers for a row not saved yet
    and for a deleted row rebuilt from its history; a related row deleted too is read as its
    history last recorded it.
    """
    *relations, last = type(row).authority_path.split("__")
    for name in relations:
        field = row._meta.get_field(name)
        row = _row_or_last_record(field.related_model, getattr(row, field.attname))
        if row is None:
            return None
    return row.pk if last == "pk" else getattr(row, row._meta.get_field(last).attname)


def _row_or_last_record(model, pk):
    try:
        return model._default_manager.get(pk=pk)
    except model.DoesNotExist:
        record = model.history.filter(**{model._meta.pk.name: pk}).order_by("-history_id").first()
        return record.instance if record else None


class AuthorityQuerySet(GuidanceQuerySet):
    def with_levels(self):
        """With their four levels in order, each knowing its authority (for its address).
        Ordered by number alone: Level's default ordering joins the authorities to sort by their
        names, which for one area's levels is nothing."""
        return self.prefetch_related(models.Prefetch("levels", Level.objects.order_by("number")))

    def bump_versions(self):
        """Add one to these authorities' versions, in the caller's transaction (see
        `bump_versions`): for writes that send no signals, such as the loader's bulk writes."""
        return self.update(version=F("version") + 1)


# A draft's slug is its published authority's slug with this added: a real slug never holds "--"
# (the loader refuses it), so no published address can name a draft by accident.
DRAFT_SUFFIX = "--draft"
SLUG_MAX_LENGTH = 50


class Authority(models.Model):
    """An area's guidance. Each area is two rows: the published authority, which the public pages,
    the API and search show, and its draft (`draft_of` set), which leads edit in the admin and
    an approver publishes as the next edition (guidance/editions.py)."""

    # Fields are declared in the order the admin shows them.
    name = models.CharField(max_length=100, help_text="The area's name, as the pages show it.")
    slug = models.SlugField(
        "web address name",
        max_length=SLUG_MAX_LENGTH + len(DRAFT_SUFFIX),
        unique=True,
        help_text="The part of the pages' web addresses that names the area, e.g. stoke-on-trent.",
    )
    partnership = models.CharField(
        max_length=200, help_text="The safeguarding partnership that publishes the document."
    )
    document_title = models.CharField(
        max_length=300, help_text="The title of the published threshold document."
    )
    edition = models.CharField(
        max_length=200, help_text="The document's edition or date, as the document states it."
    )
    source_file = models.CharField(
        max_length=200,
        blank=True,
        help_text="The file the document was copied from (kept by the site's administrators).",
    )
    website = models.CharField(
        max_length=200, blank=True, validators=[validate_web_address], help_text=WEB_ADDRESS_HELP
    )
    caveat = models.TextField(
        blank=True,
        help_text="The document's own words on professional judgement (not a checklist).",
    )
    emergency_route = models.TextField(
        blank=True,
        help_text=(
            "The document's own words on whom to contact about significant harm, for a document "
            "that prints no number for it; shown in the emergency banner."
        ),
    )
    leads = models.ManyToManyField(
        "auth.User",
        blank=True,
        related_name="authorities",
        help_text="Safeguarding leads who may edit this area's guidance.",
    )
    # Roles are set on the draft, the row the admin shows.
    approvers = models.ManyToManyField(
        "auth.User",
        blank=True,
        related_name="approves",
        help_text="People who may publish the draft as the next edition.",
    )
    single_lead = models.BooleanField(
        default=False,
        help_text=(
            "The partnership has one lead, who may publish their own changes without a second "
            "person's approval."
        ),
    )
    draft_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="draft",
        help_text="The published area this draft becomes when published.",
    )
    # On a published authority: its newest edition (the `Edition` row), for pages to show
    # without a query.
    published_edition = models.PositiveIntegerField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Bumped in the same transaction as every change to the authority or its rows (see
    # `bump_versions` below); pages and API answers are cached under it (guidance/caching.py).
    version = models.PositiveBigIntegerField(default=1, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "leads",
            "approvers",
            "version",
            "draft_of",
            "published_edition",
            "published_at",
        ]
    )
    objects = AuthorityQuerySet.as_manager()
    authority_path = "pk"

    class Meta:
        ordering = ["name"]
        verbose_name = "area"
        verbose_name_plural = "areas"
        constraints = [
            # A draft carries its published authority's name.
            models.UniqueConstraint(
                fields=["name"], condition=Q(draft_of__isnull=True), name="unique_published_name"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("guidance:authority", self.slug)

    @property
    def is_draft(self):
        return self.draft_of_id is not None

    @property
    def edition_label(self):
        """The edition a page shows ("edition 3"): this site's, or the document's own before
        the area has editions."""
        return f"edition {self.published_edition}" if self.published_edition else self.edition

    @property
    def public_slug(self):
        """The slug the area's documents carry (a draft's, without its suffix)."""
        return self.slug.removesuffix(DRAFT_SUFFIX) if self.is_draft else self.slug

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        # A save never writes `version` back: an instance read before a bump would otherwise put
        # an old number back, and a page cached under that number would be served again.
        values = [value for value in values if value[0].attname != "version"]
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)

    @cached_property
    def has_indicators(self):
        """Whether the document has indicators: pages offer the indicators, the table and the
        slides only where it does (Gloucestershire's document has no indicator table). One
        small query when first asked for; a page that reads the area's indicators anyway sets
        it instead, and pages that never ask pay nothing."""
        return Indicator.objects.filter(domain__authority_id=self.pk).exists()

    @cached_property
    def emergency_contacts(self):
        """The authority's routes for immediate danger or significant harm, as the emergency
        banner and the printed route show them: plain rows (`name`, `phones`, `hours`), read
        in one query when first used (every authority page shows them)."""
        return list(self.contacts.emergency().in_list_order().values("name", "phones", "hours"))

    @cached_property
    def front_door_contacts(self):
        """The significant-harm routes with a number of their own (999 is shown anyway); the
        banner and the printed route both show them."""
        return [c for c in self.emergency_contacts if c["phones"] and c["phones"] != ["999"]]


class Level(models.Model):
    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        related_name="levels",
        verbose_name="area",
        help_text="The area it belongs to.",
    )
    number = models.PositiveSmallIntegerField(
        "level",
        choices=LevelNumber.choices,
        help_text="1 universal, 2 additional, 3 targeted or intensive, 4 specialist.",
    )
    name = models.CharField(max_length=200, help_text="The local name, e.g. 'Initial Early Help'.")
    summary = models.TextField(help_text="A short description in the document's own words.")
    definition = models.TextField(
        blank=True, help_text="The level's full description in the document's own words."
    )

    history = HistoricalRecords()
    objects = GuidanceQuerySet.as_manager()
    authority_path = "authority"

    class Meta:
        ordering = ["authority__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="one_level_per_number"),
            models.CheckConstraint(
                condition=Q(number__gte=min(LevelNumber), number__lte=max(LevelNumber)),
                name="level_number_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.authority}: Level {self.number} {self.name}"

    def get_absolute_url(self):
        return address("guidance:level", self.authority.slug, self.number)

    @property
    def definition_repeats_summary(self):
        return self.definition.startswith(self.summary)

    @property
    def reachable_contacts(self):
        """The level's contacts shown as cards: those the document gives a way to reach
        (`Contact.reachable`). Reads `contacts` as prefetched."""
        return [contact for contact in self.contacts.all() if contact.reachable]

    def contact_cards(self, cards):
        """`reachable_contacts` from the area's contacts read as cards (`ContactQuerySet.cards`)."""
        return [card for card in cards if card["reachable"] and self.pk in card["level_ids"]]


class NextStep(models.Model):
    level = models.ForeignKey(
        Level,
        on_delete=models.CASCADE,
        related_name="next_steps",
        help_text="The level whose page shows this step.",
    )
    heading = models.CharField(
        max_length=200, help_text="The heading, e.g. 'Referral route' or 'Consent'."
    )
    text = models.TextField(help_text="What to do, in the document's own words.")
    incomplete = models.TextField(blank=True, help_text=INCOMPLETE_HELP)
    order = models.PositiveIntegerField("position", default=0, help_text=ORDER_HELP)

    history = HistoricalRecords()
    objects = GuidanceQuerySet.as_manager()
    authority_path = "level__authority"

    class Meta:
        ordering = ["level", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="next_step_text_not_empty"),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return self.level.get_absolute_url()


class Domain(models.Model):
    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        related_name="domains",
        verbose_name="area",
        help_text="The area it belongs to.",
    )
    name = models.CharField(
        max_length=200, help_text="The domain's name as the document prints it, e.g. 'Health'."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name="group",
        help_text="The domain it is grouped under, if any (domains group one deep only).",
    )
    theme = models.CharField(
        max_length=20,
        choices=Theme.choices,
        blank=True,
        help_text="The theme every area shares, so areas can be compared; needed once the "
        "domain has indicators.",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where in the document this domain's indicators are."
    )
    order = models.PositiveIntegerField("position", default=0, help_text=ORDER_HELP)

    history = HistoricalRecords()
    objects = GuidanceQuerySet.as_manager()
    authority_path = "authority"

    class Meta:
        ordering = ["authority__name", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="unique_domain_name"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="domain_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.path

    def get_absolute_url(self):
        url = reverse("guidance:indicators", args=[self.authority.slug])
        return f"{url}?{urlencode({'domain': self.name})}"

    @property
    def path(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def clean(self):
        if not self.theme and self.pk and self.indicators.exists():
            # Areas are compared by theme; the loader refuses such a domain too.
            raise ValidationError(
                {"theme": "A domain with indicators needs a theme: choose the closest one."}
            )
        if not self.parent_id:
            return
        # Pages, filters and the YAML format know one level of grouping, no more.
        if self.parent.authority_id != self.authority_id:
            raise ValidationError({"parent": "The parent domain belongs to another authority."})
        if self.parent_id == self.pk:
            raise ValidationError({"parent": "A domain cannot be its own parent."})
        if self.parent.parent_id:
            raise ValidationError(
                {"parent": f"Domains group one deep: {self.parent} is itself in a group."}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This domain groups other domains, so it cannot go in a group itself."}
            )


class IndicatorQuerySet(GuidanceQuerySet):
    def with_context(self):
        """Everything a list of indicators shows, in a fixed number of queries."""
        return self.select_related("level", "domain__parent", "domain__authority")

    def of_theme(self, theme):
        """Indicators of domains carrying this theme, or every indicator for no theme ("")."""
        return self.filter(domain__theme=theme) if theme else self

    def same_theme_at_other_levels(self, indicator):
        """The indicator's authority's indicators of its theme at the other levels (none if
        its domain has no theme)."""
        if not indicator.domain.theme:
            return self.none()
        return (
            self.for_authorities([indicator.domain.authority_id])
            .of_theme(indicator.domain.theme)
            .exclude(level=indicator.level)
        )

    def in_domain(self, name):
        """Indicators of a domain, or of every domain grouped under it, by name."""
        return self.filter(Q(domain__name__iexact=name) | Q(domain__parent__name__iexact=name))

    def in_document_order(self):
        return self.order_by("domain__authority__name", "level__number", "domain__order", "order")

    def in_area_order(self):
        """One area's indicators in its document's order: `in_document_order` without the join
        to the authorities that sorts several areas by name (one area's all sort alike)."""
        return self.order_by("level__number", "domain__order", "order")

    # The columns of `listed()`, in its order; guidance/tables.py `listed_indicators` reads them.
    LISTED_COLUMNS = (
        "pk",
        "text",
        "strategy_discussion",
        "incomplete",
        "domain_id",
        "domain__name",
        "domain__parent__name",
        "domain__order",
        "level_id",
        "level__number",
        "level__name",
    )

    def listed(self):
        """Only what a list or table of one authority's indicators shows, as tuples (no model
        instances): see `guidance.tables.listed_indicators`."""
        return self.values_list(*self.LISTED_COLUMNS)


class Indicator(models.Model):
    domain = models.ForeignKey(
        Domain,
        on_delete=models.CASCADE,
        related_name="indicators",
        help_text="The domain it is listed under. Moved to another, it goes last there.",
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.CASCADE,
        related_name="indicators",
        help_text="The level whose page lists it. Moved to another, it goes last there.",
    )
    text = models.TextField(help_text="The document's own words.")
    order = models.PositiveIntegerField("position", default=0, help_text=ORDER_HELP)
    strategy_discussion = models.BooleanField(
        default=False, help_text="The document marks this as needing a strategy discussion."
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where in the document, if not the domain's source."
    )
    note = models.TextField(
        blank=True, help_text="Note: for editors only, never shown to the public."
    )
    incomplete = models.TextField(blank=True, help_text=INCOMPLETE_HELP)

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()
    authority_path = "domain__authority"

    class Meta:
        ordering = ["level__number", "domain__order", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="indicator_text_not_empty"),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return address("guidance:indicator", self.domain.authority.slug, self.pk)

    @property
    def document_source(self):
        return self.source or self.domain.source

    def clean(self):
        if self.domain_id and self.level_id and self.domain.authority_id != self.level.authority_id:
            raise ValidationError(
                {"level": "The level and the domain belong to different authorities."}
            )


class ContactQuerySet(GuidanceQuerySet):
    def emergency(self):
        """The routes for immediate danger or significant harm (`Contact.emergency`)."""
        return self.filter(emergency=True)

    # What a contact card shows (includes/contact_card.html), and the row's id for its edit link.
    CARD_FIELDS = ("pk", "name", "phones", "emails", "url", "hours", "covers", "emergency")

    def cards(self):
        """These contacts as plain rows, in their order within their area: dicts of CARD_FIELDS
        with `reachable` (`Contact.reachable`) and `level_ids`, the ids of the levels the
        contact serves. One query, joined to the levels, where instances with their levels
        prefetched take two; a page picks a level's contacts and the emergency ones from it."""
        cards = {}
        rows = self.in_list_order().values(*self.CARD_FIELDS, "levels")
        for row in rows:
            level_id = row.pop("levels")
            card = cards.get(row["pk"])
            if card is None:
                reachable = any(row[way] for way in self.model.WAYS_TO_REACH)
                card = cards[row["pk"]] = {**row, "reachable": reachable, "level_ids": set()}
            if level_id is not None:
                card["level_ids"].add(level_id)
        return list(cards.values())


class Contact(models.Model):
    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name="area",
        help_text="The area it belongs to.",
    )
    name = models.CharField(
        max_length=300, help_text="The team or service, as the document names it."
    )
    phones = models.JSONField(default=list, blank=True, help_text="Numbers as printed.")
    emails = models.JSONField(default=list, blank=True, help_text="Addresses as printed.")
    url = models.CharField(
        "web address",
        max_length=500,
        blank=True,
        validators=[validate_web_address],
        help_text=WEB_ADDRESS_HELP,
    )
    hours = models.CharField(
        max_length=200, blank=True, help_text="When they can be reached, as printed."
    )
    # "area" in the YAML and the API; here "covers", as pages call an authority an area.
    covers = models.TextField(blank=True, help_text="The wards or places the contact covers.")
    levels = models.ManyToManyField(
        Level,
        blank=True,
        related_name="contacts",
        help_text="Levels: this contact is shown on these level pages.",
    )
    emergency = models.BooleanField(
        default=False, help_text="The route for immediate danger or significant harm."
    )
    notes = models.TextField(
        blank=True, help_text="Notes: for editors only, never shown to the public."
    )
    order = models.PositiveIntegerField("position", default=0, help_text=ORDER_HELP)

    history = HistoricalRecords(m2m_fields=[levels])
    objects = ContactQuerySet.as_manager()
    authority_path = "authority"

    class Meta:
        ordering = ["authority__name", "order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.authority.get_absolute_url()

    # The ways of getting in touch a document may give; search reads the same columns.
    WAYS_TO_REACH = ("phones", "emails", "url")

    @property
    def reachable(self):
        """Whether the document gives a way to get in touch (a number, email or web address);
        pages show only such contacts as cards, and search offers only them."""
        return any(getattr(self, way) for way in self.WAYS_TO_REACH)


class GuidanceSection(models.Model):
    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name="area",
        help_text="The area it belongs to.",
    )
    slug = models.SlugField(
        "web address name",
        max_length=100,
        help_text="The last part of the section's web address, e.g. consent.",
    )
    kind = models.CharField(
        "type",
        max_length=20,
        choices=SectionKind.choices,
        default=SectionKind.OTHER,
        help_text="What the section is about.",
    )
    title = models.CharField(max_length=300, help_text="The heading shown on its page.")
    body = models.TextField("text", help_text="The section's text, in the document's own words.")
    order = models.PositiveIntegerField("position", default=0, help_text=ORDER_HELP)

    history = HistoricalRecords()
    objects = GuidanceQuerySet.as_manager()
    authority_path = "authority"

    class Meta:
        ordering = ["authority__name", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="unique_section_slug"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("guidance:section", self.authority.slug, self.slug)


class Edition(models.Model):
    """One publication of an authority's guidance: the whole document as published, as
    `export_thresholds` writes it, so any edition can be downloaded, compared or restored."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    summary = models.TextField(help_text="What changed, in a sentence or two, for practitioners.")
    # Names as they were, not links: the record outlives the accounts.
    prepared_by = models.TextField(blank=True, help_text="Who changed the draft, by email.")
    approved_by = models.CharField(max_length=254, blank=True)
    document = models.TextField()

    class Meta:
        ordering = ["authority", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="one_edition_per_number"),
        ]

    def __str__(self):
        return f"{self.authority} edition {self.number}"

    def get_absolute_url(self):
        return reverse("guidance:changes", args=[self.authority.slug]) + f"#edition-{self.number}"


class ImportPreview(models.Model):
    """An uploaded YAML file kept on the server between its preview and "Apply".

    The apply form posts only this row's id, so a large file is never sent back through the
    browser, and the fingerprint shows whether the authority changed after the lead saw the preview.
    """

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    text = models.TextField()
    fingerprint = models.CharField(
        max_length=64, help_text="sha256 of the authority's export when the preview was made."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.file_name} for {self.authority_id} by {self.user_id}"


# --- Versions: what makes a cached page stale ---------------------------------------------------


def bump_versions(authority_ids):
    """Add one to these authorities' versions, in the caller's transaction. Every public page and
    API answer is cached under the versions it shows (guidance/caching.py), so a change and its
    bump are seen together or not at all."""
    ids = {pk for pk in authority_ids if pk is not None}
    if ids:
        Authority.objects.filter(pk__in=ids).bump_versions()


def _bump_for_row(sender, instance, raw=False, **kwargs):
    bump_versions([authority_id_of(instance)])


def _bump_for_contact_levels(sender, instance, action, **kwargs):
    # From either side: contact.levels.add(...) or level.contacts.add(...).
    if action in ("post_add", "post_remove", "post_clear"):
        bump_versions([authority_id_of(instance)])


for _model in (Authority, Level, NextStep, Domain, Indicator, Contact, GuidanceSection):
    post_save.connect(_bump_for_row, sender=_model, dispatch_uid=f"bump-{_model.__name__}-save")
    post_delete.connect(_bump_for_row, sender=_model, dispatch_uid=f"bump-{_model.__name__}-delete")
m2m_changed.connect(
    _bump_for_contact_levels, sender=Contact.levels.through, dispatch_uid="bump-contact-levels"
)


# --- Search: one entry per searchable row (guidance/search.py) -----------------------------------


class SearchEntryQuerySet(GuidanceQuerySet):
    def matching(self, query):
        """Entries matching a search box's text (or a parsed `search.Query`); none if it has no
        words. Uses the GIN index on PostgreSQL; the same rows on SQLite."""
        from . import search

        return search.matching(self, query)

    def ranked(self, query):
        """Best first for the query: see `search.ranked`."""
        from . import search

        return search.ranked(self, query)


class SearchKind(models.TextChoices):
    """What a search result is, in the order results of equal rank are listed."""

    CONTACT = "contact", "Contact"
    SECTION = "section", "Guidance section"
    NEXT_STEP = "next_step", "Next step"
    INDICATOR = "indicator", "Indicator"


def _one_row_of_its_kind():
    """An entry's row is in the column its kind names, and no other column holds one."""
    either = Q()
    for kind in SearchKind.values:
        either |= Q(kind=kind, **{f"{other}__isnull": other != kind for other in SearchKind.values})
    return either


class SearchEntry(models.Model):
    """The searchable words of one indicator, contact, next step or guidance section, normalised
    and stemmed with the field's synonyms added (guidance/search.py); never edited by hand.
    Written on save (signals below) and per document by the loader (`search.rebuild`); deleted
    with its row."""

    Kind = SearchKind

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    # Exactly the one of its kind is set (see the constraint), so an entry is unique per row.
    indicator = models.OneToOneField(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    next_step = models.OneToOneField(
        NextStep, null=True, blank=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    section = models.OneToOneField(
        GuidanceSection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    title_terms = models.TextField(help_text="The terms of the title (contact name, heading).")
    terms = models.TextField(help_text="The terms of the title and the text, padded by spaces.")

    objects = SearchEntryQuerySet.as_manager()
    authority_path = "authority"

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.CheckConstraint(
                condition=_one_row_of_its_kind(), name="search_entry_one_row_of_its_kind"
            ),
        ]
        indexes = [
            # PostgreSQL only: the migration skips it elsewhere (SQLite searches by substring).
            GinIndex(SearchVector("terms", config="simple"), name="search_entry_terms"),
        ]

    def __str__(self):
        return f"{self.kind} {self.row_id}"

    @property
    def row(self):
        return getattr(self, self.kind)

    @property
    def row_id(self):
        return getattr(self, f"{self.kind}_id")


def _update_search_entry(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: related rows may not be there yet; `manage.py rebuild_search` after.
        return
    from . import search

    search.update_entry(_SEARCHED[sender], instance)


_SEARCHED = {
    Indicator: SearchEntry.Kind.INDICATOR,
    Contact: SearchEntry.Kind.CONTACT,
    NextStep: SearchEntry.Kind.NEXT_STEP,
    GuidanceSection: SearchEntry.Kind.SECTION,
}
for _model in _SEARCHED:
    post_save.connect(
        _update_search_entry, sender=_model, dispatch_uid=f"search-{_model.__name__}-save"
    )
