"""Pages around the member steps: the picker's "Add"/"Remove" and "Remove file" buttons, the type-ahead
search, "already listed", and downloading an uploaded file."""
from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from wizard import engine
from wizard.auth.helpers import public
from wizard.clusters import clusters_by_public_id
from wizard.countries import country_name
from wizard.extensions import db, limiter
from wizard.forms.auth import ConfirmForm
from wizard.forms.members import ClusterChoiceField, file_fields
from wizard.members import step_hooks
from wizard.members.search import search_clusters
from wizard.members.views import bp
from wizard.models import Upload
from wizard.registration.common import CHECK, RETURN, anon_key, load_draft, read_posted_step
from wizard.services import drafts, uploads
from wizard.services.listing import ContactRefused, listing_matches, request_profile_completion
from wizard.steps.cluster_member import CLUSTERS
from wizard.steps.common import ORGANISATION

#: Where "already listed" sends a member that thinks it is a mistake.
ALREADY_LISTED_LINKS = {"clusters_step": CLUSTERS.name, "organisation_step": ORGANISATION.name}
CHANGED_MEANWHILE = ("This step was saved again after you opened it, in another window or by another administrator "
                     "of this profile, so your change was not made. The step is shown below as it is saved now.")


@bp.route("/drafts/<public_id>/<step:step_name>/update", methods=["POST"])
@limiter.limit("120 per hour")
def update_step(public_id: str, step_name: str):
    """Saves everything the step's form holds, then applies the button that was pressed, and shows the step again.

    Used by buttons that must not leave the page: "Add" and "Remove" a cluster organisation, "Remove file".
    """
    profile = load_draft(public_id)
    step = drafts.path_for(profile).get(step_name)
    if step is None or not step.stays_on_page:
        abort(404)
    form, posted, _ = read_posted_step(profile, step)
    # (message, category): shown only if the change is saved.
    notes = [(message, "error") for field, _ in file_fields(form) for message in field.errors]
    anchor = _apply_button(profile, step_name, form, posted, notes)
    valid = engine.bind(step, posted).validate()  # over the answers as the button left them
    try:
        drafts.save_step(profile, step, posted, valid, seen=request.form.get(engine.SEEN_FIELD))
    except drafts.StepChangedMeanwhile:
        notes, anchor = [(CHANGED_MEANWHILE, "error")], ""
    for message, category in notes:
        flash(message, category)
    args = {key: value for key, value in (("q", request.form.get("q", "")[:200]), ("page", request.form.get("page")))
            if value}
    if request.form.get(RETURN) == CHECK:
        args[RETURN] = CHECK
    return redirect(url_for("wizard.step", public_id=public_id, step_name=step_name, **args) + anchor)


def _apply_button(profile, step_name: str, form, posted: dict, notes: list[tuple[str, str]]) -> str:
    """Applies the pressed button to `posted`, adds what to tell the person to `notes`; returns the page anchor."""
    named = [field for field, _ in file_fields(form) if field.name == request.form.get("remove_file")]
    if named and named[0].name in posted:
        name = named[0].name
        removed = step_hooks.remove_file(profile, step_name, named[0])
        posted[name] = []
        if removed is not None:
            notes.append((f"{removed.original_name} was removed.", "success"))
        return f"#{name}-current"
    picker = next((field for field in form if isinstance(field, ClusterChoiceField)), None)
    if picker is None:
        return ""
    chosen = [value for value in posted.get(picker.name, []) if value]
    if add := request.form.get("add_cluster"):
        cluster = clusters_by_public_id([add], picker.eu_cosme_only).get(add)
        if cluster is None:
            notes.append(("That cluster organisation cannot be chosen.", "error"))
        elif add in chosen:
            notes.append((f"{cluster.name} is already among your cluster organisations.", "info"))
        elif len(chosen) >= picker.max_clusters:
            notes.append((f"{picker.too_many}.", "error"))
        else:
            chosen.append(add)
            notes.append((f"{cluster.name} was added to your cluster organisations.", "success"))
        posted[picker.name] = chosen
        return f"#{picker.id}"
    if remove := request.form.get("remove_cluster"):
        posted[picker.name] = [value for value in chosen if value != remove]
        notes.append(("The cluster organisation was removed from your choice.", "success"))
        return f"#{picker.id}"
    return ""


@bp.route("/members/cluster-search")
@limiter.limit("120 per minute")
@public
def cluster_search():
    """The type-ahead's results: the same search as the step page, as JSON (public data of published profiles)."""
    # The member's picker offers EU/COSME countries only; an association's or partnership's every country.
    found = search_clusters(request.args.get("q", ""), 1, eu_cosme_only=request.args.get("scope") != "all")
    return jsonify(total=found.total, more=found.capped, results=[
        {"id": c.public_id, "name": c.name, "acronym": c.acronym, "website": c.website,
         "country": country_name(c.country_code or "")} for c in found.items])


@bp.route("/drafts/<public_id>/already-listed", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def already_listed(public_id: str):
    profile = load_draft(public_id)
    matches = listing_matches(profile)
    if not matches:
        return redirect(url_for("wizard.step", public_id=public_id, step_name=CLUSTERS.name))
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            listing = request_profile_completion(profile, request.form.get("cluster", ""))
        except LookupError:
            abort(404)
        except ContactRefused as refusal:
            return render_template("members/already_listed.html", profile=profile, matches=matches, form=form,
                                   refusal=str(refusal), **ALREADY_LISTED_LINKS), 429
        return render_template("members/completion_requested.html", profile=profile, listing=listing)
    return render_template("members/already_listed.html", profile=profile, matches=matches, form=form,
                           **ALREADY_LISTED_LINKS)


@bp.route("/uploads/<int:upload_id>")
@public
def download(upload_id: str):
    """Only for the people `may_download` names; everyone else gets the same 404 as for a missing file."""
    upload = db.session.get(Upload, upload_id)
    user = current_user if current_user.is_authenticated else None
    if upload is None or not uploads.may_download(user, upload, anon_key()):
        abort(404)
    try:
        handle = uploads.open_stored(upload)
    except (FileNotFoundError, ValueError):
        abort(404)
    except OSError:
        abort(503)  # the object store did not answer: try again later, nothing is lost
    response = send_file(handle, mimetype=upload.content_type, as_attachment=True,
                         download_name=uploads.download_name(upload), max_age=0, etag=False, last_modified=None)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
