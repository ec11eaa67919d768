"""The validators' workspace: queue, a submission's page, decisions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from wizard.auth.helpers import staff_required
from wizard.models.profiles import ProfileStatus
from wizard.services import decisions
from wizard.services.paging import page_number
from wizard.validation import queue as queue_module
from wizard.validation.forms import DecisionForm, FilterForm, UnpublishForm, WaiverForm, seen_version
from wizard.validation.review import download_url, review_of

bp = Blueprint("validation", __name__)


@bp.route("/")
@staff_required
def queue():
    form = FilterForm(formdata=request.args)
    valid = form.validate()
    filters = queue_module.QueueFilters()
    if valid:
        filters = queue_module.QueueFilters(
            profile_type=form.profile_type.data or "", country=form.country.data or "",
            eu_cosme=form.eu_cosme.data or "", status=form.status.data or ProfileStatus.SUBMITTED.value,
            older_than_days=int(form.older_than.data) if form.older_than.data else None,
            newest_first=form.order.data == "newest",
        )
    results = queue_module.queue(filters, page_number(request.args.get("page")))
    # Page links keep the filters; only the page number changes.
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("validation/queue.html", form=form, results=results, query=query,
                           counts=queue_module.status_counts(), filters=filters), 200 if valid else 400


def _review_or_404(public_id: str):
    review = review_of(public_id)
    if review is None:
        abort(404)
    return review


def _render_profile(review, decision_form=None, waiver_form=None, unpublish_form=None, status: int = 200):
    version = review.profile.version
    decision_form = decision_form or DecisionForm(formdata=None, data={"version": version})
    waiver_form = waiver_form or WaiverForm(formdata=None, data={
        "version": version, "waived": "off" if review.profile.criteria_waived else "on"})
    unpublish_form = unpublish_form or UnpublishForm(formdata=None, data={"version": version})
    return render_template(
        "validation/profile.html", review=review, profile=review.profile, decision_form=decision_form,
        waiver_form=waiver_form, unpublish_form=unpublish_form,
        forms_with_errors=[decision_form, waiver_form, unpublish_form], download_url=download_url,
    ), status


@bp.route("/profiles/<public_id>")
@staff_required
def profile(public_id: str):
    return _render_profile(_review_or_404(public_id))


@bp.route("/profiles/<public_id>/decision", methods=["POST"])
@staff_required
def decide(public_id: str):
    def record(review, form, version):
        decisions.decide(review.profile, decisions.Decision(form.decision.data), current_user, version,
                         form.message.data or "")
        done = {"publish": "published", "request_changes": "sent back to the applicant for changes",
                "reject": "rejected"}[form.decision.data]
        flash(f"{review.profile.display_name} is {done}. The applicant will get an e-mail.", "success")
        return redirect(url_for("validation.queue"))

    return _state_change(public_id, DecisionForm, "decision_form", ("decision", "message"), record)


@bp.route("/profiles/<public_id>/waiver", methods=["POST"])
@staff_required
def waiver(public_id: str):
    review = _review_or_404(public_id)
    form = WaiverForm()
    version = seen_version(form)
    if not form.validate() or version is None:
        return _render_profile(review, waiver_form=form, status=400)
    try:
        decisions.set_waiver(review.profile, current_user, version, form.waived.data == "on")
    except decisions.DecisionRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("validation.profile", public_id=public_id))
    flash("The criteria are now waived." if form.waived.data == "on" else "The criteria are no longer waived.",
          "success")
    return redirect(url_for("validation.profile", public_id=public_id, _anchor="criteria-heading"))


@bp.route("/profiles/<public_id>/unpublish", methods=["POST"])
@staff_required
def unpublish(public_id: str):
    def record(review, form, version):
        decisions.unpublish(review.profile, current_user, version, form.reason.data or "")
        flash(f"{review.profile.display_name} is unpublished. The applicant will get an e-mail with your reason.",
              "success")
        return redirect(url_for("validation.published_on_approval"))

    return _state_change(public_id, UnpublishForm, "unpublish_form", ("reason",), record)


def _state_change(public_id: str, form_class, form_name: str, kept: tuple[str, ...], record):
    """A validator's form about the version they read: 400 with its errors, 409 (the page again, with what they
    typed and the current version) when the decisions service refuses, else what `record` answers."""
    review = _review_or_404(public_id)
    form = form_class()
    version = seen_version(form)
    if not form.validate() or version is None:
        if version is None:
            form.form_errors.append("The page was sent without its version. Reload the page and try again.")
        return _render_profile(review, status=400, **{form_name: form})
    try:
        return record(review, form, version)
    except decisions.DecisionRefused as refusal:
        # Shown as an error on the refreshed page, which now carries the current version.
        form = form_class(formdata=None, data={"version": review.profile.version,
                                               **{name: form[name].data for name in kept}})
        form.form_errors.append(str(refusal))
        return _render_profile(_review_or_404(public_id), status=409, **{form_name: form})


@bp.route("/published-on-approval")
@staff_required
def published_on_approval():
    """Members made public by their cluster organisation's approval (or a validated manual membership)."""
    results = decisions.published_on_approval(page_number(request.args.get("page")))
    return render_template("validation/published_on_approval.html", results=results)
