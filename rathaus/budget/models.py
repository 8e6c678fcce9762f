"""The citizens' budget (Bürgerbudget): processes, their budget units, proposals and ballots.

A process runs through phases fixed by its dates: proposals, feasibility review, voting,
results. Its money is split into budget units: the whole city and, optionally, districts, each
with its own budget, its own ballot and its own result (as Warsaw or Wuppertal count them, and
as Pabulib publishes them: one election per unit).

Ballots are pseudonymous: `voter_key` is a keyed hash of the person's register id and the
process, never the register id itself, so online and paper ballots of one person collide on the
same key (one person, one ballot per unit, a database constraint) without the ballot table
naming anyone. docs/budget.md describes the flow; docs/budget-rules.md the counting rules.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Department, LevelOfAssurance


class Rule(models.TextChoices):
    EQUAL_SHARES = "equal-shares", _("Method of Equal Shares (with add1 completion)")
    GREEDY = "greedy", _("greedy by number of votes")


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    PROPOSALS = "proposals", _("proposals")
    REVIEW = "review", _("feasibility review")
    VOTING = "voting", _("voting")
    COUNTING = "counting", _("counting")
    RESULTS = "results", _("results")


class BudgetProcess(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="budget_processes",
        verbose_name=_("responsible department"),
    )
    proposals_open = models.DateTimeField(_("proposals open"))
    proposals_close = models.DateTimeField(_("proposals close"))
    review_close = models.DateTimeField(_("feasibility review ends"))
    voting_opens = models.DateTimeField(_("voting opens"))
    voting_closes = models.DateTimeField(_("voting closes"))
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    # Eligibility: residents of the city (or of the unit's district for district units) of at
    # least this age on the day voting closes, at this level of assurance.
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=14)
    assurance = models.PositiveSmallIntegerField(
        _("level of assurance to vote"),
        choices=LevelOfAssurance.choices,
        default=LevelOfAssurance.SUBSTANTIAL,
    )
    # The ballot: approval of at least/at most so many projects, and optionally a cost cap (the
    # chosen projects together may cost at most the unit's budget: a knapsack ballot).
    min_projects = models.PositiveSmallIntegerField(_("minimum of projects"), default=1)
    max_projects = models.PositiveSmallIntegerField(_("maximum of projects"), null=True, blank=True)
    cost_cap = models.BooleanField(_("chosen projects may cost at most the budget"), default=False)
    # The counting rule and its parameters (rules.rule_apply keyword arguments); locked once
    # voting opens.
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    rule_parameters = models.JSONField(_("rule parameters"), default=dict, blank=True)
    # Imported from a Pabulib file to try the rules on a past election: no phases, no accounts.
    imported = models.BooleanField(_("imported"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizens' budget")
        verbose_name_plural = _("citizens' budgets")
        ordering = ["-voting_opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposals_open__lt=models.F("proposals_close"))
                & models.Q(proposals_close__lte=models.F("review_close"))
                & models.Q(review_close__lte=models.F("voting_opens"))
                & models.Q(voting_opens__lt=models.F("voting_closes")),
                name="budget_process_phases_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(max_projects__isnull=True)
                | models.Q(max_projects__gte=models.F("min_projects")),
                name="budget_process_max_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def phase(self, at=None) -> Phase:
        at = at or timezone.now()
        if at < self.proposals_open:
            return Phase.UPCOMING
        if at < self.proposals_close:
            return Phase.PROPOSALS
        if at < self.voting_opens:
            return Phase.REVIEW
        if at < self.voting_closes:
            return Phase.VOTING
        if self.results_published_at is None:
            return Phase.COUNTING
        return Phase.RESULTS

    def rule_locked(self, at=None) -> bool:
        """The rule and its parameters lock when voting opens."""
        return (at or timezone.now()) >= self.voting_opens


class BudgetUnit(models.Model):
    """A part of the budget with its own ballot and result: the whole city or one district."""

    process = models.ForeignKey(
        BudgetProcess, on_delete=models.CASCADE, related_name="units", verbose_name=_("process")
    )
    name = models.CharField(_("name"), max_length=200)
    # Empty for the whole city; otherwise the district as the resident register spells it
    # (registry Address.district).
    district = models.CharField(_("district"), max_length=100, blank=True)
    budget = models.PositiveBigIntegerField(_("budget (euros)"))

    class Meta:
        verbose_name = _("budget unit")
        verbose_name_plural = _("budget units")
        ordering = ["process", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "district"], name="budget_unit_one_per_district"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.name}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    FEASIBLE = "feasible", _("feasible")
    NOT_FEASIBLE = "not_feasible", _("not feasible")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Proposal(models.Model):
    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("unit")
    )
    # Numbered per unit from 1: the project id in the unit's published Pabulib file.
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    address = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost (euros)"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_proposals",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    # Feasibility review by the responsible department: a public reason and the city's cost.
    review_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_reviews",
        verbose_name=_("reviewing department"),
    )
    review_reason = models.TextField(_("reason"), blank=True)
    city_cost = models.PositiveBigIntegerField(
        _("cost estimated by the city"), null=True, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # Moderation: hidden from the public with a reason staff can see.
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="proposal_number_per_unit"),
            models.CheckConstraint(
                condition=~models.Q(status="feasible") | models.Q(city_cost__isnull=False),
                name="proposal_feasible_has_city_cost",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("budget:proposal_detail", args=[self.unit.process.slug, self.pk])

    @property
    def cost(self) -> int:
        """The cost on the ballot: the city's estimate once reviewed."""
        return self.city_cost if self.city_cost is not None else self.estimated_cost

    # The comment thread (rathaus/comments): open until voting closes, unless hidden.
    def comments_open(self) -> bool:
        return self.hidden_at is None and timezone.now() < self.unit.process.voting_closes

    def comments_moderator(self, user) -> bool:
        from .processes import process_staff_member

        return process_staff_member(user=user, process=self.unit.process)


class ProposalImage(models.Model):
    """A photo of a proposal, re-encoded on upload so that no metadata (GPS, camera) survives."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="images", verbose_name=_("proposal")
    )
    file = models.FileField(_("file"), upload_to="budget/images/")
    alt_text = models.CharField(_("description of the image"), max_length=300)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    class Meta:
        verbose_name = _("proposal image")
        verbose_name_plural = _("proposal images")

    def __str__(self) -> str:
        return self.alt_text


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper")


class Ballot(models.Model):
    """One person's counted ballot in one unit; a changed online ballot replaces its choices."""

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("unit")
    )
    # Erased (NULL) some days after the results are published (voting.ballot_keys_purge): the
    # ballot's contents stay, anonymous, for the published count.
    # NULL, not "": erased keys must not collide in the unique constraint.
    voter_key = models.CharField(  # noqa: DJ001
        _("voter pseudonym"), max_length=64, null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=BallotChannel.choices)
    proposals = models.ManyToManyField(Proposal, related_name="ballots", verbose_name=_("projects"))
    # A hash of the receipt code the voter was given; the code itself is never stored. Paper
    # ballots have none.
    receipt_hash = models.CharField(_("receipt"), max_length=64, unique=True, null=True, blank=True)
    # Day only: no fine timestamps that could tie a ballot to a moment someone was seen voting.
    cast_on = models.DateField(_("cast on"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["unit", "voter_key"], name="ballot_one_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_channel_display()} {self.cast_on}"


class PaperEntryStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the second entry")
    COUNTED = "counted", _("counted")
    MISMATCH = "mismatch", _("entries differ")
    REFUSED = "refused", _("refused: the person has already voted")
    DISCARDED = "discarded", _("discarded when resolving")


class PaperBallotEntry(models.Model):
    """One staff member's entry of a paper ballot; two matching entries by two people count."""

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.PROTECT, related_name="paper_entries", verbose_name=_("unit")
    )
    sheet_number = models.CharField(_("ballot sheet number"), max_length=30)
    voter_key = models.CharField(_("voter pseudonym"), max_length=64)
    proposals = models.ManyToManyField(Proposal, related_name="+", verbose_name=_("projects"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="paper_entries",
        verbose_name=_("counted ballot"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PaperEntryStatus.choices,
        default=PaperEntryStatus.PENDING,
    )
    # The department lead who resolved a mismatch (chose an entry or entered the sheet again).
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "sheet_number", "entered_by"],
                name="paper_entry_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.sheet_number} ({self.get_status_display()})"


class UnitResult(models.Model):
    """The count of one unit by one rule, with the published Pabulib file it was computed from.

    A process's unit has one row (its rule) once counted; an imported election has one row per
    rule, to compare them. `winners` lists the funded projects in the order the rule chose them,
    each as {"id", "name", "cost", "votes"}.
    """

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.CASCADE, related_name="results", verbose_name=_("unit")
    )
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    rule_parameters = models.JSONField(_("rule parameters"), default=dict, blank=True)
    winners = models.JSONField(_("funded projects"), default=list)
    budget = models.DecimalField(_("budget"), max_digits=24, decimal_places=6)
    spent = models.DecimalField(_("money spent"), max_digits=24, decimal_places=6)
    voters = models.PositiveIntegerField(_("voters"))
    voters_with_funded_project = models.PositiveIntegerField(
        _("voters with at least one funded project")
    )
    funded_supports = models.PositiveBigIntegerField(_("funded projects summed over voters"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"))
    pb_data = models.BinaryField(_("Pabulib file"))
    pb_sha256 = models.CharField(_("SHA-256 of the Pabulib file"), max_length=64)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["unit", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "rule"], name="unit_result_one_per_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_rule_display()}"
