"""Who may call what: one policy table for every route of the app (reliability.md AZ-1, AZ-2).

Each endpoint maps to cases: a URL (filled from the world, tests/security/world.py) and, for GET and
for POST, what each persona gets. A new route must be added here: the suite fails until it is.

Values: a status code; SIGN_IN (a redirect to the sign-in page); OK (the page, or a redirect to the
next page: 200, 302 or 303); ALLOWED (a POST that is let through: anything but 401, 403, 404, a
sign-in redirect or a 5xx; an empty form usually gets 400 with its errors). Refused calls must leave
the database unchanged.
"""
from dataclasses import dataclass

SIGN_IN = "sign-in"
OK = "ok"
ALLOWED = "allowed"


def who(anonymous, applicant, other_applicant, other_cluster_admin, validator, admin) -> dict:
    return {"anonymous": anonymous, "applicant": applicant, "other_applicant": other_applicant,
            "other_cluster_admin": other_cluster_admin, "validator": validator, "admin": admin}


EVERYONE = who(200, 200, 200, 200, 200, 200)
EVERYONE_OK = who(OK, OK, OK, OK, OK, OK)
EVERYONE_ALLOWED = who(ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
NOBODY_404 = who(404, 404, 404, 404, 404, 404)
SIGNED_IN = who(SIGN_IN, 200, 200, 200, 200, 200)
SIGNED_IN_ALLOWED = who(SIGN_IN, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
#: The applicant's own drafts and profiles: for everyone else they do not exist.
OWNER = who(404, 200, 404, 404, 404, 404)
OWNER_OK = who(404, OK, 404, 404, 404, 404)
OWNER_ALLOWED = who(404, ALLOWED, 404, 404, 404, 404)
#: Signed-in pages about one profile (or cluster) the applicant administers.
OWNER_SIGNED_IN = who(SIGN_IN, 200, 404, 404, 404, 404)
OWNER_SIGNED_IN_ALLOWED = who(SIGN_IN, ALLOWED, 404, 404, 404, 404)
STAFF = who(SIGN_IN, 403, 403, 403, 200, 200)
STAFF_ALLOWED = who(SIGN_IN, 403, 403, 403, ALLOWED, ALLOWED)
ADMIN = who(SIGN_IN, 403, 403, 403, 403, 200)
ADMIN_ALLOWED = who(SIGN_IN, 403, 403, 403, 403, ALLOWED)
MOVED = who(308, 308, 308, 308, 308, 308)


@dataclass(frozen=True)
class Case:
    url: str
    get: dict | None = None
    post: dict | None = None
    note: str = ""


BOGUS_TOKEN = "not-a-real-token.AAAAAAAAAAAAAAAAAAAAAAAAAAAA"

POLICY: dict[str, list[Case]] = {
    # --- public pages ---
    "main.index": [Case("/", get=EVERYONE)],
    "main.privacy": [Case("/privacy", get=EVERYONE)],
    "main.terms": [Case("/terms", get=EVERYONE)],
    "main.data_protection": [Case("/data-protection", get=EVERYONE)],
    "main.favicon": [Case("/favicon.ico", get=EVERYONE)],
    "static": [Case("/static/app.css", get=EVERYONE)],
    "bootstrap.static": [Case("/bootstrap/static/css/bootstrap.min.css", get=EVERYONE)],
    "directory.index": [Case("/directory/", get=EVERYONE)],
    "directory.profile": [Case("/directory/{cluster}", get=EVERYONE),
                          Case("/directory/{draft}", get=NOBODY_404, note="a draft is not public"),
                          Case("/directory/{member}", get=NOBODY_404, note="not published yet")],
    "members.cluster_search": [Case("/members/cluster-search?q=Bavarian", get=EVERYONE)],
    "account.account_deleted": [Case("/account/deleted", get=EVERYONE)],
    # The development outbox exists under the testing and development settings only (a test checks production).
    "dev.outbox": [Case("/dev/outbox", get=EVERYONE)],
    "dev.outbox_message": [Case("/dev/outbox/{message}", get=EVERYONE)],
    # --- accounts ---
    "auth.sign_in": [Case("/account/sign-in", get=EVERYONE, post=EVERYONE_ALLOWED)],
    "auth.register": [Case("/account/register", get=EVERYONE, post=EVERYONE_ALLOWED)],
    "auth.check_email": [Case("/account/check-your-email", get=EVERYONE)],
    "auth.forgot_password": [Case("/account/forgot-password", get=EVERYONE, post=EVERYONE_ALLOWED)],
    "auth.resend_verification": [Case("/account/resend-verification", post=EVERYONE_ALLOWED)],
    "auth.sign_out": [Case("/account/sign-out", post=EVERYONE_ALLOWED)],
    "auth.change_password": [Case("/account/change-password", get=SIGNED_IN, post=SIGNED_IN_ALLOWED)],
    "auth.verify_email": [Case(f"/account/verify/{BOGUS_TOKEN}", get=NOBODY_404, post=NOBODY_404)],
    "auth.reset_password": [Case(f"/account/reset-password/{BOGUS_TOKEN}", get=NOBODY_404, post=NOBODY_404)],
    # --- the wizard ---
    "wizard.start": [Case("/start/cluster_organisation", get=EVERYONE, post=EVERYONE_ALLOWED),
                     Case("/start/no_such_type", get=NOBODY_404, post=NOBODY_404)],
    # The address e-mails link to: signed out, any id (real or not) asks to sign in first (issue 17 item 3).
    "wizard.resume": [Case("/drafts/{draft}", get=who(SIGN_IN, OK, 404, 404, 404, 404)),
                      Case("/drafts/unknown-draft-id", get=who(SIGN_IN, 404, 404, 404, 404, 404))],
    "wizard.step": [Case("/drafts/{draft}/country", get=OWNER, post=OWNER_ALLOWED),
                    Case("/drafts/{other_draft}/country", get=who(404, 404, 200, 404, 404, 404),
                         post=who(404, 404, ALLOWED, 404, 404, 404)),
                    Case("/drafts/{member}/country", get=OWNER_OK, post=OWNER_OK,
                         note="a submitted profile is not editable: its owner is sent to its status page")],
    "wizard.check_answers": [Case("/drafts/{draft}/check-answers", get=OWNER, post=OWNER_ALLOWED)],
    "wizard.submitted": [Case("/drafts/{member}/submitted", get=OWNER)],
    "wizard.save_for_later": [Case("/drafts/{draft}/save-for-later", get=OWNER, post=OWNER_ALLOWED)],
    "wizard.change_type": [Case("/drafts/{draft}/type", get=OWNER, post=OWNER_ALLOWED)],
    "wizard.possible_duplicate": [Case("/drafts/{draft}/possible-duplicate", get=OWNER_OK)],
    "wizard.confirm_different": [Case("/drafts/{draft}/possible-duplicate/different", post=OWNER_ALLOWED)],
    "wizard.ask_for_access": [Case("/drafts/{draft}/possible-duplicate/{other_cluster}/ask", post=OWNER_ALLOWED),
                              Case("/drafts/{draft}/possible-duplicate/{cluster}/ask", post=NOBODY_404,
                                   note="a profile that is not a possible duplicate of the draft")],
    "wizard.ask_for_access_unpublished": [Case("/drafts/{draft}/possible-duplicate/ask", post=OWNER_ALLOWED)],
    "wizard.my_profiles": [Case("/my-profiles", get=SIGNED_IN)],
    "wizard.resume_from_link": [Case(f"/resume/{BOGUS_TOKEN}", get=NOBODY_404, post=NOBODY_404)],
    # --- members, affiliations, uploads ---
    "members.update_step": [Case("/drafts/{member_draft}/clusters/update", post=OWNER_ALLOWED),
                            Case("/drafts/{draft}/country/update", post=NOBODY_404, note="no files or clusters there")],
    "members.already_listed": [Case("/drafts/{draft}/already-listed", get=OWNER_OK, post=OWNER_ALLOWED)],
    "members.download": [Case("/uploads/{upload}", get=who(404, 200, 404, 404, 200, 200)),
                         Case("/uploads/999999", get=NOBODY_404)],
    "members.decide_by_link": [Case(f"/affiliations/decide/{BOGUS_TOKEN}", get=NOBODY_404, post=NOBODY_404)],
    "members.pending_members": [Case("/clusters/{cluster}/members/pending", get=OWNER_SIGNED_IN),
                                Case("/clusters/{other_cluster}/members/pending",
                                     get=who(SIGN_IN, 404, 404, 200, 404, 404))],
    "members.decide_on_page": [Case("/clusters/{cluster}/members/{affiliation}/decide",
                                    post=OWNER_SIGNED_IN_ALLOWED),
                               Case("/clusters/{other_cluster}/members/{affiliation}/decide",
                                    post=who(SIGN_IN, 404, 404, 404, 404, 404),
                                    note="C2's administrator cannot decide C1's request through C2's address")],
    "members.end_membership": [Case("/clusters/{cluster}/members/{affiliation}/end", post=OWNER_SIGNED_IN_ALLOWED)],
    "members.manual_affiliations": [Case("/members/manual-affiliations", get=STAFF)],
    "members.decide_manual": [Case("/members/manual-affiliations/{manual_affiliation}/decide", post=STAFF_ALLOWED)],
    "members.administrators": [Case("/profiles/{cluster}/administrators", get=OWNER_SIGNED_IN)],
    "members.invite": [Case("/profiles/{cluster}/administrators/invite", post=OWNER_SIGNED_IN_ALLOWED)],
    "members.remove_administrator": [Case("/profiles/{cluster}/administrators/{owner_id}/remove",
                                          post=OWNER_SIGNED_IN_ALLOWED)],
    "members.accept_invitation": [Case(f"/profiles/invitations/{BOGUS_TOKEN}", get=NOBODY_404, post=NOBODY_404)],
    # --- validators ---
    "validation.queue": [Case("/validation/", get=STAFF)],
    "validation.profile": [Case("/validation/profiles/{member}", get=STAFF),
                           Case("/validation/profiles/{draft}", get=who(SIGN_IN, 403, 403, 403, 404, 404),
                                note="a draft was never submitted: validators have nothing to read")],
    "validation.decide": [Case("/validation/profiles/{member}/decision", post=STAFF_ALLOWED)],
    "validation.waiver": [Case("/validation/profiles/{member}/waiver", post=STAFF_ALLOWED)],
    "validation.unpublish": [Case("/validation/profiles/{member}/unpublish", post=STAFF_ALLOWED)],
    "validation.published_on_approval": [Case("/validation/published-on-approval", get=STAFF)],
    # --- the applicant's rights ---
    "account.my_data": [Case("/account/my-data", get=SIGNED_IN)],
    "account.export_my_data": [Case("/account/my-data/export", get=SIGNED_IN)],
    "account.delete_account": [Case("/account/my-data/delete", get=who(SIGN_IN, 200, 200, 200, 403, 403),
                                  post=who(SIGN_IN, ALLOWED, ALLOWED, ALLOWED, 403, 403),
                                  note="staff accounts are removed by an administrator, not by themselves")],
    "account.withdraw": [Case("/account/my-data/profiles/{member}/withdraw", get=OWNER_SIGNED_IN,
                            post=OWNER_SIGNED_IN_ALLOWED)],
    # The addresses these pages had under /admin/: a permanent redirect for everyone, whatever they may see there.
    "account_moved.my_data": [Case("/admin/my-data", get=MOVED, post=MOVED)],
    "account_moved.export_my_data": [Case("/admin/my-data/export", get=MOVED, post=MOVED)],
    "account_moved.delete_account": [Case("/admin/my-data/delete", get=MOVED, post=MOVED)],
    "account_moved.withdraw": [Case("/admin/my-data/profiles/{member}/withdraw", get=MOVED, post=MOVED)],
    "account_moved.account_deleted": [Case("/admin/account-deleted", get=MOVED, post=MOVED)],
    # --- administration ---
    "admin.index": [Case("/admin/", get=ADMIN)],
    "admin.countries": [Case("/admin/countries", get=ADMIN)],
    "admin.set_country": [Case("/admin/countries/NO", post=ADMIN_ALLOWED)],
    "admin.validators": [Case("/admin/validators", get=ADMIN, post=ADMIN_ALLOWED)],
    "admin.remove_validator": [Case("/admin/validators/{validator_id}/remove", post=ADMIN_ALLOWED)],
    "admin.failed_emails": [Case("/admin/emails/failed", get=ADMIN)],
    "admin.send_email_again": [Case("/admin/emails/{message}/send-again", post=ADMIN_ALLOWED,
                                    note="the world's e-mail is not failed: nothing is requeued")],
}


def cases() -> list[tuple[str, int, Case]]:
    return [(endpoint, n, case) for endpoint, endpoint_cases in POLICY.items() for n, case in enumerate(endpoint_cases)]
