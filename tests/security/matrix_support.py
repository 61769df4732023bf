"""The world of the authorization matrix: one actor per role (with its scope), one object per
state, each carrying a unique marker string, and the helpers that request a path as an actor
and read what came back (HTML, JSON, CSV, XLSX, PDF, XML, file downloads).

Every object records, as data, which actors may see it (``seen_by``): the tables of the matrix
say what the platform promises; they never call the code under test to find out.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

# --- the actors ---------------------------------------------------------------------------

ANONYMOUS = "anonymous"
VIEWER = "viewer"
EDITOR_OWN = "partner_editor_own_org"
EDITOR_OTHER = "partner_editor_other_org"
FOCAL_OWN = "focal_point_own_country"
FOCAL_OTHER = "focal_point_other_country"
CURATOR = "curator"
ADMIN = "admin"
ACTORS = (ANONYMOUS, VIEWER, EDITOR_OWN, EDITOR_OTHER, FOCAL_OWN, FOCAL_OTHER, CURATOR, ADMIN)
EVERYONE = frozenset(ACTORS)
STAFF = frozenset({CURATOR, ADMIN})

OWN_COUNTRY = "FRA"
OTHER_COUNTRY = "KEN"
INDICATOR = "8.7.1"
SEARCH_WORD = "zebrafinch"  # in the text of every library resource of the world
MISSING_ID = 987654321
MISSING_SLUG = "no-such-organisation-zz"

# --- the objects and states -----------------------------------------------------------------

# Annual reports of the own country: state -> (year reported on, value year, value). The
# unapproved values are for later years, so they would be the "latest value" if they leaked.
REPORT_STATES = {
    "draft": (2019, 2014, 84.3),
    "submitted": (2020, 2011, 81.3),
    "changes_requested": (2021, 2012, 82.3),
    "resubmitted": (2022, 2013, 83.3),
    "approved": (2018, 2002, 72.3),
    "published": (2017, 2001, 71.3),
}
# Report values become observations on approval (approved and published reports).
OBSERVED_REPORT_STATES = frozenset({"approved", "published"})
RESOURCE_STATES = ("draft", "in_review", "published", "withdrawn", "withdrawn_after_publishing")
RESOURCE_YEARS = {
    "draft": 1971,
    "in_review": 1972,
    "published": 2020,
    "withdrawn": 1974,
    "withdrawn_after_publishing": 1975,
}
ORGANISATION_STATES = ("applied", "approved", "rejected")


COUNTRY_INSIDERS = STAFF | {FOCAL_OWN}
RESOURCE_OWNERS = STAFF | {EDITOR_OWN}

# The promise, as a table: (kind, state) → the actors who may see the object.
SEEN_BY: dict[tuple[str, str], frozenset[str]] = {
    **{("report", state): COUNTRY_INSIDERS for state in REPORT_STATES},
    ("report", "published"): EVERYONE,
    # A draft of the other country: the own country's focal point is the outsider here.
    ("report", "draft_of_other_country"): STAFF | {FOCAL_OTHER},
    ("roadmap", "draft"): COUNTRY_INSIDERS,
    ("roadmap", "adopted"): EVERYONE,
    **{("resource", state): RESOURCE_OWNERS for state in RESOURCE_STATES},
    ("resource", "published"): EVERYONE,
    ("organisation", "applied"): STAFF,
    ("organisation", "approved"): EVERYONE,
    ("organisation", "rejected"): STAFF,
    ("pledge", "active"): EVERYONE,
    ("research", "ongoing"): EVERYONE,
}
STATES: dict[str, list[str]] = {}
for _kind, _state in SEEN_BY:
    STATES.setdefault(_kind, []).append(_state)


def marker(kind: str, state: str) -> str:
    """A string found nowhere else: SECRET-… for what some actors may not see."""
    public = {
        ("report", "published"),
        ("roadmap", "adopted"),
        ("resource", "published"),
        ("organisation", "approved"),
        ("pledge", "active"),
        ("research", "ongoing"),
    }
    prefix = "PUBLIC" if (kind, state) in public else "SECRET"
    # The closing "-MARK" keeps one marker from being the beginning of another.
    return f"{prefix}-{kind.upper()}-{state.upper().replace('_', '')}-MARK"


@dataclass(frozen=True)
class Thing:
    """One object of the world in one state."""

    kind: str
    state: str
    ref: int | str  # id (or slug for organisations)
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def seen_by(self) -> frozenset[str]:
        return SEEN_BY[(self.kind, self.state)]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.state}"

    @property
    def marker(self) -> str:
        return marker(self.kind, self.state)


@dataclass
class World:
    users: dict[str, Any]
    tokens: dict[str, str]
    things: dict[str, Thing]
    # One signed-in client per actor, and the answers to GET requests already made: the
    # world does not change while the module runs (each test rolls back what it did).
    clients: dict[str, Client] = field(default_factory=dict)
    answers: dict[tuple[str, str], Any] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Thing]:
        return [thing for thing in self.things.values() if thing.kind == kind]

    def invisible_to(self, actor: str) -> list[Thing]:
        return [thing for thing in self.things.values() if actor not in thing.seen_by]


# --- building it ----------------------------------------------------------------------------


def build_world() -> World:
    """Everything through the services where the workflow matters (reports, resources)."""
    from sdg87.accounts.models import Role
    from sdg87.accounts.tests.factories import (
        AdminFactory,
        CuratorFactory,
        FocalPointFactory,
        PartnerEditorFactory,
        UserFactory,
        api_token,
        country,
    )
    from sdg87.partners.models import Organisation
    from sdg87.partners.tests.factories import (
        OrganisationFactory,
        PledgeFactory,
        ResearchProjectFactory,
    )
    from sdg87.pathfinders.tests import factories as pathfinders

    own_country, other_country = country(OWN_COUNTRY), country(OTHER_COUNTRY)
    pathfinders.pathfinder(OWN_COUNTRY)
    pathfinders.pathfinder(OTHER_COUNTRY)
    pathfinders.indicator(INDICATOR)

    things: dict[str, Thing] = {}

    def add(thing: Thing) -> None:
        things[thing.key] = thing

    organisations = {}
    for state in ORGANISATION_STATES:
        status = getattr(Organisation.Status, state.upper())
        organisations[state] = OrganisationFactory(
            name=f"{marker('organisation', state)} Example Partner",
            slug=f"example-partner-{state}",
            status=status,
            country=own_country,
        )
        add(Thing("organisation", state, organisations[state].slug))
    other_organisation = OrganisationFactory(
        name="Example Other Partner", slug="example-other-partner"
    )

    users: dict[str, Any] = {
        ANONYMOUS: None,
        VIEWER: UserFactory(username="matrix-viewer", role=Role.VIEWER),
        EDITOR_OWN: PartnerEditorFactory(
            username="matrix-editor-own", organisation=organisations["approved"]
        ),
        EDITOR_OTHER: PartnerEditorFactory(
            username="matrix-editor-other", organisation=other_organisation
        ),
        FOCAL_OWN: FocalPointFactory(username="matrix-focal-own", countries=[own_country]),
        FOCAL_OTHER: FocalPointFactory(username="matrix-focal-other", countries=[other_country]),
        CURATOR: CuratorFactory(username="matrix-curator"),
        ADMIN: AdminFactory(username="matrix-admin"),
    }
    tokens = {name: api_token(user)[1] for name, user in users.items() if user is not None}

    for state, (year, value_year, value) in REPORT_STATES.items():
        report, evidence = _report(
            state,
            year=year,
            value_year=value_year,
            value=value,
            focal_point=users[FOCAL_OWN],
            curator=users[CURATOR],
        )
        add(
            Thing(
                "report",
                state,
                report.pk,
                {"evidence": evidence.pk, "iso3": OWN_COUNTRY},
            )
        )

    report, evidence = _report(
        "draft_of_other_country",
        year=2019,
        value_year=2015,
        value=85.3,
        focal_point=users[FOCAL_OTHER],
        curator=users[CURATOR],
        iso3=OTHER_COUNTRY,
    )
    add(
        Thing(
            "report",
            "draft_of_other_country",
            report.pk,
            {"evidence": evidence.pk, "iso3": OTHER_COUNTRY},
        )
    )

    for state in ("draft", "adopted"):
        roadmap = pathfinders.roadmap(
            OWN_COUNTRY, status=state, title=f"{marker('roadmap', state)} national plan"
        )
        pathfinders.action(
            roadmap, title=f"{marker('roadmap', state)} action", planned="987654", secured="0"
        )
        add(Thing("roadmap", state, roadmap.pk))

    for state in RESOURCE_STATES:
        resource = _resource(state, organisation=organisations["approved"], curator=users[CURATOR])
        add(
            Thing(
                "resource",
                state,
                resource.pk,
                {"year": RESOURCE_YEARS[state]},
            )
        )

    pledge = PledgeFactory(owner=organisations["approved"], title=marker("pledge", "active"))
    pledge.countries.set([own_country])
    add(Thing("pledge", "active", pledge.pk))
    research = ResearchProjectFactory(
        organisation=organisations["approved"],
        title=marker("research", "ongoing"),
        countries=[own_country],
    )
    add(Thing("research", "ongoing", research.pk))
    world = World(users=users, tokens=tokens, things=things)
    for actor, user in users.items():
        if user is not None:  # sessions made now live as long as the world
            client = Client()
            client.force_login(user)
            world.clients[actor] = client
    return world


def _report(
    state: str,
    *,
    year: int,
    value_year: int,
    value: float,
    focal_point: Any,
    curator: Any,
    iso3: str = OWN_COUNTRY,
) -> tuple[Any, Any]:
    """A report of the own country taken to ``state`` by the services, with an indicator value
    and an evidence file (both added while it was a draft)."""
    from sdg87.pathfinders.services import reports as services

    text = marker("report", state)
    report = services.report_create(
        actor=focal_point, iso3=iso3, year=year, progress=f"{text} progress narrative."
    )
    services.report_update(
        actor=focal_point,
        report_id=report.pk,
        challenges=f"{text} challenges.",
        indicator_values=[{"indicator": INDICATOR, "year": value_year, "value": value}],
    )
    evidence = services.evidence_add(
        actor=focal_point,
        report_id=report.pk,
        title=f"{text} evidence",
        content=f"{text} evidence file content".encode(),
        filename="evidence.txt",
    )
    steps = {
        "draft": [],
        "draft_of_other_country": [],
        "submitted": [("submit", focal_point)],
        "changes_requested": [("submit", focal_point), ("request_changes", curator)],
        "resubmitted": [
            ("submit", focal_point),
            ("request_changes", curator),
            ("resubmit", focal_point),
        ],
        "approved": [("submit", focal_point), ("approve", curator)],
        "published": [("submit", focal_point), ("approve", curator), ("publish", curator)],
    }[state]
    for action, actor in steps:
        services.report_transition(
            actor=actor, report_id=report.pk, action=action, comment=f"{text} review comment"
        )
    return report, evidence


def _resource(state: str, *, organisation: Any, curator: Any) -> Any:
    from sdg87.library.ingest import ResourceRecord
    from sdg87.library.models import Resource
    from sdg87.library.services import resources_ingest
    from sdg87.library.services.review import resource_withdraw

    text = marker("resource", state)
    created_as = "published" if state == "withdrawn_after_publishing" else state
    record = ResourceRecord(
        id=f"matrix-{state}",
        title=f"{text} study of brick kilns",
        abstract=f"{text} abstract.",
        text=f"Forced labour in brick kilns, {SEARCH_WORD} survey. {text} full text. " * 3,
        language="en",
        year=RESOURCE_YEARS[state],
        countries=(OWN_COUNTRY,),
        organisation=f"{text} publisher",
    )
    report = resources_ingest(
        records=[record],
        source="matrix",
        status=created_as,
        owner_organisation_id=organisation.pk,
    )
    resource = Resource.objects.get(pk=report.resource_ids[record.id])
    if state == "withdrawn_after_publishing":
        resource = resource_withdraw(actor=curator, resource_id=resource.pk, comment="gone")
    return resource


# --- requesting and reading -----------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    text: str


def fetch(world: World, actor: str, url: str, *, method: str = "get", data: Any = None) -> Answer:
    """Request ``url`` as ``actor``: an API token for ``/api/``, a signed-in session otherwise.
    ``data`` goes as JSON to the API and as a form to pages. GET answers are remembered."""
    if method == "get" and (actor, url) in world.answers:
        return world.answers[actor, url]
    api = url.startswith("/api/")
    user = world.users[actor]
    headers = {"Authorization": f"Bearer {world.tokens[actor]}"} if api and user else {}
    client = Client() if api or user is None else world.clients[actor]
    options: dict[str, Any] = {"headers": headers}
    if method != "get":
        options["data"] = json.dumps(data or {}) if api else (data or {})
        if api:
            options["content_type"] = "application/json"
    response = getattr(client, method)(url, **options)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    answer = Answer(response.status_code, content_type, readable(content, content_type))
    if method == "get":
        world.answers[actor, url] = answer
    return answer


def readable(content: bytes, content_type: str) -> str:
    """The text a person would read in the answer, whatever its format."""
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8", errors="replace")


def squeezed(text: str) -> str:
    """Without whitespace: a PDF wraps long words in table cells."""
    return re.sub(r"\s+", "", text)


def contains(answer: Answer, needle: str) -> bool:
    return squeezed(needle) in squeezed(answer.text)


VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'name="csrf-token" content="[^"]*"'), 'name="csrf-token"'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r"<responseDate>[^<]*</responseDate>"), "<responseDate/>"),
]


def normalised(text: str, replacements: dict[str, str]) -> str:
    for pattern, fixed in VOLATILE:
        text = pattern.sub(fixed, text)
    for old, new in replacements.items():
        text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)
    return text
