"""The records of a tradeschema dataset: the one source of truth for the JSON Schema and Parquet layout.

A :class:`Dataset` holds five lists of records: :class:`Source`, :class:`Party`, :class:`Negotiation`,
:class:`Measure` and :class:`Statement`. Each record has a deterministic ``id`` and ``evidence``: the
character spans of a source that support it.

The record models check exactly what the published JSON Schema checks, so both accept the same data.
Rules that span fields or records (references resolve, spans lie inside their source, ``start < end``)
are integrity rules, checked by :class:`Dataset` and by the validator; see :mod:`tradeschema.integrity`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

from .countries import CountryCode, LanguageCode
from .dates import PartialDate
from .vocab import (
    ControlListScheme,
    HsEdition,
    MeasureStatus,
    MeasureType,
    NegotiationStatus,
    PartyKind,
    RoundKind,
    SourceKind,
    StatementKind,
    Topic,
    codelist_description,
)

__all__ = [
    "ID_PATTERN",
    "MAX_DURATION_DAYS",
    "MAX_OFFSET",
    "SCHEMA_VERSION",
    "WHOLE_FLOATS",
    "ControlListEntry",
    "Dataset",
    "EvidenceSpan",
    "HsCode",
    "Measure",
    "Negotiation",
    "Party",
    "Product",
    "Record",
    "RecordId",
    "Round",
    "Source",
    "Statement",
    "StrictModel",
]

SCHEMA_VERSION = "1.0.0"
"""The version of the schema these models define (SemVer)."""

# Patterns are written for the Rust engine pydantic-core uses, where `$` is the end of the text; the
# JSON Schema carries a form that means the same under Python's `re` (see schema.portable_pattern).
ID_PATTERN = r"^[a-z0-9._:-]+$"
"""Record ids: lowercase ASCII letters, digits and ``- _ . :``."""

_SEMVER_PATTERN = (
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def _integral_float_to_int(value: Any) -> Any:
    # JSON Schema's "integer" accepts 5.0; strict pydantic would not. Accept it the same way,
    # while still rejecting "5" and true, which JSON Schema also rejects.
    if type(value) is float and value.is_integer():
        return int(value)
    return value


RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""Identifier of a record, unique within a dataset."""
Text = Annotated[str, StringConstraints(min_length=1)]
WHOLE_FLOATS = BeforeValidator(_integral_float_to_int)
"""Lets an integer field take a float with no fraction (``5.0``), as JSON Schema's ``integer`` does.

It only widens what a field accepts: a validator built without it is stricter, never looser (the JSON
Lines reader's fast validator leaves it out and hands the lines it rejects to the model). It must come
last in a field's metadata: placed first, pydantic cannot map ``ge`` into the JSON Schema.
"""
MAX_OFFSET = 2**31 - 1
"""Largest character offset of an evidence span: a source of two billion code points is no article,
and every engine's integer type holds it (the Parquet column is int64)."""
MAX_DURATION_DAYS = 3660
"""Longest round of talks, in days (ten years); a larger value is a slip of the pen (or of a unit)."""
# Every integer field has a plausible maximum, so the JSON Schema bounds it too, and a value such as
# 1e20 or a 400-digit integer is a located range error instead of a failure to write Parquet.
Offset = Annotated[int, Strict(), Field(ge=0, le=MAX_OFFSET), WHOLE_FLOATS]
DurationDays = Annotated[int, Strict(), Field(ge=1, le=MAX_DURATION_DAYS), WHOLE_FLOATS]
Confidence = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
HsCodeText = Annotated[str, StringConstraints(pattern=r"^(?:[0-9]{2}|[0-9]{4}|[0-9]{6})$")]


def _topics_codelist(schema: dict[str, Any]) -> None:
    # Topics are an open codelist: any string is valid, so the values are documented, not enforced.
    schema["description"] = f"{schema.get('description', '')}\n\n{codelist_description(Topic, open_=True)}"


class StrictModel(BaseModel):
    """Base of every tradeschema model: unknown fields are errors, values are immutable and finite."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        use_attribute_docstrings=True,
        # Only keys repeat from record to record; caching every string value (pydantic's default)
        # costs a hash and a lookup per value, about a fifth of `validate_json` on a typical record.
        cache_strings="keys",
    )


class EvidenceSpan(StrictModel):
    """A span of characters in a source that supports a record."""

    source_id: RecordId
    """Id of the source the span is taken from."""
    start: Offset
    """Offset of the first character of the span, counted in Unicode code points from 0."""
    end: Offset
    """Offset just past the last character of the span; greater than ``start``."""
    text: str
    """The characters of the span, equal to ``source.text[start:end]`` when the source text is present."""


class Record(StrictModel):
    """Base of the five record types. Each has an ``id`` and ``evidence``."""

    table: ClassVar[str]
    """Name of the list in a :class:`Dataset` (and of the JSON Lines file and Parquet table)."""

    if TYPE_CHECKING:
        # Declared by each subclass, so that ``evidence`` comes last in every record.
        id: str
        evidence: list[EvidenceSpan]


class Source(Record):
    """A document that records are taken from, such as a news article."""

    table: ClassVar[str] = "sources"

    id: RecordId
    """Identifier of the source, unique within the dataset (e.g. ``source:2025-06-11-us-china-london``)."""
    kind: SourceKind
    """What kind of document this is."""
    title: str | None = None
    """Title or headline."""
    published: PartialDate | None = None
    """Date of publication, at the precision known."""
    byline: str | None = None
    """Byline as printed, such as ``Staff, Agencies``."""
    publisher: str | None = None
    """Name of the publisher."""
    url: str | None = None
    """Address the source was retrieved from."""
    language: LanguageCode | None = None
    """Language of the text (ISO 639-1)."""
    text_sha256: Sha256 | None = None
    """SHA-256 of the UTF-8 text, lowercase hex; lets spans be checked when the text is not included."""
    text: str | None = None
    """Full text that evidence offsets index into."""
    evidence: list[EvidenceSpan] = []
    """Spans supporting this record (rarely used for sources)."""


class Party(Record):
    """An actor: a state, bloc, government body, organisation, medium, person or group."""

    table: ClassVar[str] = "parties"

    id: RecordId
    """Identifier of the party (e.g. ``party:us``, ``party:person:howard-lutnick``)."""
    kind: PartyKind
    """What kind of actor this is."""
    name: Text
    """Name as usually written, such as ``United States`` or ``Howard Lutnick``."""
    aliases: list[str] = []
    """Other names the party appears under in sources."""
    country: CountryCode | None = None
    """Country the party belongs to or is (ISO 3166-1 alpha-2; ``EU`` for the bloc)."""
    role: str | None = None
    """A person's title or function, such as ``Commerce Secretary``."""
    affiliation: RecordId | None = None
    """Id of the party this person or body acts for."""
    evidence: list[EvidenceSpan] = []
    """Spans where the party is mentioned."""


class HsCode(StrictModel):
    """A Harmonized System code for a product."""

    code: HsCodeText
    """HS chapter, heading or subheading: 2, 4 or 6 digits."""
    edition: HsEdition
    """HS edition the code belongs to."""


class ControlListEntry(StrictModel):
    """An identifier on an export-control list."""

    scheme: ControlListScheme
    """The control list."""
    code: Text
    """The identifier, such as ``3A090``."""


class Product(StrictModel):
    """A product or technology a measure covers."""

    text: Text
    """The product as written in the source, such as ``rare earth minerals and magnets``."""
    hs_codes: list[HsCode] = []
    """Harmonized System codes for the product, where known."""
    control_list: list[ControlListEntry] = []
    """Export-control list identifiers, where known."""


class Measure(Record):
    """A trade measure: a tariff, export control, sanction, visa rule or other instrument."""

    table: ClassVar[str] = "measures"

    id: RecordId
    """Identifier of the measure (e.g. ``measure:cn-rare-earth-export-restriction``)."""
    type: MeasureType
    """The instrument (with GTA and MAST codes in the codelist)."""
    imposed_by: RecordId | None = None
    """Id of the party that imposes or threatens the measure."""
    targets: list[RecordId] = []
    """Ids of the parties the measure is aimed at."""
    products: list[Product] = []
    """Products or technologies covered."""
    status: MeasureStatus | None = None
    """Where the measure stands, as the source reports it."""
    description: str | None = None
    """Short description of the measure."""
    announced: PartialDate | None = None
    """Date the measure was announced or threatened."""
    effective: PartialDate | None = None
    """Date the measure took or takes effect."""
    removed: PartialDate | None = None
    """Date the measure was or is to be lifted."""
    evidence: list[EvidenceSpan] = []
    """Spans that describe the measure."""


class Statement(Record):
    """Something a party said, as reported in a source."""

    table: ClassVar[str] = "statements"

    id: RecordId
    """Identifier of the statement."""
    speaker: RecordId | None = None
    """Id of the party that spoke, or null when the speaker could not be resolved."""
    speaker_text: str | None = None
    """The speaker as written, such as ``Lutnick`` or ``officials on both sides``."""
    kind: StatementKind
    """Direct quotation, partial quotation or reported speech."""
    text: Text
    """The words: the quotation for ``direct``, the reported clause otherwise."""
    cue: str | None = None
    """The verb or phrase that introduces the statement, such as ``said`` or ``told reporters``."""
    reported_by: RecordId | None = None
    """Id of the medium that reported the statement, such as a news agency."""
    via: RecordId | None = None
    """Id of the party who relayed the speaker's words (a quote within a quote)."""
    setting: str | None = None
    """Where or how it was said, such as ``told reporters in London``."""
    date: PartialDate | None = None
    """When it was said, at the precision known."""
    date_text: str | None = None
    """The date as written, such as ``Wednesday``."""
    about: list[RecordId] = []
    """Ids of the measures or negotiations the statement is about."""
    confidence: Confidence | None = None
    """Confidence in the attribution, from 0 to 1, where an extractor gives one."""
    evidence: list[EvidenceSpan] = []
    """Spans of the statement in its source."""


class Round(StrictModel):
    """One round of a negotiation: a session of talks, a call, a summit or a meeting."""

    kind: RoundKind
    """The form of the round."""
    venue: str | None = None
    """Building or place, such as ``Lancaster House``."""
    city: str | None = None
    """City where the round was held."""
    country: CountryCode | None = None
    """Country where the round was held."""
    start: PartialDate | None = None
    """First day (or the month, week or year) of the round."""
    end: PartialDate | None = None
    """Last day of the round; not before ``start``."""
    duration_days: DurationDays | None = None
    """Length in days, where the source states it."""
    date_text: str | None = None
    """The date as written, such as ``last month``."""
    evidence: list[EvidenceSpan] = []
    """Spans that describe the round."""


class Negotiation(Record):
    """A negotiation between parties, with its rounds, status and the measures at stake."""

    table: ClassVar[str] = "negotiations"

    id: RecordId
    """Identifier of the negotiation (e.g. ``negotiation:cn-us``)."""
    title: Text
    """Short title, such as ``US-China trade talks``."""
    parties: list[RecordId] = []
    """Ids of the negotiating parties."""
    topics: Annotated[list[str], Field(json_schema_extra=_topics_codelist)] = []
    """Subjects of the negotiation; values from the open Topic codelist are preferred."""
    rounds: list[Round] = []
    """Rounds of talks, calls and meetings, in the order reported."""
    status: NegotiationStatus | None = None
    """Where the negotiation stands."""
    outcome: str | None = None
    """What was agreed, as reported, such as ``framework agreed in principle``."""
    pending: list[str] = []
    """Steps still outstanding, such as ``approval by leaders``."""
    measures: list[RecordId] = []
    """Ids of the measures at stake."""
    evidence: list[EvidenceSpan] = []
    """Spans that describe the negotiation."""


class Dataset(StrictModel):
    """A tradeschema document: the schema version and the lists of records.

    Validating a Dataset also checks its integrity (unique ids, references that resolve, evidence
    spans inside their sources); each violation is a validation error located at its JSON path.
    """

    schema_version: Annotated[str, StringConstraints(pattern=_SEMVER_PATTERN)]
    """Version of the tradeschema schema the data follows (SemVer), such as ``1.0.0``."""
    sources: list[Source] = []
    """Documents the records are taken from."""
    parties: list[Party] = []
    """States, blocs, bodies, organisations, media, people and groups."""
    negotiations: list[Negotiation] = []
    """Negotiations with their rounds."""
    measures: list[Measure] = []
    """Trade measures."""
    statements: list[Statement] = []
    """Statements by parties."""

    @model_validator(mode="after")
    def _check_integrity(self) -> Dataset:
        from .integrity import raise_for_violations

        raise_for_violations(self)
        return self
