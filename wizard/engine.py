"""The one small engine that walks a profile type's declared steps over a draft.

A profile type is an ordered tuple of `Step` declarations. Each request recomputes which steps
apply from the draft's answers, so going back and changing the country (or the type) can never
leave a stale step in the path. A step's `when` predicate sees only the answers of the steps
before it that apply themselves, which makes conditions transitive: a step that depends on an
answer of a skipped step is skipped too.

Answers are stored per step exactly as they were posted (field name -> list of strings), so a
step re-renders with what was typed, and submission revalidates the stored answers with the same
form class that accepted them. Nothing here knows a profile type: adding one is a new
`ProfileType` declaration in a module of wizard/steps/, named in the PROFILE_TYPES setting.
"""
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.utils import import_string
from wtforms import Form
from wtforms.fields import FieldList, FormField

#: {step name: {field name: [posted values]}} plus the step's "_valid" flag.
RawAnswers = Mapping[str, Mapping[str, Any]]
VALID_FLAG = "_valid"
#: The hidden field by which a step's page posts back which saved answers it was shown with.
SEEN_FIELD = "seen_answers"


def fingerprint(stored: Mapping[str, Any] | None) -> str:
    """A short digest of one step's saved answers (see `SEEN_FIELD`)."""
    canonical = json.dumps(stored or {}, sort_keys=True)
    return hashlib.blake2b(canonical.encode(), digest_size=8).hexdigest()


def posted_part(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """One step's saved answers without the validity flag: what was posted."""
    return {name: values for name, values in (stored or {}).items() if name != VALID_FLAG}


def stored_values(answers: RawAnswers, step: str, name: str) -> list:
    """One field's saved values (a list, as posted), empty when the step or field has none."""
    stored = (answers.get(step) or {}).get(name) or []
    return list(stored) if isinstance(stored, list) else [stored]


def first_value(answers: RawAnswers, step: str, name: str) -> str:
    values = stored_values(answers, step, name)
    return str(values[0] or "") if values else ""


class DraftView:
    """What a `when` predicate may read: answers of earlier applicable steps, and the country's status."""

    def __init__(self, answers: RawAnswers, visible: set[str], is_eu_cosme: Callable[[str], bool]):
        self._answers = answers
        self._visible = visible
        self._is_eu_cosme = is_eu_cosme
        #: The steps whose answers the predicate read: while one of them may still change, so may the path.
        self.read: set[str] = set()

    def values(self, step: str, name: str) -> list[str]:
        if step not in self._visible:
            return []
        self.read.add(step)
        return stored_values(self._answers, step, name)

    def value(self, step: str, name: str) -> str:
        values = self.values(step, name)
        return str(values[0] or "") if values else ""

    def answered(self, step: str) -> bool:
        """The step applies and holds answers (valid or not)."""
        if step not in self._visible:
            return False
        self.read.add(step)
        return bool(self._answers.get(step))

    @property
    def country(self) -> str:
        return self.value("country", "country")

    @property
    def in_eu_cosme_country(self) -> bool:
        return bool(self.country) and self._is_eu_cosme(self.country)


def always(_view: DraftView) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form: type[Form]
    when: Callable[[DraftView], bool] = always
    template: str = "wizard/step.html"
    #: Short text shown under the step's heading.
    intro: str = ""
    #: {field name: keys of taxonomies.DEFINITIONS}: the definitions shown just before the question that uses them.
    definitions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Extra keyword arguments the form class needs (e.g. choices computed at run time).
    form_kwargs: Mapping[str, Any] = field(default_factory=dict)
    # The hooks are "module:function" names, each called with a `Visit`: names rather than functions, so
    # the declarations import neither the views that serve them nor the services those call.
    #: handle_files(visit) -> extra answers to store (e.g. {"proof": ["12"]}). Runs on every post, valid
    #: or not, so an upload survives errors on other fields; it may add errors to its field, which makes
    #: the step invalid.
    handle_files: str | None = None
    #: interrupt(visit) -> a URL to go to instead of the next step (e.g. "already listed"), or None.
    #: Runs after the step was saved with valid answers.
    interrupt: str | None = None
    #: context(visit) -> extra variables for the step's template (e.g. search results, current files).
    context: str | None = None
    #: Shown on the published profile. Field-level exceptions are declared on the field (forms.common.Shown).
    public: bool = True
    #: Shown to a cluster organisation's administrator deciding whether this member belongs to it.
    shown_to_cluster_admin: bool = False
    #: Its buttons (search, add, remove, upload) save the step and stay on its page instead of moving on.
    stays_on_page: bool = False

    def hooks(self) -> tuple[str, ...]:
        return tuple(name for name in (self.handle_files, self.interrupt, self.context) if name)

    def run(self, hook: str, visit: "Visit") -> Any:
        """Calls the step's `hook` ("handle_files", "interrupt" or "context"); None when it declares none."""
        name = getattr(self, hook)
        return hook_function(name)(visit) if name else None


hook_function = cache(import_string)


@dataclass(frozen=True)
class Visit:
    """What a step's hooks are given: the draft, the step, its form as bound to this request, and the request's
    inputs they may read (the view passes them in, so a hook can be called without a request)."""

    profile: Any
    step: Step
    form: Form
    #: The query string (a picker's search words and page).
    args: Mapping[str, str] = field(default_factory=dict)
    #: Every posted value, including those of rows the form left out.
    posted: MultiDict = field(default_factory=MultiDict)
    #: Who is making the change (an upload records it), or None.
    user: Any = None


@dataclass(frozen=True)
class Path:
    """The applicable steps of one draft, in order, with the helpers a view needs."""

    steps: tuple[Step, ...]
    #: The steps whose answers decided which steps apply (a step not yet answered counts: its answer will).
    decided_by: frozenset[str] = frozenset()
    #: The country lookup the path was decided with, for predicates over the whole path.
    is_eu_cosme: Callable[[str], bool] = field(default=lambda _code: False, compare=False)

    def view(self, answers: RawAnswers) -> DraftView:
        """What a predicate over the whole path reads (e.g. ProfileType.criteria_apply)."""
        return DraftView(answers, set(self.names()), self.is_eu_cosme)

    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def get(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def index(self, name: str) -> int:
        return self.names().index(name)

    def next_after(self, name: str) -> Step | None:
        i = self.index(name)
        return self.steps[i + 1] if i + 1 < len(self.steps) else None

    def before(self, name: str) -> Step | None:
        i = self.index(name)
        return self.steps[i - 1] if i > 0 else None

    def progress(self, name: str) -> tuple[int, int | None]:
        """(position counting from 1, number of steps or None while the number is not settled).

        Walking on, the position only grows: a step's `when` sees only the steps before it, so saving this
        step can change only the steps after it. The number of steps is settled once every step whose
        answers decide the path lies behind this one; until then it is left unsaid rather than shown and
        changed ("Step 1 of 3" on the country step becoming "Step 2 of 10").
        """
        position = self.index(name) + 1
        settled = all(self.index(step) < position - 1 for step in self.decided_by if self.get(step))
        return position, len(self.steps) if settled else None

    def progress_text(self, name: str) -> str:
        position, total = self.progress(name)
        of_total = f" of {total}" if total else ""
        return f"Step {position}{of_total}: {self.steps[position - 1].title}"


@dataclass(frozen=True)
class ProfileType:
    """Everything about one profile type: its texts, its steps, when the criteria apply, what submission does."""

    key: str
    name: str
    #: "The organisation that manages a cluster": written to stand alone, with a capital.
    purpose: str
    #: What the start page's "Start" button starts, read after that word by screen readers ("Start registering a
    #: cluster organisation"). Each must be whole and distinct: a list of links is read out of context.
    start_text: str
    #: What the applicant declares on Check your answers before submitting.
    declaration: str
    steps: tuple[Step, ...]
    #: Keys of taxonomies.DEFINITIONS the declaration relies on, shown above it.
    declaration_definitions: tuple[str, ...] = ()
    #: What else to have at hand, added to the start page's "Before you start" list.
    start_notes: tuple[str, ...] = ()
    #: Keys of taxonomies.DEFINITIONS shown on the start page.
    start_definitions: tuple[str, ...] = ()
    #: criteria_apply(view over the whole path) -> whether the validation criteria apply; None: they never do.
    criteria_apply: Callable[[DraftView], bool] | None = None
    #: "module:function" names called with the profile inside the submission's transaction (e.g. affiliation
    #: requests). Names rather than functions, so the declarations import no service.
    on_submit: tuple[str, ...] = ()
    #: Member profiles ask its administrators to confirm that they belong to it (cluster organisations): its
    #: pages list its members and pending requests.
    receives_members: bool = False
    #: Its profiles belong to cluster organisations, and show publicly through approved memberships.
    joins_clusters: bool = False

    @property
    def has_criteria(self) -> bool:
        return self.criteria_apply is not None

    @property
    def purpose_sentence(self) -> str:
        """"For the organisation that ..."."""
        return f"For {self.purpose[:1].lower()}{self.purpose[1:]}."

    def path(self, answers: RawAnswers, is_eu_cosme: Callable[[str], bool]) -> Path:
        return applicable_path(self.steps, answers, is_eu_cosme)

    def criteria_apply_to(self, path: Path, answers: RawAnswers) -> bool:
        return self.criteria_apply is not None and self.criteria_apply(path.view(answers))


def applicable_path(declared: tuple[Step, ...], answers: RawAnswers, is_eu_cosme: Callable[[str], bool]) -> Path:
    visible: set[str] = set()
    decided_by: set[str] = set()
    chosen: list[Step] = []
    for step in declared:
        # A copy, so a predicate cannot see steps declared after it even if it keeps the view.
        view = DraftView(answers, set(visible), is_eu_cosme)
        if step.when(view):
            chosen.append(step)
            visible.add(step.name)
        decided_by |= view.read
    return Path(tuple(chosen), frozenset(decided_by), is_eu_cosme)


def to_formdata(stored: Mapping[str, Any] | None) -> MultiDict:
    data = MultiDict()
    for key, values in (stored or {}).items():
        if key.startswith("_"):
            continue
        for value in values if isinstance(values, list) else [values]:
            data.add(key, value)
    return data


def from_formdata(formdata: MultiDict, form: Form) -> dict[str, list[str]]:
    """Keeps the posted values of this form's own fields only: nothing else can be smuggled in.

    Repeating rows and groups post as `<field>-<n>-<sub>` / `<field>-<sub>`, kept by their prefix.
    """
    names, prefixes = set(), []
    for form_field in form:
        if form_field.type == "CSRFTokenField":
            continue
        names.add(form_field.name)
        if isinstance(form_field, FieldList | FormField):
            prefixes.append(form_field.name + "-")
    return {key: formdata.getlist(key) for key in formdata
            if key in names or any(key.startswith(prefix) for prefix in prefixes)}


def bind(step: Step, stored: Mapping[str, Any] | None, **extra) -> Form:
    """The step's form filled with stored answers (or its defaults when there are none), without CSRF."""
    formdata = to_formdata(stored) if stored else None
    return step.form(formdata=formdata, meta={"csrf": False}, **step.form_kwargs, **extra)


def stored_is_valid(stored: Mapping[str, Any] | None) -> bool:
    return bool(stored) and bool(stored.get(VALID_FLAG))


def first_unfinished(path: Path, answers: RawAnswers, after: str | None = None) -> Step | None:
    """The first applicable step (after `after`, if given) not yet saved with valid answers.

    None: the draft is ready for "Check your answers".
    """
    steps = path.steps[path.index(after) + 1:] if after and path.get(after) else path.steps
    return next((s for s in steps if not stored_is_valid(answers.get(s.name))), None)


def revalidate(path: Path, answers: RawAnswers) -> Step | None:
    """At submission: re-run every applicable step's form over its stored answers; the first that fails.

    The stored "_valid" flag is not trusted: a form or a branch may have changed since it was saved.
    """
    for step in path.steps:
        stored = answers.get(step.name)
        if not stored or not bind(step, stored).validate():
            return step
    return None


def bind_path(path: Path, answers: RawAnswers) -> dict[str, Form]:
    """Every applicable step's form bound to its stored answers, by step name: a page that reads a whole draft
    twice (Check your answers: the summary and the self-check) binds each form once."""
    return {step.name: bind(step, answers.get(step.name)) for step in path.steps}


def cleaned(path: Path, answers: RawAnswers, forms: Mapping[str, Form] | None = None) -> dict[str, dict[str, Any]]:
    """Typed data of the applicable steps only: answers to steps that no longer apply are left out.
    `forms`: the steps' forms as bind_path bound them, when the caller has them already."""
    result = {}
    for step in path.steps:
        form = forms[step.name] if forms is not None else bind(step, answers.get(step.name))
        result[step.name] = {k: v for k, v in form.data.items() if k != "csrf_token"}
    return result
