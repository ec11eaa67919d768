"""Forms of the member, association, partnership and works-with-clusters profiles."""
from flask_wtf import FlaskForm
from wtforms import Form, FormField, TextAreaField, ValidationError
from wtforms.validators import Optional

from wizard.forms.common import (
    MaxLength,
    Required,
    RequiredChoice,
    Shown,
    at_least_one_row,
    http_url,
    no_control_characters,
    strip_text,
)
from wizard.forms.fields import (
    CheckboxesField,
    CountriesField,
    DateInputField,
    RadiosField,
    RowsField,
    SingleLineField,
    options,
)
from wizard.taxonomies import (
    CLUSTER_ACTIVITIES,
    FUNDING_PROGRAMMES,
    GEOGRAPHIC_SCOPES,
    MEMBER_TYPES_SINGULAR,
    SECTORS,
    WORKS_WITH_ORG_TYPES,
)

TEXT = [strip_text]
URL_KW = {"inputmode": "url", "spellcheck": "false"}


class MemberOrganisationForm(FlaskForm):
    organisation_type = RadiosField("Type of organisation", choices=options(MEMBER_TYPES_SINGULAR),
                                    validators=[RequiredChoice("the type of your organisation")])
    sectors = CheckboxesField("Sectors", choices=options(SECTORS), validators=[RequiredChoice("at least one sector")])


class ClusterRowForm(Form):
    """A cluster organisation typed in by hand: name and website."""

    cluster_name = SingleLineField("Cluster name", filters=TEXT, validators=[Optional(), MaxLength(300)])
    cluster_website = SingleLineField("Cluster website", filters=TEXT,
                                      validators=[Optional(), MaxLength(500), http_url], render_kw=URL_KW)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.cluster_website.data and not self.cluster_name.data:
            self.cluster_name.errors.append("Enter the name of the cluster whose website you gave")
            return False
        return ok


class AssociationForm(FlaskForm):
    geographic_scope = RadiosField(
        "Geographic scope", choices=options(GEOGRAPHIC_SCOPES),
        description="The area from which the association brings cluster organisations together.",
        validators=[RequiredChoice("the geographic scope")])
    activities = CheckboxesField("Activities offered", choices=options(CLUSTER_ACTIVITIES),
                                 validators=[RequiredChoice("at least one activity")])


class PartnershipForm(FlaskForm):
    funding_programme = RadiosField("Funding programme", choices=options(FUNDING_PROGRAMMES),
                                    validators=[RequiredChoice("the funding programme")])
    project_acronym = SingleLineField("Project acronym", filters=TEXT,
                                  validators=[Required("the project acronym"), MaxLength(60)])
    grant_agreement = SingleLineField("Grant agreement number", filters=TEXT,
                                  validators=[Optional(), MaxLength(60)])
    start_date = DateInputField("Start date", validators=[Required("the start date")])
    end_date = DateInputField("End date", validators=[Required("the end date")],
                              description="After the start date.")
    coordinator = SingleLineField("Coordinator", filters=TEXT,
                                  description="The organisation that coordinates the project.",
                                  validators=[Required("the coordinator"), MaxLength(300)])
    objectives = TextAreaField("Objectives", filters=TEXT,
                               validators=[Required("the objectives of the partnership"), MaxLength(2000),
                                           no_control_characters], render_kw={"rows": 5})

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data <= self.start_date.data:
            raise ValidationError("The end date must be after the start date")


class TypedMemberClustersForm(FlaskForm):
    """An association's member clusters that are not on the platform (those on it are picked on the step before)."""

    member_clusters = RowsField(
        FormField(ClusterRowForm), label="Member clusters not on the platform", min_entries=3, max_rows=400,
        noun="member clusters",
        description="The cluster organisations that are members, one per row. Use 'Add another row' for more.",
        validators=[at_least_one_row("cluster_name", "Enter at least one member cluster")],
    )


class TypedPartnersForm(FlaskForm):
    """A partnership's partner clusters that are not on the platform."""

    partners = RowsField(
        FormField(ClusterRowForm), label="Partner cluster organisations not on the platform", min_entries=3,
        max_rows=400, noun="partners", description="One partner per row. Use 'Add another row' for more.",
        validators=[at_least_one_row("cluster_name", "Enter at least one partner cluster organisation")],
    )


class WorksWithClustersForm(FlaskForm):
    organisation_type = RadiosField("Type of organisation", choices=options(WORKS_WITH_ORG_TYPES),
                                    validators=[RequiredChoice("the type of your organisation")])
    how_it_works = TextAreaField("How does your organisation work with clusters?", filters=TEXT,
                                 validators=[Required("how your organisation works with clusters", verb="Describe"),
                                             MaxLength(2000), no_control_characters,
                                             Shown(public_label="How the organisation works with clusters")],
                                 render_kw={"rows": 5})
    active_countries = CountriesField("Countries where the organisation is active",
                                      description="Choose every country that applies, under its region.",
                                      validators=[RequiredChoice("at least one country")])
