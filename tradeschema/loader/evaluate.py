"""Evaluate the article loader against hand-written gold annotations.

A gold file (``NNN_slug.gold.json`` next to ``NNN_slug.txt``) lists the facts a careful analyst would
extract from one article, keyed by names rather than ids so that it works with any id scheme. The
format is defined by :class:`GoldFile`; :func:`load_gold` validates a file and checks that every name it
refers to is one of its parties.

:func:`evaluate` runs :func:`tradeschema.load_article` on each gold file's article and matches the
predicted records to the gold records, per record type, one to one:

* a gold record and a predicted record *match* when all the key fields the gold record has agree
  (party: name or alias, kind; measure: type, imposer, product keyword; statement: speaker, text
  fragment, kind; negotiation: the set of parties);
* among several candidates the predicted record that also gets most attribute checks right is taken,
  and gold records with fewer candidates are served first (greedy, most constrained first);
* attributes (party country and role, measure status and targets, statement medium and relay,
  negotiation status and rounds) do not decide a match; they are counted separately on the matched
  pairs as ``correct / checked``.

Precision, recall and F1 are computed per record type from counts summed over all articles
(micro-averaged). Predicted parties of kind ``group`` (unnamed collectives such as "officials on both
sides") are not counted, and a gold statement whose speaker is ``null`` accepts a predicted statement
with no speaker or with a ``group`` speaker. See ``docs/evaluation.md``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..countries import CountryCode
from ..errors import InputError, TradeSchemaError
from ..vocab import MeasureStatus, MeasureType, NegotiationStatus, PartyKind, RoundKind, StatementKind

if TYPE_CHECKING:
    from ..models import Dataset, Measure, Negotiation, Party, Record, Statement

__all__ = [
    "EVALUATED_TYPES",
    "GOLD_SUFFIX",
    "STRICT_ATTRIBUTES",
    "ArticleResult",
    "AttributeScore",
    "EvaluationResult",
    "GoldFile",
    "GoldMeasure",
    "GoldNegotiation",
    "GoldParty",
    "GoldRound",
    "GoldStatement",
    "TypeScore",
    "article_path",
    "evaluate",
    "evaluate_dataset",
    "find_gold_files",
    "load_gold",
]

GOLD_SUFFIX = ".gold.json"
"""File name ending of gold files; a folder given to :func:`evaluate` is searched for these."""

EVALUATED_TYPES: tuple[str, ...] = ("party", "measure", "statement", "negotiation")
"""The record types that are scored, in report order. Sources are not scored."""

STRICT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "party": ("country",),
    "measure": ("status",),
    "statement": ("reported_by", "via"),
    "negotiation": ("status",),
}
"""Attributes a matched pair must also get right to count in the attribute-strict scores, by record
type, where the gold record gives them. A measure's type, a statement's kind and speaker and a party's
kind are keys of the match itself (where the gold gives them), so they are strict in both scores."""

# ---------------------------------------------------------------------------------------------------
# The gold format

Name = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class _GoldModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class GoldParty(_GoldModel):
    """A party the article names. Matched on name or alias, and kind."""

    name: Name
    """Canonical full name, such as ``United States`` or ``Howard Lutnick``."""
    kind: PartyKind | None = None
    """Kind of party; ``group`` is not allowed, as unnamed collectives are not evaluated."""
    aliases: list[Name] = []
    """Other names the party may be predicted under, such as ``US`` or ``Washington``."""
    country: CountryCode | None = None
    """Attribute: ISO 3166-1 alpha-2 code (``EU`` for the bloc)."""
    role: Name | None = None
    """Attribute: a fragment the predicted role must contain, such as ``Commerce Secretary``."""


class GoldMeasure(_GoldModel):
    """A measure the article reports. Matched on type, imposer and product keyword."""

    type: MeasureType
    """The instrument."""
    imposed_by: Name | None = None
    """Name of the imposing party; ``null`` means the prediction must have no imposer."""
    product: Name | None = None
    """Lowercase keyword that must occur in a predicted product text or in the description."""
    targets: list[Name] | None = None
    """Attribute: names of parties that must all be among the predicted targets."""
    status: MeasureStatus | None = None
    """Attribute: the status the prediction must have."""


class GoldStatement(_GoldModel):
    """A statement the article reports. Matched on speaker, text fragment and kind."""

    text: Name
    """Fragment that must occur in the predicted text (case, quotes and whitespace normalised)."""
    speaker: Name | None = None
    """Name of the speaker; ``null`` for an unresolved speaker (no speaker, or a ``group`` party)."""
    kind: StatementKind | None = None
    """Direct, partial or indirect."""
    reported_by: Name | None = None
    """Attribute: name of the medium that reported the statement; ``null`` for none."""
    via: Name | None = None
    """Attribute: name of the party that relayed the words; ``null`` for none."""


class GoldRound(_GoldModel):
    """A round of a negotiation; a predicted round matches when every key given agrees."""

    kind: RoundKind | None = None
    """Form of the round."""
    city: Name | None = None
    """City where it was held."""


class GoldNegotiation(_GoldModel):
    """A negotiation the article reports. Matched on the set of parties."""

    parties: Annotated[list[Name], Field(min_length=1)]
    """Names of the negotiating parties; the predicted set must be the same set."""
    status: NegotiationStatus | None = None
    """Attribute: the status the prediction must have."""
    rounds: list[GoldRound] | None = None
    """Attribute: rounds that must each be matched by a distinct predicted round."""


class GoldFile(_GoldModel):
    """The gold annotations of one article."""

    article: Name
    """File name of the article, relative to the gold file's folder."""
    parties: list[GoldParty] = []
    """Parties the article names (no ``group`` parties)."""
    measures: list[GoldMeasure] = []
    """Measures the article reports."""
    statements: list[GoldStatement] = []
    """Statements the article reports."""
    negotiations: list[GoldNegotiation] = []
    """Negotiations the article reports."""

    def names_of(self, name: str) -> frozenset[str]:
        """The normalised names (name and aliases) of the gold party called ``name``."""
        key = normalize_name(name)
        for party in self.parties:
            names = _party_names(party.name, party.aliases)
            if key in names:
                return names
        return frozenset({key})


# ---------------------------------------------------------------------------------------------------
# Normalisation

_DOUBLE_QUOTES = dict.fromkeys(map(ord, '"“”„‟«»″'), None)
_SINGLE_QUOTES = dict.fromkeys(map(ord, "‘’‚‛′"), "'")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Text for fragment matching: casefolded, double quotes removed, apostrophes and spaces unified."""
    text = unicodedata.normalize("NFKC", text).translate(_DOUBLE_QUOTES).translate(_SINGLE_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


def normalize_name(name: str) -> str:
    """A name for comparison: accents, a leading "the" and a trailing qualifier in parentheses dropped
    (``Ministry of Commerce (China)``), punctuation and case ignored."""
    decomposed = unicodedata.normalize("NFKD", _QUALIFIER.sub("", name) or name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = normalize_text(plain).replace("'s ", " ")
    plain = re.sub(r"[^\w\s'-]", " ", plain)
    plain = _SPACE.sub(" ", plain).strip()
    return plain.removeprefix("the ")


def _party_names(name: str, aliases: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize_name(value) for value in (name, *aliases))


# ---------------------------------------------------------------------------------------------------
# Loading gold files


def _json_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _check_references(gold: GoldFile) -> list[str]:
    """Names used in measures, statements and negotiations that are not gold parties."""
    known: set[str] = set()
    problems: list[str] = []
    for index, party in enumerate(gold.parties):
        if party.kind is PartyKind.group:
            problems.append(f"parties[{index}].kind: group parties are not evaluated; leave them out")
        names = _party_names(party.name, party.aliases)
        clash = names & known
        if clash:
            problems.append(f"parties[{index}].name: {party.name!r} repeats the name {sorted(clash)[0]!r}")
        known |= names

    def check(path: str, name: str | None) -> None:
        if name is not None and normalize_name(name) not in known:
            problems.append(f"{path}: {name!r} is not the name or alias of a party in this file")

    for index, measure in enumerate(gold.measures):
        check(f"measures[{index}].imposed_by", measure.imposed_by)
        for position, target in enumerate(measure.targets or []):
            check(f"measures[{index}].targets[{position}]", target)
    for index, statement in enumerate(gold.statements):
        for key in ("speaker", "reported_by", "via"):
            check(f"statements[{index}].{key}", getattr(statement, key))
    for index, negotiation in enumerate(gold.negotiations):
        for position, name in enumerate(negotiation.parties):
            check(f"negotiations[{index}].parties[{position}]", name)
    return problems


def article_path(gold_file: str | Path, gold: GoldFile, texts: str | Path | None = None) -> Path:
    """Where the article of ``gold`` is: in the folder ``texts`` when given, else beside the gold file.

    Texts that may not be redistributed (published news) are kept apart from their gold files, in a
    folder of their own; the gold names the article by file name only.
    """
    folder = Path(texts) if texts is not None else Path(gold_file).parent
    return folder / gold.article


def load_gold(path: str | Path, *, texts: str | Path | None = None) -> GoldFile:
    """Read and validate one gold file.

    ``texts`` is the folder holding the articles when they are not beside the gold file. Raises
    :class:`~tradeschema.errors.InputError` naming the file and the key (as a JSON path) when the file
    cannot be read, is not JSON, does not follow :class:`GoldFile`, refers to a party it does not
    list, or names an article that does not exist.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read gold file: {exc.strerror or exc}", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"gold file is not UTF-8: {exc.reason}", file=str(path)) from exc
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", file=str(path), line=exc.lineno) from exc
    try:
        gold = GoldFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        shown = "; ".join(f"{_json_path(error['loc'])}: {error['msg']}" for error in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InputError(f"invalid gold file: {shown}{more}", file=str(path)) from exc
    problems = _check_references(gold)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise InputError(f"invalid gold file: {'; '.join(problems[:5])}{more}", file=str(path))
    if not article_path(path, gold, texts).is_file():
        where = "next to the gold file" if texts is None else f"in the texts folder {str(texts)!r}"
        raise InputError(f"article: no such file {gold.article!r} {where}", file=str(path))
    return gold


def find_gold_files(paths: Iterable[str | Path]) -> list[Path]:
    """Gold files named by ``paths``: files as given, folders searched (not recursively) for ``*.gold.json``.

    Raises :class:`~tradeschema.errors.InputError` for a path that does not exist or a folder without
    gold files.
    """
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            files = sorted(child for child in path.iterdir() if child.name.endswith(GOLD_SUFFIX))
            if not files:
                raise InputError(f"no *{GOLD_SUFFIX} files in this folder", file=str(path))
            found.extend(files)
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or folder", file=str(path))
    return found


# ---------------------------------------------------------------------------------------------------
# Scores


@dataclass
class AttributeScore:
    """How often an attribute was right on matched pairs where the gold record gives it."""

    checked: int = 0
    """Matched pairs whose gold record has the attribute."""
    correct: int = 0
    """Of those, pairs where the prediction agrees."""

    @property
    def accuracy(self) -> float | None:
        """``correct / checked``, or ``None`` when nothing was checked."""
        return self.correct / self.checked if self.checked else None


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class TypeScore:
    """Counts for one record type, and the precision, recall and F1 they give."""

    gold: int = 0
    """Gold records."""
    predicted: int = 0
    """Predicted records (parties of kind ``group`` excluded)."""
    matched: int = 0
    """Gold records matched one to one by a predicted record."""
    strict: int = 0
    """Matched pairs that also get every strict attribute right (see :data:`STRICT_ATTRIBUTES`)."""
    attributes: dict[str, AttributeScore] = field(default_factory=dict)
    """Attribute checks on the matched pairs, by attribute name."""

    @property
    def precision(self) -> float | None:
        """``matched / predicted``, or ``None`` when nothing was predicted."""
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float | None:
        """``matched / gold``, or ``None`` when gold has no records of this type."""
        return _ratio(self.matched, self.gold)

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; ``None`` when either is undefined."""
        precision, recall = self.precision, self.recall
        if precision is None or recall is None:
            return None
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def strict_precision(self) -> float | None:
        """``strict / predicted``: precision when a match also needs the strict attributes right."""
        return _ratio(self.strict, self.predicted)

    @property
    def strict_recall(self) -> float | None:
        """``strict / gold``: recall when a match also needs the strict attributes right."""
        return _ratio(self.strict, self.gold)

    @property
    def strict_f1(self) -> float | None:
        """Harmonic mean of the strict precision and recall; ``None`` when either is undefined."""
        precision, recall = self.strict_precision, self.strict_recall
        if precision is None or recall is None:
            return None
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def add(self, other: TypeScore) -> None:
        """Add another score's counts to this one (micro-averaging)."""
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.strict += other.strict
        for name, score in other.attributes.items():
            total = self.attributes.setdefault(name, AttributeScore())
            total.checked += score.checked
            total.correct += score.correct

    def to_dict(self) -> dict[str, Any]:
        """The counts, ratios and attribute checks as JSON-ready data."""
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "strict": {
                "matched": self.strict,
                "precision": self.strict_precision,
                "recall": self.strict_recall,
                "f1": self.strict_f1,
            },
            "attributes": {
                name: {"checked": score.checked, "correct": score.correct, "accuracy": score.accuracy}
                for name, score in sorted(self.attributes.items())
            },
        }


@dataclass
class ArticleResult:
    """The scores of one article, with what was missed and what was predicted in excess."""

    gold_file: str
    """Path of the gold file."""
    article: str
    """Path of the article."""
    scores: dict[str, TypeScore]
    """Scores by record type (``party``, ``measure``, ``statement``, ``negotiation``)."""
    missed: dict[str, list[str]]
    """Short descriptions of the gold records no prediction matched, by record type."""
    spurious: dict[str, list[str]]
    """Ids of the counted predicted records that matched no gold record, by record type."""

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "gold_file": self.gold_file,
            "article": self.article,
            "scores": {name: score.to_dict() for name, score in self.scores.items()},
            "missed": self.missed,
            "spurious": self.spurious,
        }


@dataclass
class EvaluationResult:
    """The results of every article, and their micro-averaged totals."""

    articles: list[ArticleResult]
    """One result per gold file, in the order evaluated."""

    @property
    def totals(self) -> dict[str, TypeScore]:
        """Scores per record type, from counts summed over all articles."""
        totals = {name: TypeScore() for name in EVALUATED_TYPES}
        for article in self.articles:
            for name, score in article.scores.items():
                totals[name].add(score)
        return totals

    def to_dict(self) -> dict[str, Any]:
        """The totals and per-article results as JSON-ready data."""
        return {
            "totals": {name: score.to_dict() for name, score in self.totals.items()},
            "articles": [article.to_dict() for article in self.articles],
        }


# ---------------------------------------------------------------------------------------------------
# Matching

G = TypeVar("G", bound=BaseModel)
P = TypeVar("P", bound="Record")

_Checks = dict[str, bool]
"""Attribute name -> whether the prediction gets it right, for the attributes the gold record has."""


class _Context:
    """Predicted parties by id and gold names, for resolving name references."""

    def __init__(self, gold: GoldFile, dataset: Dataset) -> None:
        self.gold = gold
        self.parties: dict[str, Party] = {party.id: party for party in dataset.parties}
        self.names: dict[str, frozenset[str]] = {
            party.id: _party_names(party.name, party.aliases) for party in dataset.parties
        }

    def refers_to(self, party_id: str | None, gold_name: str | None) -> bool:
        """Whether the predicted reference ``party_id`` points at the gold party ``gold_name``.

        A gold ``None`` accepts only a missing reference.
        """
        if gold_name is None or party_id is None:
            return gold_name is None and party_id is None
        return bool(self.names.get(party_id, frozenset()) & self.gold.names_of(gold_name))

    def is_unresolved(self, party_id: str | None) -> bool:
        """Whether a predicted speaker is missing or an unnamed collective."""
        return party_id is None or (
            party_id in self.parties and self.parties[party_id].kind is PartyKind.group
        )


def _assign(
    gold: Sequence[G],
    predicted: Sequence[P],
    is_match: Callable[[G, P], bool],
    checks: Callable[[G, P], _Checks],
) -> dict[int, int]:
    """One-to-one greedy matching: gold index -> predicted index.

    Gold records with the fewest candidates go first; each takes the free candidate with the most
    attributes right (then the earliest).
    """
    candidates = {
        index: [position for position, pred in enumerate(predicted) if is_match(record, pred)]
        for index, record in enumerate(gold)
    }
    taken: set[int] = set()
    assignment: dict[int, int] = {}
    for index in sorted(candidates, key=lambda key: (len(candidates[key]), key)):
        free = [position for position in candidates[index] if position not in taken]
        if not free:
            continue
        best = max(free, key=lambda pos: (sum(checks(gold[index], predicted[pos]).values()), -pos))
        assignment[index] = best
        taken.add(best)
    return assignment


def _score(
    gold: Sequence[G],
    predicted: Sequence[P],
    is_match: Callable[[G, P], bool],
    checks: Callable[[G, P], _Checks],
    describe: Callable[[G], str],
    *,
    strict: tuple[str, ...] = (),
) -> tuple[TypeScore, list[str], list[str], dict[int, int]]:
    """Score one record type: counts, attribute checks, missed gold, spurious predictions, assignment.

    A matched pair counts in ``score.strict`` when every attribute named in ``strict`` that its
    checks hold is right.
    """
    assignment = _assign(gold, predicted, is_match, checks)
    score = TypeScore(gold=len(gold), predicted=len(predicted), matched=len(assignment))
    for index, position in assignment.items():
        pair = checks(gold[index], predicted[position])
        score.strict += all(ok for name, ok in pair.items() if name in strict)
        for name, ok in pair.items():
            attribute = score.attributes.setdefault(name, AttributeScore())
            attribute.checked += 1
            attribute.correct += ok
    missed = [describe(record) for index, record in enumerate(gold) if index not in assignment]
    used = set(assignment.values())
    spurious = [pred.id for position, pred in enumerate(predicted) if position not in used]
    return score, missed, spurious, assignment


def _party_checks(gold: GoldParty, pred: Party) -> _Checks:
    checks: _Checks = {}
    if gold.country is not None:
        checks["country"] = pred.country is not None and str(pred.country) == str(gold.country)
    if gold.role is not None:
        checks["role"] = pred.role is not None and normalize_text(gold.role) in normalize_text(pred.role)
    return checks


def _measure_has_keyword(pred: Measure, keyword: str) -> bool:
    key = normalize_text(keyword)
    texts = [product.text for product in pred.products]
    if pred.description:
        texts.append(pred.description)
    return any(key in normalize_text(text) for text in texts)


def _statement_matches(ctx: _Context, gold: GoldStatement, pred: Statement) -> bool:
    if normalize_text(gold.text) not in normalize_text(pred.text):
        return False
    if gold.kind is not None and pred.kind is not gold.kind:
        return False
    if "speaker" in gold.model_fields_set:
        if gold.speaker is None:
            return ctx.is_unresolved(pred.speaker)
        return ctx.refers_to(pred.speaker, gold.speaker)
    return True


def _same_party_set(ctx: _Context, names: Sequence[str], ids: Sequence[str]) -> bool:
    remaining = list(dict.fromkeys(ids))
    if len(remaining) != len(set(names)):
        return False
    for name in dict.fromkeys(names):
        hit = next((party_id for party_id in remaining if ctx.refers_to(party_id, name)), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return True


def _rounds_matched(gold: GoldNegotiation, pred: Negotiation) -> tuple[int, int]:
    """(gold rounds, of which matched one to one by a predicted round)."""
    wanted = gold.rounds or []
    free = list(pred.rounds)
    matched = 0
    for round_ in wanted:
        for candidate in free:
            if round_.kind is not None and candidate.kind is not round_.kind:
                continue
            if round_.city is not None and (
                candidate.city is None or normalize_name(candidate.city) != normalize_name(round_.city)
            ):
                continue
            free.remove(candidate)
            matched += 1
            break
    return len(wanted), matched


def evaluate_dataset(
    gold: GoldFile, dataset: Dataset, *, gold_file: str = "", article: str = ""
) -> ArticleResult:
    """Match the records of ``dataset`` to ``gold`` and score each record type.

    ``gold_file`` and ``article`` are only copied into the result, to name it in reports.
    """
    ctx = _Context(gold, dataset)
    scores: dict[str, TypeScore] = {}
    missed: dict[str, list[str]] = {}
    spurious: dict[str, list[str]] = {}

    counted_parties = [party for party in dataset.parties if party.kind is not PartyKind.group]
    scores["party"], missed["party"], spurious["party"], _ = _score(
        gold.parties,
        counted_parties,
        lambda g, p: (
            bool(_party_names(g.name, g.aliases) & ctx.names[p.id]) and (g.kind is None or p.kind is g.kind)
        ),
        _party_checks,
        lambda g: f"{g.name} ({g.kind or 'any kind'})",
        strict=STRICT_ATTRIBUTES["party"],
    )

    def measure_matches(g: GoldMeasure, p: Measure) -> bool:
        if p.type is not g.type:
            return False
        if "imposed_by" in g.model_fields_set and not ctx.refers_to(p.imposed_by, g.imposed_by):
            return False
        return g.product is None or _measure_has_keyword(p, g.product)

    def measure_checks(g: GoldMeasure, p: Measure) -> _Checks:
        checks: _Checks = {}
        if g.status is not None:
            checks["status"] = p.status is g.status
        if g.targets is not None:
            checks["targets"] = all(
                any(ctx.refers_to(target, name) for target in p.targets) for name in g.targets
            )
        return checks

    scores["measure"], missed["measure"], spurious["measure"], _ = _score(
        gold.measures,
        dataset.measures,
        measure_matches,
        measure_checks,
        lambda g: f"{g.type} by {g.imposed_by or '?'}" + (f" on {g.product}" if g.product else ""),
        strict=STRICT_ATTRIBUTES["measure"],
    )

    def statement_checks(g: GoldStatement, p: Statement) -> _Checks:
        checks: _Checks = {}
        for key in ("reported_by", "via"):
            if key in g.model_fields_set:
                checks[key] = ctx.refers_to(getattr(p, key), getattr(g, key))
        return checks

    scores["statement"], missed["statement"], spurious["statement"], _ = _score(
        gold.statements,
        dataset.statements,
        lambda g, p: _statement_matches(ctx, g, p),
        statement_checks,
        lambda g: f"{g.speaker or 'unresolved'}: {g.text}",
        strict=STRICT_ATTRIBUTES["statement"],
    )

    def negotiation_checks(g: GoldNegotiation, p: Negotiation) -> _Checks:
        checks: _Checks = {}
        if g.status is not None:
            checks["status"] = p.status is g.status
        return checks

    scores["negotiation"], missed["negotiation"], spurious["negotiation"], assignment = _score(
        gold.negotiations,
        dataset.negotiations,
        lambda g, p: _same_party_set(ctx, g.parties, p.parties),
        negotiation_checks,
        lambda g: " / ".join(g.parties),
        strict=STRICT_ATTRIBUTES["negotiation"],
    )
    # Rounds are counted one by one: a negotiation with 2 of its 3 rounds found scores 2 of 3.
    for index, position in assignment.items():
        if gold.negotiations[index].rounds is not None:
            wanted, found = _rounds_matched(gold.negotiations[index], dataset.negotiations[position])
            rounds = scores["negotiation"].attributes.setdefault("rounds", AttributeScore())
            rounds.checked += wanted
            rounds.correct += found
    return ArticleResult(gold_file, article, scores, missed, spurious)


Loader = Callable[[Path], "Dataset"]
"""A function that reads an article file into a dataset, such as :func:`tradeschema.load_article`."""


def _default_loader() -> Loader:
    import tradeschema

    try:
        loader: Loader = tradeschema.load_article
    except AttributeError as exc:
        raise TradeSchemaError("the article loader (tradeschema.load_article) is not available") from exc
    return loader


def evaluate(
    paths: Iterable[str | Path], *, loader: Loader | None = None, texts: str | Path | None = None
) -> EvaluationResult:
    """Evaluate the article loader on gold files (or folders of them).

    Every gold file is loaded and validated before any article is read, so a bad gold file fails
    fast. ``loader`` reads one article into a :class:`~tradeschema.models.Dataset`; it defaults to
    :func:`tradeschema.load_article`. ``texts`` is the folder that holds the articles when they are
    kept apart from the gold files. Raises :class:`~tradeschema.errors.InputError` for a missing path
    or an invalid gold file.
    """
    files = find_gold_files(paths)
    golds = [(path, load_gold(path, texts=texts)) for path in files]
    read = loader if loader is not None else _default_loader()
    results = []
    for path, gold in golds:
        article = article_path(path, gold, texts)
        dataset = read(article)
        results.append(evaluate_dataset(gold, dataset, gold_file=str(path), article=str(article)))
    return EvaluationResult(results)
