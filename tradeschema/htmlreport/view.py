"""What the page shows, computed once in Python: labels, groups, timeline geometry and evidence marks.

The templates only lay these out. Everything here works on records in their JSON form, so a record
that failed its model cannot break the page: it is listed as written, with its issues.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..dates import DateInterval, DatePrecision, parse_partial_date
from ..report import Issue, IssueGroup, Report, Severity
from ..vocab import MeasureStatus, PartyKind
from .read import TABLES, LoadedRecord, ReadResult

__all__ = [
    "DEFER_ABOVE",
    "LIFECYCLE",
    "Lifecycle",
    "MeasureGroup",
    "NegotiationView",
    "Page",
    "RecordView",
    "RoundMark",
    "Segment",
    "SourceText",
    "SpeakerGroup",
    "Timeline",
    "build_page",
]

TABLE_LABELS = {
    "sources": ("Source", "Sources"),
    "parties": ("Party", "Parties"),
    "negotiations": ("Negotiation", "Negotiations"),
    "measures": ("Measure", "Measures"),
    "statements": ("Statement", "Statements"),
}
# Which record type colours a passage covered by spans of equal length: the most specific one.
_MARK_PRIORITY = {"statements": 0, "measures": 1, "negotiations": 2, "parties": 3, "sources": 4}

LIFECYCLE: tuple[tuple[str, str], ...] = (
    ("announced", "announced"),
    ("in_force", "in force"),
    ("suspended", "suspended"),
    ("removal_agreed", "removal agreed"),
    ("removed", "removed"),
)
"""The steps of a measure's life, in order, with their labels."""
_STEP_OF_STATUS = {
    MeasureStatus.threatened: -1,
    MeasureStatus.proposed: -1,
    MeasureStatus.announced: 0,
    MeasureStatus.in_force: 1,
    MeasureStatus.suspended: 2,
    MeasureStatus.removal_agreed: 3,
    MeasureStatus.removed: 4,
}
_DATE_OF_STEP = {"announced": "announced", "in_force": "effective", "removed": "removed"}

_SPEAKER_GROUP = {
    PartyKind.person: "person",
    PartyKind.group: "collective",
    PartyKind.state: "body",
    PartyKind.bloc: "body",
    PartyKind.government_body: "body",
    PartyKind.organization: "body",
    PartyKind.media: "body",
}
_GROUP_ORDER = {"person": 0, "body": 1, "collective": 2, "unresolved": 3}
_PLACE = re.compile(r"^\$\.(\w+)\[(\d+)\]")

DEFER_ABOVE = 2_000
"""Above this many records, cards of measures, statements and parties wait in ``<template>`` elements."""

# Timeline drawing, in SVG user units.
TIMELINE_WIDTH = 760
_LANE = 30
_AXIS = 26
_LEFT = 8
_RIGHT = 8
_MIN_BAND = 4.0


def text(value: Any) -> str:
    """A value for display: strings as they are, anything else as compact JSON, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _interval(value: Any) -> DateInterval | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_partial_date(value)
    except (ValueError, OverflowError):  # a week at the very end of year 9999 ends past Python's calendar
        return None


def humanize(value: Any) -> str:
    """A vocabulary value as words: ``removal_agreed`` -> ``removal agreed``."""
    return text(value).replace("_", " ")


@dataclass
class IssueView:
    """An issue as the page shows it."""

    issue: Issue
    place: str
    record_key: str | None
    count: int = 1
    record_id: str = ""
    """Id of the record the issue links to (the issue may not name it, as for a dangling reference)."""


@dataclass(eq=False)
class RecordView:
    """One record on the page."""

    key: str
    """Anchor of the record in the page (``r12``); ids may repeat in invalid data, anchors never."""
    table: str
    id: str
    label: str
    data: dict[str, Any]
    valid: bool
    file: str
    issues: list[IssueView] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    """Ids of the evidence marks of this record, in text order."""

    @property
    def type_label(self) -> str:
        return TABLE_LABELS[self.table][0]

    @property
    def raw_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, indent=2)


@dataclass
class RoundMark:
    """A round on a timeline: a point for a day, a band for a week, month or year."""

    index: int
    kind: str
    place: str
    date: str
    precision: str
    start_iso: str
    x: float = 0.0
    width: float = 0.0
    y: float = 0.0
    label_x: float = 0.0
    anchor: str = "start"
    point: bool = False
    date_text: str = ""
    duration: str = ""


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    axis_y: int
    ticks: list[Tick]
    rounds: list[RoundMark]
    undated: list[RoundMark]
    reported: str = ""
    """Date of the latest source about the negotiation, drawn as a reference line ("" for none)."""
    reported_x: float = 0.0


@dataclass
class NegotiationView:
    record: RecordView
    timeline: Timeline


@dataclass
class LifecycleStep:
    name: str
    label: str
    state: str
    """``done``, ``current``, ``ahead`` or ``unknown`` (a suspension that may never have happened)."""
    date: str = ""


@dataclass
class Lifecycle:
    before: str
    """``threatened`` or ``proposed`` when the measure has not been announced yet."""
    steps: list[LifecycleStep]


@dataclass
class MeasureView:
    record: RecordView
    lifecycle: Lifecycle
    parties: str
    """Ids of the imposer and targets, space-separated, for the party filter."""


@dataclass
class MeasureGroup:
    imposer: str | None
    targets: list[str]
    measures: list[MeasureView]


@dataclass
class SpeakerGroup:
    key: str
    kind: str
    """``person``, ``body``, ``collective`` or ``unresolved``."""
    speaker: RecordView | None
    name: str
    statements: list[RecordView]


@dataclass
class Segment:
    """A run of a source's text: plain, or a mark covered by the same set of evidence spans."""

    text: str
    start: int
    end: int
    mark_id: str = ""
    records: str = ""
    """Anchors of the records the run supports, space-separated."""
    table: str = ""


@dataclass
class SourceText:
    record: RecordView
    segments: list[Segment]
    marks: int


@dataclass
class Page:
    """Everything the template lays out."""

    report: Report
    """The validator's report on the input."""
    inputs: list[str]
    valid: bool
    errors: int
    warnings: int
    records_checked: int
    files: list[str]
    notes: list[str]
    groups: list[IssueView]
    issues_listed: int
    counts: list[tuple[str, str, int]]
    records: dict[str, list[RecordView]]
    invalid_records: list[RecordView]
    negotiations: list[NegotiationView]
    measure_groups: list[MeasureGroup]
    measure_filters: dict[str, list[tuple[str, str]]]
    speaker_groups: list[SpeakerGroup]
    parties_by_kind: list[tuple[str, list[RecordView]]]
    sources: list[SourceText]
    by_id: dict[str, RecordView]
    total_records: int
    total_marks: int

    @property
    def defer(self) -> bool:
        """Whether record cards are shipped inert and put in place by the page's script (large pages)."""
        return self.total_records > DEFER_ABOVE

    def ref(self, record_id: Any) -> RecordView | None:
        """The record an id refers to, or None when the dataset has none."""
        return self.by_id.get(record_id) if isinstance(record_id, str) else None

    def name(self, record_id: Any) -> str:
        """The label of the record an id refers to, or the id itself."""
        record = self.ref(record_id)
        return record.label if record is not None else text(record_id)


def _label(table: str, data: dict[str, Any], names: dict[str, str]) -> str:
    if table == "sources":
        return text(data.get("title")) or text(data.get("id"))
    if table == "parties":
        return text(data.get("name")) or text(data.get("id"))
    if table == "negotiations":
        return text(data.get("title")) or text(data.get("id"))
    if table == "measures":
        products = [text(p.get("text")) for p in _dicts(data.get("products"))]
        what = ", ".join(p for p in products if p) or text(data.get("description"))
        return f"{humanize(data.get('type'))}: {what}" if what else humanize(data.get("type"))
    speaker = names.get(text(data.get("speaker"))) or text(data.get("speaker_text")) or "unknown speaker"
    words = text(data.get("text"))
    return f"{speaker}: {words[:80]}{'…' if len(words) > 80 else ''}"


def _place(issue: Issue, renamed: dict[str, str]) -> str:
    place = renamed.get(issue.file or "", issue.file or "<input>")
    if issue.line is not None:
        place += f":{issue.line}"
    elif issue.row is not None:
        place += f" row {issue.row}"
    return place


class _Locator:
    """Finds the record an issue is about: by id, else by its place in the file."""

    def __init__(self, records: Iterable[RecordView], loaded: Iterable[LoadedRecord]) -> None:
        self.by_id: dict[str, str] = {}
        self.by_index: dict[tuple[str, str, int], str] = {}
        self.by_line: dict[tuple[str, int], str] = {}
        for view, item in zip(records, loaded, strict=True):
            self.by_id.setdefault(view.id, view.key)
            if item.index is not None:
                self.by_index[(item.file, item.table, item.index)] = view.key
            if item.line is not None:
                self.by_line[(item.file, item.line)] = view.key

    def find(self, issue: Issue) -> str | None:
        # The place first: of two records sharing an id, the issue is about the one at its place.
        match = _PLACE.match(issue.path or "")
        if match is not None and issue.file is not None:
            key = self.by_index.get((issue.file, match.group(1), int(match.group(2))))
            if key is not None:
                return key
        if issue.line is not None and issue.file is not None:
            key = self.by_line.get((issue.file, issue.line))
            if key is not None:
                return key
        if issue.record_id is not None:
            return self.by_id.get(issue.record_id)
        return None


def build_page(read: ReadResult) -> Page:
    """The page for a validation report and the records read with it."""
    loaded = read.records
    names = {
        text(item.data.get("id")): text(item.data.get("name"))
        for item in loaded
        if item.table == "parties" and item.valid
    }
    views = [
        RecordView(
            key=f"r{n}",
            table=item.table,
            id=text(item.data.get("id")) or "(no id)",
            label=_label(item.table, item.data, names) if item.valid else text(item.data.get("id")),
            data=item.data,
            valid=item.valid,
            file=read.renamed.get(item.file, item.file),
        )
        for n, item in enumerate(loaded)
    ]
    by_key = {view.key: view for view in views}
    by_id: dict[str, RecordView] = {}
    for view in views:
        by_id.setdefault(view.id, view)
    locator = _Locator(views, loaded)

    report = read.report
    for issue in report.issues:
        key = locator.find(issue)
        if key is not None:
            by_key[key].issues.append(IssueView(issue, _place(issue, read.renamed), key))
    groups = [_group_view(group, locator, read.renamed) for group in report.sorted_groups()]
    for group in groups:
        if group.record_key is not None:
            group.record_id = by_key[group.record_key].id

    valid_views = [view for view in views if view.valid]
    records: dict[str, list[RecordView]] = {table: [] for table in TABLES}
    for view in valid_views:
        records[view.table].append(view)
    sources, total_marks = _evidence(records)
    page = Page(
        report=report,
        inputs=read.inputs,
        valid=report.valid,
        errors=report.errors,
        warnings=report.warnings,
        records_checked=report.records,
        files=[read.renamed.get(name, name) for name in report.files],
        notes=[*report.notes, *read.notes],
        groups=groups,
        issues_listed=len(report.issues),
        counts=[
            (table, TABLE_LABELS[table][1], sum(1 for view in views if view.table == table))
            for table in TABLES
        ],
        records=records,
        invalid_records=[view for view in views if not view.valid],
        negotiations=[],
        measure_groups=[],
        measure_filters={},
        speaker_groups=[],
        parties_by_kind=[],
        sources=sources,
        by_id=by_id,
        total_records=len(views),
        total_marks=total_marks,
    )
    published = {view.id: text(view.data.get("published")) for view in records["sources"]}
    page.negotiations = [
        NegotiationView(view, timeline(view.data, _reported(view.data, published)))
        for view in records["negotiations"]
    ]
    page.measure_groups, page.measure_filters = _measures(records["measures"], page)
    page.speaker_groups = _speakers(records["statements"], page)
    by_kind: dict[str, list[RecordView]] = defaultdict(list)
    for view in records["parties"]:
        by_kind[text(view.data.get("kind"))].append(view)
    page.parties_by_kind = [(kind.value, by_kind[kind.value]) for kind in PartyKind if by_kind[kind.value]]
    return page


def _group_view(group: IssueGroup, locator: _Locator, renamed: dict[str, str]) -> IssueView:
    return IssueView(group.first, _place(group.first, renamed), locator.find(group.first), group.count)


def is_error(issue: Issue) -> bool:
    """Whether an issue makes the data invalid."""
    return issue.severity == Severity.error


# --- Negotiations: rounds on a time axis -------------------------------------------------------


def _shift(day: dt.date, days: int) -> dt.date:
    """The day ``days`` later (or earlier), kept inside the calendar Python knows (years 1 to 9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _round_interval(round_: dict[str, Any]) -> DateInterval | None:
    start = _interval(round_.get("start"))
    if start is None:
        return None
    end = _interval(round_.get("end"))
    last = start.last
    if end is not None and end.last > last:
        last = end.last
    days = round_.get("duration_days")
    if end is None and start.precision == DatePrecision.day and isinstance(days, int) and days > 1:
        last = _shift(start.first, days - 1)
    return DateInterval(start.first, last, start.precision)


def _ticks(first: dt.date, last: dt.date, scale: Any) -> list[Tick]:
    span_days = (last - first).days
    ticks = []
    if span_days <= 3 * 366:
        step = 1 if span_days <= 400 else 3
        day = dt.date(first.year, first.month, 1)
        while day <= last:
            if day >= first and (day.month - 1) % step == 0:
                ticks.append(Tick(scale(day), day.strftime("%b %Y")))
            if day.year == dt.MAXYEAR and day.month == 12:
                break
            day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    else:
        step = max(1, (last.year - first.year) // 8)
        for year in range(first.year, last.year + 1):
            day = dt.date(year, 1, 1)
            if day >= first and (year - first.year) % step == 0:
                ticks.append(Tick(scale(day), str(year)))
    return ticks


def _reported(negotiation: dict[str, Any], published: dict[str, str]) -> str | None:
    """The latest publication date of the sources a negotiation is taken from."""
    spans = [*_dicts(negotiation.get("evidence"))]
    for round_ in _dicts(negotiation.get("rounds")):
        spans.extend(_dicts(round_.get("evidence")))
    dates = {published.get(text(span.get("source_id")), "") for span in spans}
    known = [(interval, date) for date in dates if (interval := _interval(date)) is not None]
    return max(known, key=lambda pair: pair[0].last)[1] if known else None


def timeline(negotiation: dict[str, Any], reported_on: str | None = None) -> Timeline:
    """Rounds with a date placed on a shared time axis, in date order; rounds without one listed apart.

    ``reported_on``, the date of the latest source, is drawn as a reference line when rounds have dates.
    """
    reported = _interval(reported_on)
    dated: list[tuple[DateInterval, RoundMark]] = []
    undated: list[RoundMark] = []
    for index, round_ in enumerate(_dicts(negotiation.get("rounds"))):
        place = ", ".join(text(round_.get(key)) for key in ("venue", "city", "country") if round_.get(key))
        interval = _round_interval(round_)
        days = round_.get("duration_days")
        mark = RoundMark(
            index=index + 1,
            kind=humanize(round_.get("kind")),
            place=place,
            date=text(round_.get("start")) + (f" to {text(round_.get('end'))}" if round_.get("end") else ""),
            precision=str(interval.precision) if interval is not None else "",
            start_iso=interval.first.isoformat() if interval is not None else "",
            date_text=text(round_.get("date_text")),
            duration=f"{days} days" if isinstance(days, int) else "",
        )
        if interval is None:
            undated.append(mark)
        else:
            dated.append((interval, mark))
    dated.sort(key=lambda pair: (pair[0].first, pair[0].last, pair[1].index))
    height = _AXIS + _LANE * max(len(dated), 1) + 6
    if not dated:
        return Timeline(TIMELINE_WIDTH, height, _AXIS, [], [], undated)
    first = min(interval.first for interval, _ in dated)
    last = max(interval.last for interval, _ in dated)
    if reported is not None and (reported.first - last).days > 3 * 366:
        reported = None  # a source written long after the rounds would squeeze them into a line
    if reported is not None:
        first, last = min(first, reported.first), max(last, reported.last)
    pad = max(7, (last - first).days // 12)
    first = _shift(first, -pad)
    last = _shift(last, pad)
    inner = TIMELINE_WIDTH - _LEFT - _RIGHT
    total = (last - first).days + 1

    def scale(day: dt.date) -> float:
        return round(_LEFT + inner * (day - first).days / total, 1)

    rounds = []
    for lane, (interval, mark) in enumerate(dated):
        mark.y = _AXIS + _LANE * lane + _LANE / 2
        left = scale(interval.first)
        if interval.precision == DatePrecision.day and interval.first == interval.last:
            mark.point = True
            mark.x, mark.width = left, 0.0
        else:
            mark.x = left
            mark.width = max(_MIN_BAND, round(scale(_shift(interval.last, 1)) - left, 1))
        right_edge = mark.x + mark.width
        if right_edge > TIMELINE_WIDTH * 0.6:
            mark.anchor, mark.label_x = "end", round(mark.x - 8, 1)
        else:
            mark.anchor, mark.label_x = "start", round(right_edge + 8, 1)
        rounds.append(mark)
    # A label starting near the right edge would be cut off.
    ticks = [tick for tick in _ticks(first, last, scale) if tick.x < TIMELINE_WIDTH - 56]
    drawn = Timeline(TIMELINE_WIDTH, height, _AXIS, ticks, rounds, undated)
    if reported is not None:
        drawn.height += 16  # a row of its own for the label
        drawn.reported_x = scale(reported.first)
        drawn.reported = text(reported_on)
    return drawn


# --- Measures: a board by imposer and target ----------------------------------------------------


def lifecycle(measure: dict[str, Any]) -> Lifecycle:
    """Where a measure stands on announced → in force → suspended → removal agreed → removed."""
    status = measure.get("status")
    current = _STEP_OF_STATUS.get(MeasureStatus(status)) if status in set(MeasureStatus) else None
    steps = []
    for position, (name, label) in enumerate(LIFECYCLE):
        date = text(measure.get(_DATE_OF_STEP[name])) if name in _DATE_OF_STEP else ""
        if current is None:
            state = "done" if date else "unknown"
        elif position == current:
            state = "current"
        elif position < current:
            state = "unknown" if name == "suspended" else "done"
        else:
            state = "ahead"
        steps.append(LifecycleStep(name, label, state, date))
    before = text(status) if current == -1 else ""
    return Lifecycle(before, steps)


def _measures(
    views: list[RecordView], page: Page
) -> tuple[list[MeasureGroup], dict[str, list[tuple[str, str]]]]:
    grouped: dict[tuple[str, tuple[str, ...]], list[MeasureView]] = defaultdict(list)
    parties: Counter[str] = Counter()
    types: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for view in views:
        imposer = text(view.data.get("imposed_by"))
        targets = tuple(_strings(view.data.get("targets")))
        involved = [p for p in (imposer, *targets) if p]
        parties.update(set(involved))
        types[text(view.data.get("type"))] += 1
        statuses[text(view.data.get("status")) or "unknown"] += 1
        grouped[(imposer, targets)].append(MeasureView(view, lifecycle(view.data), " ".join(involved)))
    order = sorted(
        grouped,
        key=lambda key: (
            page.name(key[0]).lower() if key[0] else "~",
            [page.name(t).lower() for t in key[1]],
        ),
    )
    groups = [
        MeasureGroup(imposer or None, list(targets), grouped[(imposer, targets)])
        for imposer, targets in order
    ]
    filters = {
        "party": sorted(((p, page.name(p)) for p in parties), key=lambda item: item[1].lower()),
        "type": [(t, humanize(t)) for t in sorted(types)],
        "status": [(s, humanize(s)) for s in sorted(statuses)],
    }
    return groups, filters


# --- Statements, grouped by speaker -----------------------------------------------------------


def _speakers(views: list[RecordView], page: Page) -> list[SpeakerGroup]:
    groups: dict[str, SpeakerGroup] = {}
    for view in views:
        speaker_id = view.data.get("speaker")
        speaker = page.ref(speaker_id) if speaker_id else None
        if speaker is not None and speaker.table == "parties":
            key = speaker.key
            kind = _SPEAKER_GROUP.get(PartyKind(speaker.data["kind"]), "body")
            name = speaker.label
        else:
            written = text(view.data.get("speaker_text")) or text(speaker_id) or "unknown speaker"
            key, kind, name, speaker = f"text:{written.lower()}", "unresolved", written, None
        group = groups.get(key)
        if group is None:
            group = groups[key] = SpeakerGroup(key, kind, speaker, name, [])
        group.statements.append(view)
    return sorted(groups.values(), key=lambda g: (_GROUP_ORDER[g.kind], -len(g.statements), g.name.lower()))


# --- Evidence: sources with every span marked ----------------------------------------------------


def _spans(view: RecordView) -> Iterable[dict[str, Any]]:
    yield from _dicts(view.data.get("evidence"))
    if view.table == "negotiations":
        for round_ in _dicts(view.data.get("rounds")):
            yield from _dicts(round_.get("evidence"))


def _evidence(records: dict[str, list[RecordView]]) -> tuple[list[SourceText], int]:
    by_source: dict[str, list[tuple[int, int, RecordView]]] = defaultdict(list)
    for table in TABLES:
        for view in records[table]:
            for span in _spans(view):
                start, end = span.get("start"), span.get("end")
                if isinstance(start, int) and isinstance(end, int) and start < end:
                    by_source[text(span.get("source_id"))].append((start, end, view))
    sources = []
    counter = 0
    seen: set[str] = set()
    for view in records["sources"]:
        body = view.data.get("text")
        if not isinstance(body, str) or view.id in seen:
            continue
        seen.add(view.id)
        segments, counter = _segments(body, by_source.get(view.id, []), counter)
        sources.append(SourceText(view, segments, sum(1 for s in segments if s.mark_id)))
    return sources, counter


def _segments(body: str, spans: list[tuple[int, int, RecordView]], counter: int) -> tuple[list[Segment], int]:
    """The text cut at every span boundary; each run covered by spans is one mark."""
    spans = [(start, min(end, len(body)), view) for start, end, view in spans if start < len(body)]
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for number, (start, end, _) in enumerate(spans):
        starts[start].append(number)
        ends[end].append(number)
    cuts = sorted({0, len(body), *starts, *ends})
    active: Counter[int] = Counter()
    segments = []
    for left, right in itertools.pairwise(cuts):
        for number in ends.get(left, ()):
            active[number] -= 1
        for number in starts.get(left, ()):
            active[number] += 1
        numbers = sorted(n for n, c in active.items() if c > 0)
        covering = [spans[n][2] for n in numbers]
        segment = Segment(body[left:right], left, right)
        if covering:
            counter += 1
            segment.mark_id = f"m{counter}"
            unique = list({view.key: view for view in covering}.values())
            segment.records = " ".join(view.key for view in unique)
            # The innermost span colours the run, so a name inside a quotation keeps its own colour.
            innermost = min(
                numbers, key=lambda n: (spans[n][1] - spans[n][0], _MARK_PRIORITY[spans[n][2].table])
            )
            segment.table = spans[innermost][2].table
            for view in unique:
                view.marks.append(segment.mark_id)
        segments.append(segment)
    return segments, counter
