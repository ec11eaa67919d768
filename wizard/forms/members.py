"""Forms of the member profile's own steps (cluster organisations, not-listed clusters, logo) and of the
affiliation decisions and co-administrator pages."""
from dataclasses import dataclass

from flask import g
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Optional

from wizard.clusters import clusters_by_public_id
from wizard.countries import country_name
from wizard.extensions import db
from wizard.forms.auth import valid_email
from wizard.forms.common import (
    MaxLength,
    Required,
    Shown,
    http_url,
    no_control_characters,
    strip_text,
)
from wizard.forms.common_steps import real_website
from wizard.forms.fields import RowsField, SingleLineField, options
from wizard.forms.other_types import at_least_one_row
from wizard.models import Country, Upload
from wizard.models.uploads import LOGO, PROOF
from wizard.uploads import file_size

TEXT = [strip_text]
URL_KW = {"inputmode": "url", "spellcheck": "false"}
MAX_CLUSTERS = 10
#: An association or partnership may pick this many cluster organisations from the platform.
MAX_PLATFORM_CLUSTERS = 100
MAX_MANUAL_CLUSTERS = 3
#: A hint to the browser's file chooser only: the server decides the type from the content.
PROOF_ACCEPT = ".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"
LOGO_ACCEPT = ".png,.jpg,.jpeg,image/png,image/jpeg"


@dataclass(frozen=True)
class UploadRef:
    """A stored answer that points at an accepted upload; reads as the file's name and size."""

    id: int

    def __str__(self) -> str:
        upload = db.session.get(Upload, self.id)
        return f"{upload.original_name} ({file_size(upload.size)})" if upload else "File no longer available"


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 12


class StoredFileField(FileField):
    """A file input whose answer is the id of an upload already accepted and stored.

    A request carries either a new file (from the file input) or the id of the current one (a hidden
    input the step template writes from the stored answers), so "required" holds across errors on
    other fields and back/forward. The step's `handle_files` hook decides the stored id, never the
    posted one (see wizard/members/step_hooks.py).
    """

    file: FileStorage | None = None
    ref: int | None = None

    def __init__(self, label=None, validators=None, purpose: str = PROOF, required_message: str | None = None,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        #: What the upload is for (models.uploads PROOF or LOGO): which kinds of file it accepts, who sees it.
        self.purpose = purpose
        #: Said when a started row has no file: None for an optional file.
        self.required_message = required_message

    def process_formdata(self, valuelist):
        files = [v for v in valuelist if isinstance(v, FileStorage) and v.filename]
        refs = [v.strip() for v in valuelist if isinstance(v, str) and _is_id(v.strip())]
        self.file = files[0] if files else None
        self.ref = int(refs[0]) if refs else None
        self.data = self.file or (UploadRef(self.ref) if self.ref else None)


def file_fields(form: Form) -> list[tuple[StoredFileField, FieldList | None]]:
    """Every StoredFileField of a form, rows included, in page order, with the row list it sits in."""
    found = []
    for field in form:
        if isinstance(field, StoredFileField):
            found.append((field, None))
        elif isinstance(field, FieldList):
            for entry in field.entries:
                found.extend((f, field) for f in entry if isinstance(f, StoredFileField))
    return found


def eu_cosme_country_options():
    """Countries whose cluster organisations members may name; read once per request (admins edit the list)."""
    if "eu_cosme_options" not in g:
        codes = db.session.scalars(select(Country.code).where(Country.eu_cosme.is_(True)))
        pairs = sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])
        g.eu_cosme_options = options([("", "Choose a country"), *pairs])
    return g.eu_cosme_options


class ClusterChoiceField(SelectMultipleField):
    """Public ids of chosen cluster organisations. Choices are loaded for the posted ids only, so the
    field costs one query however many cluster organisations exist. The picker component renders it
    (components/cluster_picker.html: chosen ones with "Remove", search results with checkboxes and "Add").

    A member names cluster organisations of EU/COSME countries (domain.md §4); an association's member
    clusters and a partnership's partners may be any published cluster organisation (`eu_cosme_only`)."""

    def __init__(self, label=None, validators=None, eu_cosme_only: bool = True, max_clusters: int = MAX_CLUSTERS,
                 **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self.clusters = {}
        self.eu_cosme_only = eu_cosme_only
        self.max_clusters = max_clusters

    def process_formdata(self, valuelist):
        chosen = []
        for value in valuelist:
            value = str(value).strip()[:40]
            if value and value not in chosen:
                chosen.append(value)
        self.data = chosen
        self._load()

    def process_data(self, value):
        self.data = list(value or [])
        self._load()

    def _load(self) -> None:
        self.clusters = clusters_by_public_id(self.data, self.eu_cosme_only) if self.data else {}
        self.choices = options((pid, _cluster_label(c)) for pid, c in self.clusters.items())

    @property
    def too_many(self) -> str:
        """The one message for the limit: a post with too many, and the "Add" button once it is reached."""
        return f"You can choose at most {self.max_clusters} cluster organisations"

    def pre_validate(self, form):
        if len(self.data) > self.max_clusters:
            raise ValidationError(self.too_many)
        if any(pid not in self.clusters for pid in self.data):
            raise ValidationError("One of the cluster organisations you chose is no longer published on the "
                                  "platform: remove it and choose another, or type it in as not listed")


def _cluster_label(cluster) -> str:
    acronym = f" ({cluster.acronym})" if cluster.acronym else ""
    return f"{cluster.name}{acronym} – {country_name(cluster.country_code or '')}"


class PickerForm(FlaskForm):
    """A picker step: cluster organisations chosen from the platform (`clusters`), and a tick for those that
    are not on it, typed in on the next step. Subclasses name them; at least one of the two is needed."""

    clusters: ClusterChoiceField
    not_listed: BooleanField
    #: Shown when neither is given.
    nothing_chosen = "Choose at least one cluster organisation"

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.clusters.data and not self.not_listed.data:
            self.clusters.errors.append(self.nothing_chosen)
            return False
        return ok


class ClusterChoiceForm(PickerForm):
    nothing_chosen = "Choose at least one cluster organisation, or tick 'My cluster organisation is not listed'"
    clusters = ClusterChoiceField("Your cluster organisation(s)")
    not_listed = BooleanField("My cluster organisation is not listed on the platform",
                              description="You will give its name, website and country on the next page, with "
                                          "proof of your membership.",
                              validators=[Shown(public=False)])


class MemberClustersForm(PickerForm):
    """An association's member clusters that have a profile here: any published cluster organisation."""

    nothing_chosen = "Choose at least one member cluster, or tick 'Some member clusters are not on the platform'"
    clusters = ClusterChoiceField("Member clusters on the platform", eu_cosme_only=False,
                                  max_clusters=MAX_PLATFORM_CLUSTERS)
    not_listed = BooleanField("Some member clusters are not on the platform",
                              description="You will type in their names and websites on the next page.",
                              validators=[Shown(public=False)])


class PartnersForm(PickerForm):
    """A partnership's partner clusters that have a profile here."""

    nothing_chosen = "Choose at least one partner cluster organisation, or tick 'Some partners are not on the " \
                     "platform'"
    clusters = ClusterChoiceField("Partner cluster organisations on the platform", eu_cosme_only=False,
                                  max_clusters=MAX_PLATFORM_CLUSTERS)
    not_listed = BooleanField("Some partners are not on the platform",
                              description="You will type in their names and websites on the next page.",
                              validators=[Shown(public=False)])


class NeededInRow:
    """Marks a field that every started row needs (the row's validate() checks it): its label then does not say
    "(optional)", though an empty row, and so the field, may be left out."""

    field_flags = {"conditional": True}

    def __call__(self, form, field) -> None:
        return None


class ManualClusterRow(Form):
    cluster_name = SingleLineField("Name of the cluster organisation", filters=TEXT,
                                   validators=[NeededInRow(), Optional(), MaxLength(300)])
    cluster_website = SingleLineField("Its website", filters=TEXT, render_kw=URL_KW,
                                      validators=[NeededInRow(), Optional(), MaxLength(500), http_url, real_website])
    cluster_country = SelectField("Its country", choices=eu_cosme_country_options, validators=[NeededInRow()],
                                  description="Members can register with cluster organisations in EU/COSME "
                                              "countries.", validate_choice=False)
    proof = StoredFileField("Proof of membership", validators=[NeededInRow()], purpose=PROOF,
                            required_message="Upload proof of your membership", render_kw={"accept": PROOF_ACCEPT},
                            description="For example a screenshot of the cluster organisation's member list, or a "
                                        "membership certificate: PNG, JPEG or PDF, up to 10 MB. Photos are kept at "
                                        "up to 2,048 pixels on the long side, enough to read a certificate.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.cluster_name.data or self.cluster_website.data or self.proof.data):
            return ok  # an empty row is ignored
        for field, message in ((self.cluster_name, "Enter the name of the cluster organisation"),
                               (self.cluster_website, "Enter the cluster organisation's website"),
                               (self.proof, self.proof.required_message)):
            if not field.data and not field.errors:
                field.errors.append(message)
                ok = False
        codes = {choice.value for choice in eu_cosme_country_options() if choice.value}
        if self.cluster_country.data not in codes:
            self.cluster_country.errors.append("Choose the country of the cluster organisation: it must be an "
                                               "EU/COSME country")
            ok = False
        return ok


class ManualClustersForm(FlaskForm):
    manual_clusters = RowsField(
        FormField(ManualClusterRow), label="Cluster organisations not listed on the platform", min_entries=1,
        max_rows=MAX_MANUAL_CLUSTERS, noun="cluster organisations", row_title="Cluster organisation",
        validators=[at_least_one_row("cluster_name", "Enter the cluster organisation you are a member of")])


class LogoForm(FlaskForm):
    logo = StoredFileField("Logo", purpose=LOGO, render_kw={"accept": LOGO_ACCEPT},
                           description="PNG or JPEG, up to 10 MB. It is shown on your public profile.")


class DecisionConfirmForm(FlaskForm):
    """Behind an e-mailed link: the decision needs a deliberate tick and click (mail scanners click too)."""

    confirm = BooleanField("", validators=[DataRequired(message="Tick the box to confirm your decision")])
    note = TextAreaField("Message to the member", filters=TEXT, render_kw={"rows": 3},
                         description="Optional. For a decline, saying why helps the member.",
                         validators=[Optional(), MaxLength(1000), no_control_characters])

    def set_action(self, action: str, member: str, cluster: str) -> None:
        verb = "approve" if action == "approve" else "decline"
        self.confirm.label.text = f"I {verb} {member} as a member of {cluster}"


class DecisionForm(FlaskForm):
    """A signed-in administrator's or validator's decision on one request."""

    decision = RadioField("Decision", choices=options([("approve", "Approve"), ("decline", "Decline")]),
                          validators=[DataRequired(message="Choose approve or decline")])
    note = TextAreaField("Message to the member", filters=TEXT, render_kw={"rows": 2},
                         validators=[Optional(), MaxLength(1000), no_control_characters])


class InviteForm(FlaskForm):
    email = EmailField("Your colleague's e-mail address", filters=TEXT,
                       description="The address of their account on this platform (they can create one with it).",
                       validators=[Required("your colleague's e-mail address"), MaxLength(254)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})

    def validate_email(self, field):

        valid_email(self, field)
