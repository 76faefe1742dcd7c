"""The data contract: every input table and column, described as data.

The pandera schemas (:mod:`evalkit.inputs.schemas`), the normalisation rules
(:mod:`evalkit.inputs.normalise`) and ``docs/data-contract.md`` are all generated from the
specs below, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from evalkit.names import ID_RULE

Kind = Literal["slug", "text", "enum", "bool", "date", "money", "number", "integer", "list"]

KIND_EXPECTED: dict[str, str] = {
    "slug": f"an identifier (e.g. community-safety) of {ID_RULE}",
    "text": "text",
    "enum": "one of the allowed values",
    "bool": "yes or no (Yes/Y/TRUE/x/1 or No/N/FALSE/0)",
    "date": "a date (dd/mm/yyyy, yyyy-mm-dd or an Excel date cell)",
    "money": "an amount in pounds (e.g. 1250000, £1,250,000, £1.2m or £5k; - or nil for 0)",
    "number": "a number",
    "integer": "a whole number",
    "list": "text items separated by semicolons",
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an input table.

    Attributes:
        name: column header (headers are matched ignoring case, spaces and punctuation;
            the label is accepted as a header too).
        kind: how values are read; see ``KIND_EXPECTED``.
        required: a value must be present in every row.
        description: what the column means, in plain English.
        example: a value as an officer would type it.
        allowed: the controlled list for ``enum`` columns (canonical spellings).
        aliases: other spellings accepted for an allowed value (lower-case).
        minimum: smallest allowed value for numeric kinds.
        maximum: largest allowed value for numeric kinds.
        unique: no two rows may share a value.
        references: ``table.column`` this column must match.
        label: the heading shown for the column in reports and downloads (when blank,
            the name in words: ``lead_officer`` reads "Lead officer").
    """

    name: str
    kind: Kind
    required: bool
    description: str
    example: str
    allowed: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    references: str | None = None
    label: str = ""

    @property
    def display_label(self) -> str:
        """The column's heading in reports: its label, else its name in words."""
        return self.label or column_words(self.name)

    @property
    def expected(self) -> str:
        """Describe an acceptable value for error messages."""
        if self.kind == "enum":
            return "one of: " + ", ".join(self.allowed)
        text = KIND_EXPECTED[self.kind]
        if self.minimum is not None and self.maximum is not None:
            text += f" from {_num(self.minimum)} to {_num(self.maximum)}"
        elif self.minimum is not None:
            text += f" of at least {_num(self.minimum)}"
        return text


def column_words(name: str) -> str:
    """A column name in words: ``in_kind_gbp`` → "In kind (£)"."""
    words = name.removesuffix("_gbp").replace("_", " ")
    return words.capitalize() + (" (£)" if name.endswith("_gbp") else "")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class TableSpec:
    """One input table: a CSV file ``<name>.csv`` or a sheet named ``<name>``."""

    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    required: bool = True
    key: tuple[str, ...] = ()

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        """Column names in contract order."""
        return [c.name for c in self.columns]


# Controlled lists -----------------------------------------------------------------

LEGAL_FORMS: tuple[str, ...] = (
    "company limited by guarantee",
    "company limited by shares",
    "limited liability partnership",
    "community interest company",
    "joint committee",
    "s75 NHS Act 2006 agreement",
    "collaboration agreement with accountable body",
    "memorandum of understanding",
    "forum or network",
    "contract",
    "other",
)
INCORPORATED_FORMS: frozenset[str] = frozenset(LEGAL_FORMS[:4])
LEGAL_FORM_ALIASES = {
    "clg": "company limited by guarantee",
    "company ltd by guarantee": "company limited by guarantee",
    "cls": "company limited by shares",
    "company ltd by shares": "company limited by shares",
    "llp": "limited liability partnership",
    "cic": "community interest company",
    "s75": "s75 NHS Act 2006 agreement",
    "section 75 agreement": "s75 NHS Act 2006 agreement",
    "s75 agreement": "s75 NHS Act 2006 agreement",
    "s75 health act 2006 agreement": "s75 NHS Act 2006 agreement",
    "collaboration agreement": "collaboration agreement with accountable body",
    "mou": "memorandum of understanding",
    "forum": "forum or network",
    "network": "forum or network",
    "forum/network": "forum or network",
}
TIERS = ("strategic", "significant", "operational")
COUNCIL_ROLES = ("accountable body", "lead partner", "member", "host", "funder", "observer")
RISK_RATINGS = ("low", "medium", "high")
SECTORS = (
    "local authority",
    "NHS",
    "police",
    "fire",
    "VCSE",
    "private",
    "education",
    "central government",
    "other",
)
SECTOR_ALIASES = {
    "voluntary": "VCSE",
    "voluntary and community": "VCSE",
    "council": "local authority",
    "la": "local authority",
    "health": "NHS",
    "university": "education",
    "government": "central government",
    "business": "private",
}
MEMBER_ROLES = ("chair", "vice-chair", "accountable body", "member", "observer", "secretariat")
INDICATOR_KINDS = ("output", "outcome")
DIRECTIONS = ("up", "down")
DIRECTION_ALIASES = {
    "higher": "up",
    "higher is better": "up",
    "increase": "up",
    "lower": "down",
    "lower is better": "down",
    "decrease": "down",
}
SWOT_CATEGORIES = ("strength", "weakness", "opportunity", "threat")
SWOT_ALIASES = {
    "s": "strength",
    "w": "weakness",
    "o": "opportunity",
    "t": "threat",
    "strengths": "strength",
    "weaknesses": "weakness",
    "opportunities": "opportunity",
    "threats": "threat",
}


def _partnership_ref(description: str = "The partnership (its id in the register).") -> ColumnSpec:
    return ColumnSpec(
        "partnership_id",
        "slug",
        True,
        description,
        "community-safety",
        references="partnerships.partnership_id",
    )


def _organisation_ref(required: bool = True, description: str = "") -> ColumnSpec:
    return ColumnSpec(
        "organisation_id",
        "slug",
        required,
        description or "The organisation (its id in the organisations table).",
        "lancashire-police",
        references="organisations.organisation_id",
    )


_ROUND = ColumnSpec(
    "round", "text", True, "Assessment round, usually the financial year.", "2024-25"
)
_FRAMEWORK = ColumnSpec(
    "framework_id",
    "slug",
    True,
    "Framework id, as listed by `evalkit frameworks list`.",
    "nuffield-pat",
    references="frameworks.framework_id",
)
_ITEM = ColumnSpec("item_id", "text", True, "Item id within the framework.", "P1.2")

# Tables ----------------------------------------------------------------------------

PARTNERSHIPS = TableSpec(
    "partnerships",
    "The register (the council's map of its partnerships): one row per partnership.",
    (
        ColumnSpec(
            "partnership_id",
            "slug",
            True,
            "Short stable id, safe as a folder name.",
            "community-safety",
            unique=True,
        ),
        ColumnSpec(
            "name", "text", True, "Full name.", "Community Safety Partnership", label="Partnership"
        ),
        ColumnSpec(
            "lead_directorate", "text", True, "Council directorate that leads.", "Resources"
        ),
        ColumnSpec("lead_officer", "text", True, "Council officer accountable.", "A. Officer"),
        ColumnSpec(
            "lead_member", "text", False, "Cabinet member or councillor who leads.", "Cllr B. Smith"
        ),
        ColumnSpec("tier", "enum", True, "Importance to the council.", "strategic", allowed=TIERS),
        ColumnSpec(
            "in_scope",
            "bool",
            True,
            "Whether the review covers it (purely contractual arrangements are out).",
            "Yes",
        ),
        ColumnSpec(
            "out_of_scope_reason",
            "text",
            False,
            "Why it is out of scope; required when in_scope is no.",
            "purely contractual",
            label="Why out of scope",
        ),
        ColumnSpec(
            "legal_form",
            "enum",
            True,
            "Legal form; `incorporated` is derived from it.",
            "joint committee",
            allowed=LEGAL_FORMS,
            aliases=LEGAL_FORM_ALIASES,
        ),
        ColumnSpec(
            "statutory_basis",
            "text",
            True,
            "Act and section it rests on, or `none` for a voluntary arrangement.",
            "Crime and Disorder Act 1998 s5",
        ),
        ColumnSpec(
            "accountable_body",
            "text",
            False,
            "Body that holds the money and answers for it, if any.",
            "Lancashire County Council",
        ),
        ColumnSpec(
            "council_role",
            "enum",
            True,
            "The council's role in the partnership.",
            "member",
            allowed=COUNCIL_ROLES,
            label="Council's role",
        ),
        ColumnSpec(
            "council_cash_gbp",
            "money",
            True,
            "Council cash contribution per year (£).",
            "£120,000",
            minimum=0,
            label="Cash (£)",
        ),
        ColumnSpec(
            "in_kind_gbp",
            "money",
            False,
            "Council in-kind contribution per year (£), excluding officer time.",
            "15000",
            minimum=0,
            label="In kind (£)",
        ),
        ColumnSpec(
            "officer_days_per_year",
            "number",
            False,
            "Council officer days given per year.",
            "60",
            minimum=0,
            maximum=100000,
            label="Officer days",
        ),
        ColumnSpec(
            "total_budget_gbp",
            "money",
            False,
            "Whole partnership budget per year from all partners (£).",
            "£1,250,000",
            minimum=0,
            label="Whole budget (£)",
        ),
        ColumnSpec(
            "governing_document",
            "bool",
            True,
            "A governing document (terms of reference, agreement) is in place.",
            "Y",
            label="Governing document in place",
        ),
        ColumnSpec(
            "governing_document_date",
            "date",
            False,
            "Date the governing document was agreed or last revised.",
            "01/04/2022",
        ),
        ColumnSpec(
            "exit_arrangements",
            "bool",
            False,
            "Termination and exit arrangements are written down.",
            "No",
        ),
        ColumnSpec("last_review", "date", False, "Date of the last review.", "15/03/2023"),
        ColumnSpec("next_review_due", "date", False, "Date the next review is due.", "15/03/2024"),
        ColumnSpec(
            "toolkit_used",
            "bool",
            False,
            "The council's partnership toolkit was used to set it up or review it.",
            "x",
        ),
        ColumnSpec(
            "risk_rating",
            "enum",
            False,
            "The council's overall risk rating for the partnership.",
            "medium",
            allowed=RISK_RATINGS,
        ),
        ColumnSpec(
            "objectives",
            "text",
            False,
            "Agreed objectives, in brief.",
            "Reduce reoffending; reduce anti-social behaviour",
        ),
        ColumnSpec(
            "corporate_priorities",
            "list",
            False,
            "Council priorities it serves, separated by semicolons.",
            "Delivering better services; Protecting our environment",
        ),
        ColumnSpec(
            "reporting_route",
            "text",
            False,
            "Committee or board it reports to.",
            "Community, Cultural and Corporate Services Scrutiny Committee",
        ),
    ),
    key=("partnership_id",),
)

ORGANISATIONS = TableSpec(
    "organisations",
    "Partner organisations, including the council itself.",
    (
        ColumnSpec(
            "organisation_id",
            "slug",
            True,
            "Short stable id.",
            "lancashire-police",
            unique=True,
        ),
        ColumnSpec("name", "text", True, "Name.", "Lancashire Constabulary", label="Organisation"),
        ColumnSpec(
            "sector",
            "enum",
            True,
            "Sector.",
            "police",
            allowed=SECTORS,
            aliases=SECTOR_ALIASES,
        ),
        ColumnSpec(
            "is_council",
            "bool",
            False,
            "This organisation is the council running the review (exactly one row).",
            "no",
        ),
    ),
    key=("organisation_id",),
)

MEMBERSHIPS = TableSpec(
    "memberships",
    "Which organisations belong to which partnership.",
    (
        _partnership_ref(),
        _organisation_ref(),
        ColumnSpec(
            "role", "enum", True, "Role in the partnership.", "member", allowed=MEMBER_ROLES
        ),
        ColumnSpec("voting", "bool", True, "Has a vote on the board.", "yes", label="Votes"),
    ),
    key=("partnership_id", "organisation_id"),
)

RESPONSES = TableSpec(
    "responses",
    "Survey answers in tidy long form: one row per respondent per item.",
    (
        _ROUND,
        _partnership_ref(),
        ColumnSpec(
            "respondent_id",
            "text",
            True,
            "Pseudonymous respondent code; never a name or e-mail.",
            "R017",
        ),
        _organisation_ref(description="Organisation the respondent answers for."),
        _FRAMEWORK,
        _ITEM,
        ColumnSpec(
            "response",
            "text",
            False,
            "The answer: a scale label or its number; `don't know` or `n/a` count as missing.",
            "Agree",
        ),
    ),
    required=False,
    key=("round", "partnership_id", "respondent_id", "framework_id", "item_id"),
)

CHECKLIST = TableSpec(
    "checklist",
    "Checklist and maturity ratings agreed for a partnership, one row per item.",
    (
        _ROUND,
        _partnership_ref(),
        _FRAMEWORK,
        _ITEM,
        ColumnSpec(
            "status",
            "text",
            False,
            "Rating on the framework's scale (label or number); blank or `n/a` is missing.",
            "partly in place",
        ),
        ColumnSpec(
            "evidence_ref",
            "text",
            False,
            "Where the evidence is (document, minute, link).",
            "Board minutes 12/01/2024 item 4",
        ),
        ColumnSpec("note", "text", False, "Assessor's note.", "Terms of reference out of date"),
    ),
    required=False,
    key=("round", "partnership_id", "framework_id", "item_id"),
)

FINANCE = TableSpec(
    "finance",
    "Inputs by partner and year.",
    (
        _partnership_ref(),
        _organisation_ref(description="Partner providing the input."),
        ColumnSpec("year", "text", True, "Financial year.", "2023-24"),
        ColumnSpec(
            "cash_gbp",
            "money",
            True,
            "Cash contributed (£).",
            "£50,000",
            minimum=0,
            label="Cash (£)",
        ),
        ColumnSpec(
            "in_kind_gbp",
            "money",
            False,
            "In-kind contribution valued in £.",
            "5000",
            minimum=0,
            label="In kind (£)",
        ),
        ColumnSpec(
            "officer_days",
            "number",
            False,
            "Staff days given.",
            "20",
            minimum=0,
            maximum=100000,
        ),
    ),
    required=False,
    key=("partnership_id", "organisation_id", "year"),
)

INDICATORS = TableSpec(
    "indicators",
    "Outputs and outcomes, one row per indicator per period (and group, if split).",
    (
        _partnership_ref(),
        ColumnSpec("indicator_id", "slug", True, "Short id.", "asb-incidents"),
        ColumnSpec(
            "name",
            "text",
            True,
            "What is measured.",
            "Anti-social behaviour incidents",
            label="Indicator",
        ),
        ColumnSpec(
            "kind",
            "enum",
            True,
            "Output (activity delivered) or outcome (change achieved).",
            "outcome",
            allowed=INDICATOR_KINDS,
        ),
        ColumnSpec("unit", "text", True, "Unit of measure.", "incidents"),
        ColumnSpec("period", "text", True, "Period, usually the financial year.", "2023-24"),
        ColumnSpec(
            "group",
            "text",
            False,
            "Place or group for an equity split (blank for the whole partnership).",
            "Burnley",
        ),
        ColumnSpec("baseline", "number", False, "Value before the partnership acted.", "5400"),
        ColumnSpec("target", "number", False, "Value aimed for in the period.", "4800"),
        ColumnSpec("actual", "number", False, "Value achieved in the period.", "5100"),
        ColumnSpec(
            "good_direction",
            "enum",
            True,
            "Which way is better.",
            "down",
            allowed=DIRECTIONS,
            aliases=DIRECTION_ALIASES,
            label="Better is",
        ),
    ),
    required=False,
    key=("partnership_id", "indicator_id", "period", "group"),
)

RISKS = TableSpec(
    "risks",
    "Risks to the council from each partnership.",
    (
        _partnership_ref(),
        ColumnSpec("risk_id", "text", True, "Id within the partnership.", "R1", label="Id"),
        ColumnSpec(
            "description", "text", True, "The risk.", "Funding ends March 2025", label="Risk"
        ),
        ColumnSpec(
            "likelihood",
            "integer",
            True,
            "1 (rare) to 5 (almost certain).",
            "3",
            minimum=1,
            maximum=5,
        ),
        ColumnSpec(
            "impact", "integer", True, "1 (negligible) to 5 (severe).", "4", minimum=1, maximum=5
        ),
        ColumnSpec("owner", "text", False, "Who manages it.", "Head of Community Safety"),
        ColumnSpec("mitigation", "text", False, "What is done about it.", "Exit plan agreed"),
    ),
    required=False,
    key=("partnership_id", "risk_id"),
)

SWOT = TableSpec(
    "swot",
    "SWOT entries for each partnership.",
    (
        _partnership_ref(),
        ColumnSpec(
            "category",
            "enum",
            True,
            "Strength, weakness, opportunity or threat.",
            "strength",
            allowed=SWOT_CATEGORIES,
            aliases=SWOT_ALIASES,
        ),
        ColumnSpec(
            "text", "text", True, "The entry.", "Long-standing trust between leaders", label="Entry"
        ),
    ),
    required=False,
)

TABLES: tuple[TableSpec, ...] = (
    PARTNERSHIPS,
    ORGANISATIONS,
    MEMBERSHIPS,
    RESPONSES,
    CHECKLIST,
    FINANCE,
    INDICATORS,
    RISKS,
    SWOT,
)
TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


def table(name: str) -> TableSpec:
    """Return the spec of table ``name``."""
    return TABLES_BY_NAME[name]
