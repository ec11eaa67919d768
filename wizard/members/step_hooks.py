"""The step hooks the declarations name (engine.Step handle_files, interrupt, context): files, "possible
duplicate", "already listed" and the pickers' page.

View-layer code: each is called from a step's view with an engine.Visit, and reads the request only
through it.

Files follow one rule: the stored answer is the truth. A step's answer for a file field is the id of
an accepted upload; a post may bring a new file (which replaces it), and the page echoes the current
id in a hidden input only so that "required" holds across errors on other fields. The posted id is
never stored: `store_files` rebuilds the answer from what is stored for this draft. Each file field
declares what its upload is for and whether a started row needs one (forms.members.StoredFileField).
"""
from flask import url_for
from wtforms import FieldList

from wizard.engine import Visit
from wizard.forms.members import StoredFileField, file_fields
from wizard.members.search import search_clusters
from wizard.models import Profile, Upload
from wizard.services import uploads
from wizard.services.duplicates import unacknowledged_duplicates
from wizard.services.listing import listing_matches
from wizard.services.paging import page_number


def _row_has_content(field: StoredFileField, posted) -> bool:
    prefix = field.name.rsplit("-", 1)[0] + "-"
    return any(value.strip() for key, value in posted.items(multi=True) if key.startswith(prefix) and key != field.name)


def _add_error(field: StoredFileField, rows: FieldList | None, message: str) -> None:
    field.errors = [*field.errors, message]
    if rows is not None:
        # A row list computes its errors once, in validate(): refresh them so the step counts as invalid.
        rows.errors = [entry.errors for entry in rows.entries]


def store_files(visit: Visit) -> dict[str, list[str]]:
    """handle_files of a step with file fields: accepts the posted files, keeps the stored ones otherwise."""
    answers = {}
    for field, rows in file_fields(visit.form):
        current = uploads.answered_upload(visit.profile, visit.step.name, field.name, field.purpose)
        if field.file is not None:
            try:
                new = uploads.accept(field.file, field.purpose, visit.profile, visit.user)
            except (uploads.UploadRejected, uploads.StorageFull) as refusal:
                _add_error(field, rows, refusal.message)
            else:
                if current is not None:
                    uploads.discard(current)
                current = new
        elif (current is None and field.ref and field.required_message and not field.errors
              and _row_has_content(field, visit.posted)):
            # The page echoed an id that is not this draft's file (tampered, or removed in another tab).
            _add_error(field, rows, field.required_message)
        answers[field.name] = [str(current.id)] if current is not None else []
    return answers


def remove_file(profile: Profile, step_name: str, field: StoredFileField) -> Upload | None:
    """The "Remove file" button: the upload goes (once committed) and the answer is emptied by the caller."""
    current = uploads.answered_upload(profile, step_name, field.name, field.purpose)
    if current is not None:
        uploads.discard(current)
    return current


def _update_url(visit: Visit) -> str:
    return url_for("members.update_step", public_id=visit.profile.public_id, step_name=visit.step.name)


def files_context(visit: Visit) -> dict:
    return {"current_files": uploads.step_uploads(visit.profile, visit.step.name, visit.form),
            "update_url": _update_url(visit)}


def picker_context(visit: Visit) -> dict:
    """A picker step's page (members/step_clusters.html): the search (from the query string) and the chosen
    cluster organisations. The member's clusters step and the association's and partnership's use it."""
    picker = visit.form.clusters
    query = (visit.args.get("q") or "").strip()[:200]
    chosen = [(pid, picker.clusters.get(pid)) for pid in picker.data or []]
    search = search_clusters(query, page_number(visit.args.get("page")),
                             eu_cosme_only=picker.eu_cosme_only) if query else None
    return {"query": query, "search": search, "chosen": chosen, "chosen_ids": set(picker.data or []),
            "update_url": _update_url(visit)}


def already_listed(visit: Visit) -> str | None:
    """The clusters step's interrupt: stop when a chosen cluster organisation already lists this organisation."""
    if listing_matches(visit.profile):
        return url_for("members.already_listed", public_id=visit.profile.public_id)
    return None


def possible_duplicate(visit: Visit) -> str | None:
    """The organisation step's interrupt: saving the name and website is the moment a duplicate shows."""
    if unacknowledged_duplicates(visit.profile):
        return url_for("wizard.possible_duplicate", public_id=visit.profile.public_id)
    return None
