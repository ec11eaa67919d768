"""The validators' forms: the queue's filters (a GET form) and the decision on a submission."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField, ValidationError
from wtforms.validators import Length

from wizard.countries import all_countries
from wizard.directory.forms import FilterSelect
from wizard.forms.common import RequiredChoice, no_control_characters, strip_text
from wizard.forms.fields import options
from wizard.models.profiles import ProfileStatus
from wizard.services.decisions import MAX_MESSAGE_LENGTH, UNPUBLISH_NEEDS_REASON, Decision, message_needed
from wizard.steps import type_choices
from wizard.validation.queue import ANY, QUEUE_STATUSES

MAX_DAYS = 3650


def whole_days(form, field) -> None:
    if not field.data:
        return
    if not field.data.isdigit():
        raise ValidationError("Enter the number of days as a whole number, like 14")
    if int(field.data) > MAX_DAYS:
        raise ValidationError(f"Enter a number of days from 0 to {MAX_DAYS}")


class FilterForm(FlaskForm):
    """Filters travel in the query string, so a filtered queue can be bookmarked and shared."""

    class Meta:
        csrf = False

    profile_type = FilterSelect("Kind of profile", choices=lambda: options([("", "Any kind"), *type_choices()]),
                               default="")
    country = FilterSelect("Country", choices=options([("", "Any country"), *all_countries()]), default="")
    eu_cosme = FilterSelect("EU/COSME country", default="",
                           choices=options([("", "Either"), ("yes", "EU/COSME countries only"),
                                            ("no", "Other countries only")]))
    status = FilterSelect("Status", default=ProfileStatus.SUBMITTED.value,
                         choices=options([*((s.value, s.label) for s in QUEUE_STATUSES), (ANY, "Any status")]))
    older_than = StringField("Submitted more than this many days ago", description="For example, 14.",
                             filters=[strip_text], validators=[whole_days], render_kw={"inputmode": "numeric"})
    order = FilterSelect("Order", default="oldest",
                        choices=options([("oldest", "Oldest first"), ("newest", "Newest first")]))


class DecisionForm(FlaskForm):
    #: The version the validator read: a decision on an older one is refused.
    version = HiddenField()
    decision = RadioField("Your decision", validators=[RequiredChoice("a decision")], choices=options([
        (Decision.PUBLISH.value, "Publish the profile"),
        (Decision.REQUEST_CHANGES.value, "Ask the applicant for changes"),
        (Decision.REJECT.value, "Reject the profile"),
    ]))
    message = TextAreaField(
        "Message to the applicant", filters=[strip_text],
        description="Needed when you ask for changes (say what to change) or reject (say why). It is e-mailed "
                    "to the applicant and kept in the history.",
        validators=[Length(max=MAX_MESSAGE_LENGTH), no_control_characters], render_kw={"rows": 5},
    )

    def validate_message(self, field):
        if not field.data and (needed := message_needed(self.decision.data)):
            raise ValidationError(needed)


class UnpublishForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(
        "Reason for unpublishing", filters=[strip_text],
        description="E-mailed to the applicant, who may change the profile and submit it again. Kept in the history.",
        validators=[Length(max=MAX_MESSAGE_LENGTH), no_control_characters], render_kw={"rows": 4},
    )

    def validate_reason(self, field):
        if not field.data:
            raise ValidationError(UNPUBLISH_NEEDS_REASON)


class WaiverForm(FlaskForm):
    version = HiddenField()
    waived = HiddenField()

    def validate_waived(self, field):
        if field.data not in ("on", "off"):
            raise ValidationError("Choose whether to waive the criteria")


def seen_version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None
