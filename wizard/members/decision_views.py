"""Deciding affiliation requests: by e-mailed link, on a cluster's "Pending members" page, and the
validators' page for cluster organisations typed in by hand.

Opening a link or a page never decides (mail scanners open links and even run scripts): only a POST
with its CSRF token and a deliberate choice does, and the service decides each request once.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from wizard.auth.helpers import public, staff_required
from wizard.extensions import db, limiter
from wizard.forms.auth import ConfirmForm
from wizard.forms.members import DecisionConfirmForm, DecisionForm
from wizard.members import search
from wizard.members.views import bp
from wizard.models import Affiliation, Profile
from wizard.services import affiliations
from wizard.services.administration import administers
from wizard.services.drafts import path_for
from wizard.services.paging import page_number
from wizard.summary import Reader, sections
from wizard.tokens import TokenError


def member_sections(member: Profile):
    """What a decider sees of the member: the steps declared shown_to_cluster_admin."""
    return sections(path_for(member), member.answers or {}, Reader.CLUSTER_ADMIN)


def _decided(affiliation: Affiliation | None, status: int = 200):
    if affiliation is None:
        abort(404)
    return render_template("members/already_decided.html", affiliation=affiliation,
                           decider=affiliations.decider_shown_to(affiliation, current_user)), status


@bp.route("/affiliations/decide/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
@public
def decide_by_link(token: str):
    try:
        link, affiliation = affiliations.affiliation_for_link(token)
    except TokenError as error:
        if (decided := affiliations.decided_by_link(error)) is not None:
            return _decided(decided, 409 if request.method == "POST" else 200)
        return render_template("members/link_problem.html", reason=error.reason), 404
    if affiliation.status != affiliations.PENDING:
        return _decided(affiliation, 409 if request.method == "POST" else 200)
    form = DecisionConfirmForm()
    form.set_action(link.action, affiliation.member_profile.display_name, affiliation.cluster_name)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                decided = affiliations.decide_by_link(token, form.note.data or "")
            except affiliations.AlreadyDecided as already:
                return _decided(already.affiliation, 409)
            except TokenError as error:
                return _decided(affiliations.decided_by_link(error), 409) if error.reason == "used" else (
                    render_template("members/link_problem.html", reason=error.reason), 404)
            return render_template("members/decision_recorded.html", affiliation=decided)
        status = 400
    return render_template("members/decide.html", affiliation=affiliation, action=link.action, form=form,
                           member=member_sections(affiliation.member_profile)), status


def _administered_cluster(public_id: str) -> Profile:
    cluster = search.cluster_by_public_id(public_id)
    if cluster is None or not administers(current_user, cluster):
        abort(404)  # someone else's cluster does not exist for this user
    return cluster


@bp.route("/clusters/<public_id>/members/pending")
@login_required
def pending_members(public_id: str):
    cluster = _administered_cluster(public_id)
    pending = search.pending_requests(cluster.id, page_number(request.args.get("page")))
    members = search.current_members(cluster.id, page_number(request.args.get("members_page")))
    notes = {item.id: _note_field(item, f"Message to {item.member_profile.display_name}") for item in pending.items}
    return render_template("members/pending.html", cluster=cluster, pending=pending, members=members, notes=notes)


def _note_field(item: Affiliation, label: str, hint: str = ""):
    """The decision form's message field for one request of a list: the page has one form per request."""
    note = DecisionForm(formdata=None, meta={"csrf": False}).note  # the page writes the one CSRF token itself
    note.id, note.label.text, note.description = f"note-{item.id}", label, hint
    return note


@bp.route("/clusters/<public_id>/members/<int:affiliation_id>/decide", methods=["POST"])
@login_required
@limiter.limit("120 per hour")
def decide_on_page(public_id: str, affiliation_id: int):
    cluster = _administered_cluster(public_id)
    affiliation = db.session.get(Affiliation, affiliation_id)
    if affiliation is None or affiliation.cluster_profile_id != cluster.id:
        abort(404)
    _decide(affiliation, via="pending members page")
    return redirect(url_for("members.pending_members", public_id=public_id))


@bp.route("/clusters/<public_id>/members/<int:affiliation_id>/end", methods=["POST"])
@login_required
@limiter.limit("60 per hour")
def end_membership(public_id: str, affiliation_id: int):
    cluster = _administered_cluster(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ended = affiliations.end_affiliation(affiliation_id, cluster.id, current_user)
    except affiliations.AlreadyDecided as already:
        if already.affiliation is None or already.affiliation.cluster_profile_id != cluster.id:
            abort(404)
        flash("This membership is not current, so it cannot be ended.", "info")
    else:
        flash(f"The membership of {ended.member_profile.display_name} has ended.", "success")
    return redirect(url_for("members.pending_members", public_id=public_id))


def _decide(affiliation: Affiliation, via: str) -> None:
    form = DecisionForm()
    if not form.validate_on_submit():
        flash("Choose approve or decline.", "error")
        return
    name = affiliation.member_profile.display_name
    try:
        decided = affiliations.decide(affiliation.id, form.decision.data, current_user, note=form.note.data or "",
                                      via=via)
    except affiliations.AlreadyDecided as already:
        done = already.affiliation
        if done is None:
            abort(404)
        flash(f"The request of {name} was already {done.status} by {done.decided_by_label or 'someone else'}"
              f"{' on ' + done.decided_at.strftime('%d %B %Y') if done.decided_at else ''}.", "info")
    else:
        flash(f"You {decided.status} the request of {name}. The member has been told by e-mail.", "success")


@bp.route("/members/manual-affiliations")
@staff_required
def manual_affiliations():
    """For validators: cluster organisations typed in by hand, with the member's proof."""
    pending = search.manual_requests(page_number(request.args.get("page")))
    notes = {item.id: _note_field(item, "Message to the member", "Say why when you decline.")
             for item in pending.items}
    return render_template("members/manual_affiliations.html", pending=pending, notes=notes)


@bp.route("/members/manual-affiliations/<int:affiliation_id>/decide", methods=["POST"])
@staff_required
def decide_manual(affiliation_id: int):
    affiliation = db.session.get(Affiliation, affiliation_id)
    if affiliation is None or not affiliation.is_manual:
        abort(404)
    _decide(affiliation, via="validators")
    return redirect(url_for("members.manual_affiliations"))
