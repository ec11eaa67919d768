"""The public directory of published profiles."""
from flask import Blueprint, abort, render_template, request

from wizard.auth.helpers import public
from wizard.directory.forms import DirectorySearchForm
from wizard.services import directory
from wizard.services.paging import page_number
from wizard.steps import profile_type
from wizard.taxonomies import INDUSTRIAL_ECOSYSTEMS

bp = Blueprint("directory", __name__)


@bp.route("/")
@public
def index():
    form = DirectorySearchForm(formdata=request.args)
    valid = form.validate()
    filters = directory.DirectoryFilters()
    if valid:
        filters = directory.DirectoryFilters(search=form.q.data or "", profile_type=form.profile_type.data or "",
                                             country=form.country.data or "", ecosystem=form.ecosystem.data or "")
    results = directory.search(filters, page_number(request.args.get("page")))
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("directory/index.html", form=form, results=results, query=query, filtered=bool(query),
                           ecosystems=dict(INDUSTRIAL_ECOSYSTEMS)), 200 if valid else 400


@bp.route("/<public_id>")
@public
def profile(public_id: str):
    found = directory.find_public(public_id)
    if found is None:
        abort(404)
    declared = profile_type(found.profile_type)
    is_cluster = declared.receives_members
    return render_template(
        "directory/profile.html", profile=found, sections=directory.public_sections(found),
        logo=directory.public_logo(found),
        members=directory.visible_members(found) if is_cluster else [],
        listed=directory.listed_members(found, page_number(request.args.get("members_page")))
        if is_cluster else None,
        affiliations=directory.approved_affiliations(found) if declared.joins_clusters else [],
    )
