"""Search across everything a user may see, declared by the app that holds each record.

The kernel names no app: each app says what it makes searchable in its own
``search.py``, found at start-up as ``personal_data.py`` is. A source's records are the
app's own selector for that user, so search shows nothing its pages would not (a parent
finds their own concerns and bookings; staff the incidents they logged; the principal no
complaint about themselves). Example, ``incidents/search.py`` (shortened)::

    from incidents.selectors import incident_list
    from overstone.roles import Capability
    from overstone.search import Hit, SearchSource, register

    register(
        SearchSource(
            name="incidents",  # the group's key in the address: ?kind=incidents
            label="e-Safety incidents",
            capabilities=(Capability.LOG_INCIDENT,),  # who may search it at all
            records=lambda user: incident_list(user=user),
            fields=("reference", "description", "pupils__name"),  # relations allowed
            describe=lambda incident: Hit(
                title=incident.reference,
                summary=incident.description,
                url=incident.get_absolute_url(),
                on=incident.occurred_at,
            ),
        )
    )

``describe`` reads only what ``records`` loaded (``select_related``), so a page of
results is a fixed number of queries however many rows match.

On PostgreSQL a word matches by full-text search (English stemming: "bullied" finds
"bullying") or by trigram word similarity (typos: "Fotheringam" finds "Fotheringham"),
each served by a GIN index (``SearchIndexes`` in the app's migration); results are ranked
by ``SearchRank``. On SQLite a word matches as a substring of a field. Every word must
match, each in any field. Searching is not viewing a record: nothing is audited and the
words are never logged.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.postgres.operations import BtreeGinExtension, TrigramExtension
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.module_loading import autodiscover_modules
from django.utils.text import Truncator

from overstone.models import current_school_id
from overstone.roles import Capability, can
from overstone.schools import kept_per_school

# The stemming dictionary of PostgreSQL's full-text search; an index must name the same.
CONFIG = "english"
MAX_WORDS = 8
MIN_WORD = 2  # shorter words match nearly everything by similarity
PER_GROUP = 5  # results of each kind on the page of every kind
PER_PAGE = 20  # results on the page of one kind
# Matches of each kind counted at most ("1,000+"), and ranked by a computed score only up
# to this many: above it the group is shown in its list's own order (newest first) and
# only the first this many can be paged through, so a word in every record costs what a
# list page costs, not two reads of the whole table.
COUNT_AT_MOST = 1_000
SUMMARY_WORDS = 30


@dataclass(frozen=True)
class Hit:
    """One result, as the results page shows it."""

    title: str
    summary: str
    url: str
    on: date | datetime | None = None

    def __post_init__(self):
        object.__setattr__(self, "summary", Truncator(self.summary).words(SUMMARY_WORDS))


@dataclass(frozen=True)
class SearchSource:
    """Records of one kind that a user may search, and how one reads in the results."""

    name: str
    label: str
    capabilities: tuple[Capability, ...]  # any one lets a user search this source
    records: Callable[[Any], QuerySet]  # (user): the records this user may open
    fields: tuple[str, ...]  # text searched; may follow relations ("pupils__name")
    describe: Callable[[Any], Hit]
    # Codes matched whole, as typed or in capitals ("inc-2026-0042"), never by similarity:
    # every reference of a year looks alike.
    references: tuple[str, ...] = ()

    def searchable_by(self, user) -> bool:
        return any(can(user, capability) for capability in self.capabilities)

    def find(self, *, user, words: list[str]) -> QuerySet:
        """This user's records in which every word matches some field."""
        records = self.records(user)
        for word in words:
            records = records.filter(self._matches(records.model, word))
        return records

    def _matches(self, model, word: str) -> Q:
        """The records with the word in one of their fields, which may follow relations
        (``_fields_q``), or as one of their references."""
        codes = sorted({word, word.upper()})
        references = (Q(**{f"{name}__in": codes}) for name in self.references)
        return reduce(or_, references, _fields_q(model, self.fields, word))

    def ranked(self, found: QuerySet, *, words: list[str]) -> QuerySet:
        """Best match first on PostgreSQL (on this record's own fields); else its list's
        own order."""
        own = [name for name in self.fields if "__" not in name]
        if connection.vendor != "postgresql" or not own:
            return found
        query = reduce(or_, (SearchQuery(word, config=CONFIG) for word in words))
        rank = SearchRank(SearchVector(*own, config=CONFIG), query)
        ordering = found.query.order_by or found.model._meta.ordering
        return found.annotate(search_rank=rank).order_by("-search_rank", *ordering)


class _InArray(Func):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once, and its ids are an
    indexed condition PostgreSQL can ``OR`` with the others (``IN (subquery)`` is not)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def _fields_q(model, names: tuple[str, ...] | list[str], word: str, *, ids_first=False) -> Q:
    """The rows of ``model`` with the word in one of these fields, which may follow
    relations ("description", "pupils__name", "pupils__pupil__first_name"). Written so
    that PostgreSQL can choose its plan: each relation's ids are read first, from its own
    table by its indexes, into an array (``pk = ANY(ARRAY(…))``), so the whole condition is
    an ``OR`` of indexed conditions on this table. A rare word is then found through the
    indexes alone, and a word in every row by reading rows until the page (or the capped
    count) is full; an ``OR`` of ``pk IN (subquery)`` conditions would test every row
    against each instead. A relation's fields are read in one subquery, and a relation of
    a relation the same way in turn: the pupils named on incidents are found among the
    pupils first, then their incidents through the link table's index, never by joining
    every link to its pupil. A row found through several related rows is listed once.

    PostgreSQL tests the conditions in the order written, for each row it reads or must
    recheck (every row a trigram index finds), and tests an id against an array one
    element at a time. The records' own text comes first: a word in every record is
    found there, by reading records until the page is full, without looking through the
    arrays of (possibly tens of thousands of) ids. In a related table (``ids_first``) the
    relations' ids come first: the pupils of one name are a few ids, cheaper to look
    through than working out the text of each of the thousands of links naming them."""
    own, relations = [], {}
    for name in names:
        hop, _, rest = name.partition("__")
        if rest:
            relations.setdefault(hop, []).append(rest)
        else:
            own.append(_field_q(name, word))
    related = [_in_ids(*_related_ids(model, hop, rest, word)) for hop, rest in relations.items()]
    return reduce(or_, [*related, *own] if ids_first else [*own, *related])


def _in_ids(column: str, ids: QuerySet) -> Q:
    """The rows whose ``column`` holds one of ``ids``: on PostgreSQL
    ``column = ANY(ARRAY(subquery))``, which runs the subquery once and is an indexed
    condition that can be ``OR``-ed with others."""
    if connection.vendor == "postgresql":
        # Written out as SQL here, once: as a subquery expression Django would copy and
        # resolve it again at each level it is nested in, and with every word's filter.
        sql, params = ids.query.sql_with_params()
        return Q(_InArray(F(column), RawSQL(f"ARRAY({sql})", params)))
    return Q(**{f"{column}__in": ids})


def _related_ids(model, hop: str, names: list[str], word: str) -> tuple[str, QuerySet]:
    """A column of ``model`` and the ids it must hold for the word to be in one of these
    fields of the relation ``hop``, read from the related table itself (its foreign key,
    or the through table's) without joining ``model``'s own table back in."""
    field = model._meta.get_field(hop)
    related = field.related_model

    def rows(table, found: Q):
        """The related rows that match; of the school in scope only, when they are kept
        per school (a record names only its own school's pupils): a name common in a
        trust is then a few of this school's pupils, not every school's."""
        rows = table._base_manager.filter(found).order_by()
        school_id = current_school_id()
        if school_id and kept_per_school(table):
            rows = rows.filter(school_id=school_id)
        return rows

    if field.concrete and not field.many_to_many:  # a foreign key or one-to-one on the row
        return hop, rows(related, _fields_q(related, names, word, ids_first=True)).values("pk")
    if field.one_to_many:  # a foreign key on the related rows
        found = _fields_q(related, names, word, ids_first=True)
        return "pk", rows(related, found).values(field.field.attname)
    if field.many_to_many and field.concrete:  # through its table, by the related rows' ids
        column, ids = _related_ids(
            field.remote_field.through, field.m2m_reverse_field_name(), names, word
        )
        through = rows(field.remote_field.through, _in_ids(column, ids))
        return "pk", through.values(field.m2m_column_name())
    full = [f"{hop}__{name}" for name in names]
    return "pk", rows(model, reduce(or_, (_field_q(name, word) for name in full))).values("pk")


def _field_q(name: str, word: str) -> Q:
    if connection.vendor != "postgresql":
        return Q(**{f"{name}__icontains": word})
    return Q(_WordIn(F(name), word=word))


class _WordIn(Func):
    """The word in a text column, by full-text search or by trigram word similarity:
    ``name__search=SearchQuery(word) | name__trigram_word_similar=word`` as one expression,
    the SQL of the column's two indexes (``SearchIndexes``). Django builds those lookups
    from a dozen expressions each, copied as the query is put together: for the ten
    fields and two words of an incident search that was more time than the query took."""

    output_field = BooleanField()

    def __init__(self, column, *, word: str):
        super().__init__(column)
        self.word = word

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        words = f"to_tsvector('{CONFIG}'::regconfig, COALESCE({column}, ''))"
        query = f"plainto_tsquery('{CONFIG}'::regconfig, %s)"
        sql = f"({words} @@ ({query}) OR {column} %%> %s)"
        return sql, (*params, self.word, *params, self.word)


_sources: dict[str, SearchSource] = {}


def register(*sources: SearchSource) -> None:
    for source in sources:
        if source.name in _sources and _sources[source.name] != source:
            raise ValueError(f"Search source {source.name!r} is declared twice.")
        _sources[source.name] = source


def autodiscover() -> None:
    autodiscover_modules("search")


def search_sources(*, user) -> list[SearchSource]:
    """The sources this user may search, in the order the apps were installed."""
    return [source for source in _sources.values() if source.searchable_by(user)]


def search_words(text: str) -> list[str]:
    """The words of a search, each once, at most MAX_WORDS, none shorter than MIN_WORD."""
    words = [word.strip(".,;:!?\"'()") for word in text.split()]
    unique = dict.fromkeys(word for word in words if len(word) >= MIN_WORD)
    return list(unique)[:MAX_WORDS]


@dataclass(frozen=True)
class SearchGroup:
    """The results of one kind: how many (at most COUNT_AT_MOST, ``more`` if there are
    more), and the page of them shown."""

    source: SearchSource
    count: int
    hits: list[Hit]
    page: Any = None  # a Page when one kind is shown on its own, paginated
    more: bool = False


class _CountedPaginator(Paginator):
    """A paginator told its count, already read (capped) by ``search_results``."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def search_results(*, user, text: str, kind: str = "", page: int | str = 1) -> list[SearchGroup]:
    """Every kind this user may search with what matches, a few of each; or, with
    ``kind``, that one kind alone, a page at a time. Two queries per kind at most, one
    for a kind with nothing found.

    The matches' ids are read first (at most COUNT_AT_MOST and one, in no order): their
    number is the count, and up to COUNT_AT_MOST the page is ranked among those ids alone
    (by primary key), so the words' conditions, subqueries and all, are worked out once.
    Past it, the page is the newest matches, read as a list page is."""
    words = search_words(text)
    if not words:
        return []
    with transaction.atomic(), _text_tests_costed():
        return _groups(user=user, words=words, kind=kind, page=page)


# PostgreSQL's planner counts testing a row's text (``to_tsvector`` of each field, the
# trigram similarity) as cheap as any operator. In one school of a big trust it then
# reads the school's rows one by one and tests each (a second or more among 5,000,000
# incidents), where the search indexes find the few that match in milliseconds. For the
# search's own transaction, each operator costs ten times the default, as text tests do.
TEXT_TEST_COST = 0.025


@contextmanager
def _text_tests_costed():
    """Within a transaction: the setting is put back after, for whatever else the
    transaction runs (a request's or a test's)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('cpu_operator_cost'), "
            "set_config('cpu_operator_cost', %s, true)",
            [str(TEXT_TEST_COST)],
        )
        before = cursor.fetchone()[0]
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('cpu_operator_cost', %s, true)", [before])


def _groups(*, user, words: list[str], kind: str, page) -> list[SearchGroup]:
    sources = search_sources(user=user)
    if kind:
        sources = [source for source in sources if source.name == kind]
    groups = []
    for source in sources:
        found = source.find(user=user, words=words)
        ids = list(found.order_by().values_list("pk", flat=True)[: COUNT_AT_MOST + 1])
        more = len(ids) > COUNT_AT_MOST
        count = min(len(ids), COUNT_AT_MOST)
        if not more:
            found = source.ranked(source.records(user).filter(pk__in=ids), words=words)
        if kind:
            one_page = _CountedPaginator(found, PER_PAGE, count=count).get_page(page)
            hits = [source.describe(record) for record in one_page.object_list]
            groups.append(SearchGroup(source, count, hits, one_page, more))
            continue
        hits = [source.describe(record) for record in found[:PER_GROUP]] if count else []
        groups.append(SearchGroup(source, count, hits, more=more))
    return groups


class SearchIndexes(Operation):
    """GIN indexes for searching a table's text columns on PostgreSQL: a trigram index
    (typos) and a full-text index (words) on each. Nothing on SQLite, which searches by
    substring. An app's migration that uses it depends on overstone's
    ``0011_search_trigram_extension`` (``pg_trgm``)::

        SearchIndexes("incidents_incident", ["description", "outcome"])

    A table kept per school has its indexes lead with the school (``by_school=True``,
    with ``0019_btree_gin``): a search runs in one school, and an index of every
    school's rows would make the school's own rows, read one by one, look cheaper to
    PostgreSQL than the index once a trust has many schools. Going ``by_school`` drops
    the table's indexes of the same columns that lead with none (and back)."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, table: str, columns: list[str], by_school: bool = False):
        self.table = table
        self.columns = list(columns)
        self.by_school = by_school

    def deconstruct(self):
        kwargs = {"by_school": True} if self.by_school else {}
        return self.__class__.__name__, [self.table, self.columns], kwargs

    def state_forwards(self, app_label, state):
        pass  # indexes on expressions the models do not describe

    def _statements(self, *, by_school: bool, create: bool) -> list[str]:
        lead, suffix = ('"school_id", ', "_school") if by_school else ("", "")
        statements = []
        for column in self.columns:
            trigram = f"{self.table}_{column}{suffix}_trgm"[:63]
            words = f"{self.table}_{column}{suffix}_fts"[:63]
            if create:
                statements += [
                    f'CREATE INDEX IF NOT EXISTS "{trigram}" ON "{self.table}" '
                    f'USING gin ({lead}"{column}" gin_trgm_ops)',
                    f'CREATE INDEX IF NOT EXISTS "{words}" ON "{self.table}" '
                    f"USING gin ({lead}to_tsvector('{CONFIG}'::regconfig, "
                    f"COALESCE(\"{column}\", '')))",
                ]
            else:
                statements += [
                    f'DROP INDEX IF EXISTS "{trigram}"',
                    f'DROP INDEX IF EXISTS "{words}"',
                ]
        return statements

    def _run(self, schema_editor, *, forwards: bool) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        statements = self._statements(by_school=self.by_school, create=forwards)
        if self.by_school:  # the indexes that lead with no school go, or come back
            statements += self._statements(by_school=False, create=not forwards)
        for statement in statements:
            schema_editor.execute(statement)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, forwards=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, forwards=False)

    def describe(self):
        by = " by school" if self.by_school else ""
        return f"Search indexes{by} on {self.table} ({', '.join(self.columns)}), PostgreSQL only"


class TrigramExtensionOnPostgres(TrigramExtension):
    """Django's ``TrigramExtension`` already does nothing on SQLite going forwards; this
    one does nothing there going backwards too (the original asks PostgreSQL's catalogue)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class BtreeGinExtensionOnPostgres(BtreeGinExtension):
    """``btree_gin``, for search indexes that lead with the school (``by_school``); as
    ``TrigramExtensionOnPostgres``, nothing on SQLite either way."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
