"""Controlled vocabularies of the schema, each value documented, with crosswalks to outside codelists.

Every vocabulary is a :class:`enum.StrEnum`; the value is what appears in the data. Closed vocabularies
are enforced by the schema. :class:`Topic` is open: values outside it are allowed and reported as
warnings by the validator.

Crosswalks are kept as data next to the enums (:data:`MEASURE_TYPE_CODELIST`) and are also written into
the descriptions of the JSON Schema (:func:`codelist_description`), so users of the schema alone can
read them.
"""

from __future__ import annotations

import enum
import inspect
from dataclasses import asdict, dataclass
from typing import Any

from ._compat import StrEnum

__all__ = [
    "MEASURE_TYPE_CODELIST",
    "ControlListScheme",
    "HsEdition",
    "MeasureCodes",
    "MeasureStatus",
    "MeasureType",
    "NegotiationStatus",
    "PartyKind",
    "RoundKind",
    "SourceKind",
    "StatementKind",
    "Topic",
    "codelist",
    "codelist_description",
    "member_docs",
]


class SourceKind(StrEnum):
    """What kind of document a source is (BODS source types, plus news report)."""

    news_article = "news_article"
    """A news report by a publisher or agency."""
    press_release = "press_release"
    """A statement published by a party about itself (a self-declaration in BODS terms)."""
    official_document = "official_document"
    """A legal text, register entry or gazette notice issued by an authority (an official register)."""
    third_party = "third_party"
    """A report by an organisation that is neither the actor nor a news publisher."""
    primary_research = "primary_research"
    """Research done by the dataset's authors, such as an interview."""
    other = "other"
    """Any other kind of source."""


class PartyKind(StrEnum):
    """What kind of actor a party is."""

    state = "state"
    """A sovereign state or territory with its own trade policy, keyed by ISO 3166-1 code."""
    bloc = "bloc"
    """A group of states acting as one in trade, such as the European Union."""
    government_body = "government_body"
    """A ministry, agency or office of a state, such as a commerce ministry."""
    organization = "organization"
    """A company, association, international organisation or other body."""
    media = "media"
    """A news publisher, agency or broadcaster that reports statements."""
    person = "person"
    """A named individual."""
    group = "group"
    """An unnamed collective, such as "officials on both sides"."""


class MeasureType(StrEnum):
    """The instrument of a trade measure. See :data:`MEASURE_TYPE_CODELIST` for GTA and MAST codes."""

    export_restriction = "export_restriction"
    """An export-related measure not elsewhere specified, or an export control of unstated form."""
    export_ban = "export_ban"
    """A prohibition of exports."""
    export_licensing = "export_licensing"
    """A licence, permit or registration required to export."""
    export_quota = "export_quota"
    """A limit on the quantity or value of exports."""
    export_tax = "export_tax"
    """A tax or duty on exports."""
    import_tariff = "import_tariff"
    """A customs duty on imports."""
    import_ban = "import_ban"
    """A prohibition of imports."""
    import_quota = "import_quota"
    """A limit on the quantity or value of imports."""
    import_licensing = "import_licensing"
    """A non-automatic licence required to import."""
    anti_dumping = "anti_dumping"
    """An anti-dumping duty or investigation."""
    countervailing = "countervailing"
    """An anti-subsidy (countervailing) duty or investigation."""
    safeguard = "safeguard"
    """A safeguard measure against an import surge."""
    investment_restriction = "investment_restriction"
    """A rule on foreign direct investment, entry or ownership."""
    financial_sanction = "financial_sanction"
    """A control on commercial transactions or investment instruments, such as an asset freeze."""
    entity_listing = "entity_listing"
    """Listing of named firms, such as on the US Entity List (a licence requirement aimed at them)."""
    visa_restriction = "visa_restriction"
    """A restriction on visas or entry of people, such as students or workers."""
    other = "other"
    """Any other trade measure."""


@dataclass(frozen=True, slots=True)
class MeasureCodes:
    """A measure type's codes in outside classifications."""

    gta_intervention_type: int | None
    """Global Trade Alert intervention type number, where one exists."""
    mast_code: str | None
    """UNCTAD MAST code (2019 edition), where the type is a non-tariff measure with one."""
    mast_version: str | None
    """Edition of the MAST classification ``mast_code`` refers to."""


def _codes(gta: int | None, mast: str | None) -> MeasureCodes:
    return MeasureCodes(gta, mast, "2019" if mast else None)


MEASURE_TYPE_CODELIST: dict[MeasureType, MeasureCodes] = {
    MeasureType.export_restriction: _codes(37, "P9"),
    MeasureType.export_ban: _codes(19, "P31"),
    MeasureType.export_licensing: _codes(35, "P33"),
    MeasureType.export_quota: _codes(21, "P32"),
    MeasureType.export_tax: _codes(18, "P42"),
    MeasureType.import_tariff: _codes(47, None),
    MeasureType.import_ban: _codes(22, "E3"),
    MeasureType.import_quota: _codes(45, "E2"),
    MeasureType.import_licensing: _codes(36, "E1"),
    MeasureType.anti_dumping: _codes(51, "D1"),
    MeasureType.countervailing: _codes(53, "D2"),
    MeasureType.safeguard: _codes(52, "D3"),
    MeasureType.investment_restriction: _codes(25, None),
    MeasureType.financial_sanction: _codes(11, None),
    MeasureType.entity_listing: _codes(35, "P33"),
    MeasureType.visa_restriction: _codes(31, None),
    MeasureType.other: _codes(None, None),
}
"""Crosswalk from :class:`MeasureType` to GTA intervention types and MAST 2019 codes.

Tariffs are not a MAST chapter; investment, financial and visa measures have a GTA type but no MAST code.
"""


class MeasureStatus(StrEnum):
    """Where a measure stands in its life, as the source reports it."""

    threatened = "threatened"
    """Threatened or vowed, not yet formally proposed."""
    proposed = "proposed"
    """Formally proposed or under consultation."""
    announced = "announced"
    """Adopted or announced, not yet in force."""
    in_force = "in_force"
    """Being applied."""
    suspended = "suspended"
    """Adopted but paused."""
    removal_agreed = "removal_agreed"
    """In force, with its removal or easing agreed or promised."""
    removed = "removed"
    """Lifted or expired."""


class StatementKind(StrEnum):
    """How a statement is reported."""

    direct = "direct"
    """A full quotation; ``text`` is the words inside the quotation marks."""
    partial = "partial"
    """Reported speech containing a quoted fragment; ``text`` is the reported clause."""
    indirect = "indirect"
    """Reported speech without quotation marks; ``text`` is the reported clause."""


class NegotiationStatus(StrEnum):
    """Where a negotiation stands."""

    scheduled = "scheduled"
    """Talks are announced but have not begun."""
    ongoing = "ongoing"
    """Talks are under way."""
    agreed_in_principle = "agreed_in_principle"
    """The parties agreed in principle or on a framework; details remain open."""
    pending_approval = "pending_approval"
    """An agreement awaits approval by leaders, legislatures or other authorities."""
    concluded = "concluded"
    """An agreement is signed or final."""
    implemented = "implemented"
    """The agreement is being implemented."""
    stalled = "stalled"
    """Talks are paused without agreement."""
    collapsed = "collapsed"
    """Talks ended without agreement."""


class RoundKind(StrEnum):
    """The form of one round of a negotiation."""

    talks = "talks"
    """Negotiating sessions between delegations."""
    call = "call"
    """A telephone or video call."""
    summit = "summit"
    """A meeting of leaders."""
    meeting = "meeting"
    """Any other meeting."""


class HsEdition(StrEnum):
    """Edition of the Harmonized System nomenclature an HS code belongs to."""

    HS2012 = "HS2012"
    """HS 2012 edition."""
    HS2017 = "HS2017"
    """HS 2017 edition."""
    HS2022 = "HS2022"
    """HS 2022 edition."""


class ControlListScheme(StrEnum):
    """Export-control list an identifier belongs to."""

    us_eccn = "us_eccn"
    """US Export Control Classification Number on the Commerce Control List, such as 3A090."""
    eu_dual_use = "eu_dual_use"
    """Category or entry of Annex I of the EU Dual-Use Regulation, such as 3A001."""
    wassenaar = "wassenaar"
    """Wassenaar Arrangement list entry."""
    other = "other"
    """Any other control list."""


class Topic(StrEnum):
    """Subjects of a negotiation. An open vocabulary: other values are allowed, with a warning."""

    tariffs = "tariffs"
    """Customs duties."""
    export_controls = "export_controls"
    """Controls on exports of goods, software or technology."""
    critical_minerals = "critical_minerals"
    """Rare earths and other critical minerals and their products."""
    semiconductors = "semiconductors"
    """Chips, chip-making equipment and chip design software."""
    agriculture = "agriculture"
    """Farm and food products."""
    energy = "energy"
    """Oil, gas, power and energy technology."""
    automotive = "automotive"
    """Cars and car parts."""
    steel_aluminium = "steel_aluminium"
    """Steel, aluminium and other metals."""
    investment = "investment"
    """Foreign investment and ownership."""
    sanctions = "sanctions"
    """Financial and economic sanctions."""
    visas = "visas"
    """Visas and movement of people."""
    digital_trade = "digital_trade"
    """Data, digital services and platforms."""
    services = "services"
    """Trade in services."""
    procurement = "procurement"
    """Government procurement."""


def member_docs(enum_cls: type[enum.Enum]) -> dict[str, str]:
    """The docstring written under each member of a vocabulary, by value."""
    source = inspect.getsource(enum_cls)
    docs: dict[str, str] = {}
    lines = [line.strip() for line in source.splitlines()]
    for index, line in enumerate(lines[:-1]):
        name = line.split("=", 1)[0].strip()
        nxt = lines[index + 1]
        if name in enum_cls.__members__ and nxt.startswith('"""') and nxt.endswith('"""') and len(nxt) > 6:
            docs[str(enum_cls.__members__[name].value)] = nxt[3:-3]
    return docs


def codelist(enum_cls: type[enum.Enum], *, open_: bool = False) -> dict[str, Any]:
    """A vocabulary as JSON-ready data: its name, whether it is open, and each value with its description.

    Measure types carry their GTA and MAST codes. The field reference (``docs/schema.md``) is made
    from it; the JSON Schema carries the same in :func:`codelist_description`.
    """
    docs = member_docs(enum_cls)
    values: list[dict[str, Any]] = []
    for member in enum_cls:
        entry: dict[str, Any] = {"code": member.value, "description": docs.get(member.value, "")}
        if enum_cls is MeasureType:
            entry.update(asdict(MEASURE_TYPE_CODELIST[MeasureType(member.value)]))
        values.append(entry)
    return {"name": enum_cls.__name__, "open": open_, "values": values}


def codelist_description(enum_cls: type[enum.Enum], *, open_: bool = False) -> str:
    """A vocabulary's values as a Markdown list, one line per value with its description and codes.

    It is appended to the ``description`` of the vocabulary in the JSON Schema: a keyword of our own
    (such as ``x-codelist``) would be refused by validators in strict mode (Ajv's default), while a
    description is read by every tool and changes nothing in what is valid.
    """
    data = codelist(enum_cls, open_=open_)
    head = (
        f"Values of the open {data['name']} codelist (other values are allowed and reported as warnings):"
        if open_
        else "Values:"
    )
    lines = [head]
    for value in data["values"]:
        codes = []
        if value.get("gta_intervention_type") is not None:
            codes.append(f"GTA intervention type {value['gta_intervention_type']}")
        if value.get("mast_code") is not None:
            codes.append(f"MAST {value['mast_code']} ({value['mast_version']})")
        suffix = f" [{'; '.join(codes)}]" if codes else ""
        lines.append(f"- `{value['code']}`: {value['description']}{suffix}")
    return "\n".join(lines)
