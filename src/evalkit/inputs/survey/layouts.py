"""The export layouts evalkit knows: header rows, metadata columns, and how to tell them apart.

Each survey tool puts a few columns of its own before the questions (a response id,
start and completion times, and sometimes the respondent's e-mail address, name or IP
address). Those columns have a *role*; every other column is a question. Headers are
compared ignoring case, spaces and punctuation (:func:`evalkit.inputs.normalise.header_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evalkit.inputs.normalise import header_key

#: Roles of metadata columns. Personal ones are read only to make a respondent id.
RESPONSE_ID = "response-id"
STARTED = "started"
COMPLETED = "completed"
EMAIL = "email"
NAME = "name"
FIRST_NAME = "first-name"
LAST_NAME = "last-name"
PERSONAL = "personal"
OTHER = "other"
PERSONAL_ROLES = frozenset({EMAIL, NAME, FIRST_NAME, LAST_NAME, PERSONAL})


@dataclass(frozen=True)
class Layout:
    """One survey tool's export layout.

    Attributes:
        name: the layout's id in a mapping (``microsoft-forms``).
        title: the tool's name in messages.
        header_rows: rows above the first answer (SurveyMonkey 2, Qualtrics 3).
        roles: header key of a metadata column -> its role.
        prefixes: header keys beginning with one of these are metadata of no use here
            (a quiz's points and feedback columns).
        signature: header keys that must all be present for the layout to be detected.
    """

    name: str
    title: str
    header_rows: int
    roles: dict[str, str]
    prefixes: tuple[str, ...] = ()
    signature: frozenset[str] = field(default_factory=frozenset)

    def role(self, header: object) -> str | None:
        """The role of a column with this header, or None for a question."""
        key = header_key(header)
        if key in self.roles:
            return self.roles[key]
        return OTHER if key.startswith(self.prefixes) and self.prefixes else None


def _roles(**by_role: tuple[str, ...]) -> dict[str, str]:
    return {
        header_key(header): role.replace("_", "-")
        for role, headers in by_role.items()
        for header in headers
    }


MICROSOFT_FORMS = Layout(
    "microsoft-forms",
    "Microsoft Forms",
    1,
    _roles(
        response_id=("ID",),
        started=("Start time",),
        completed=("Completion time",),
        email=("Email",),
        name=("Name",),
        other=("Last modified time", "Total points", "Quiz feedback"),
    ),
    prefixes=("points_", "feedback_"),
    signature=frozenset({"id", "start_time", "completion_time"}),
)
GOOGLE_FORMS = Layout(
    "google-forms",
    "Google Forms",
    1,
    _roles(completed=("Timestamp",), email=("Email address",), other=("Score",)),
    signature=frozenset({"timestamp"}),
)
SURVEYMONKEY = Layout(
    "surveymonkey",
    "SurveyMonkey",
    2,
    _roles(
        response_id=("Respondent ID",),
        started=("Start Date",),
        completed=("End Date",),
        email=("Email Address",),
        first_name=("First Name",),
        last_name=("Last Name",),
        personal=("IP Address", "Custom Data 1"),
        other=("Collector ID",),
    ),
    signature=frozenset({"respondent_id", "collector_id"}),
)
QUALTRICS = Layout(
    "qualtrics",
    "Qualtrics",
    3,
    _roles(
        response_id=("ResponseId",),
        started=("StartDate",),
        completed=("EndDate",),
        email=("RecipientEmail",),
        first_name=("RecipientFirstName",),
        last_name=("RecipientLastName",),
        personal=("IPAddress", "LocationLatitude", "LocationLongitude", "ExternalReference"),
        other=(
            "Status",
            "Progress",
            "Duration (in seconds)",
            "Finished",
            "RecordedDate",
            "DistributionChannel",
            "UserLanguage",
        ),
    ),
    signature=frozenset({"responseid", "startdate"}),
)
GENERIC = Layout(
    "generic",
    "a one-row-per-respondent table",
    1,
    _roles(
        response_id=("Respondent ID", "Response ID", "ID"),
        completed=("Completed", "Completion time", "Submitted", "Timestamp"),
        email=("Email", "E-mail", "Email address", "E-mail address"),
        name=("Name", "Full name", "Respondent name"),
        personal=("IP address",),
    ),
)
LAYOUTS = {
    layout.name: layout
    for layout in (MICROSOFT_FORMS, GOOGLE_FORMS, SURVEYMONKEY, QUALTRICS, GENERIC)
}


def detect(first_row: list[object]) -> Layout:
    """The layout whose signature headers are all in the first row (generic when none is)."""
    keys = {header_key(cell) for cell in first_row if cell is not None}
    for layout in (QUALTRICS, SURVEYMONKEY, MICROSOFT_FORMS, GOOGLE_FORMS):
        if {header_key(header) for header in layout.signature} <= keys:
            return layout
    return GENERIC
