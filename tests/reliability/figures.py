"""The figures F1-F28 of shared/reliability.md (part 5): their targets, and which tests and scripts measure them.

Tests in this folder, tests/security, tests/faults and tests/fuzz carry `@pytest.mark.figure("F4")` themselves;
tests elsewhere are listed in `MEASURED_BY` by node id prefix, so the figure table lives in one place without
editing other areas' files. The plugin (tests/reliability/plugin.py) adds the marker to both kinds.

CI runs each figure at a count it can afford; `FIGURES_FULL=1` (scripts/figures.sh) runs the figure's own count.
"""
import os

FULL = os.environ.get("FIGURES_FULL", "") == "1"


def scaled(ci: int, full: int) -> int:
    """The CI count, or the figure's own count when FIGURES_FULL=1."""
    return full if FULL else ci


TARGETS = {
    "F1": "hostile corpus >= 60 samples in >= 14 classes: 0 accepted unsafely, 0 x 5xx, verdict <= 2 s, RSS +<= 50 MB",
    "F2": "benign corpus >= 30 samples: 0 rejected, images keep dimensions and orientation",
    "F3": ">= 20 hostile file names: 0 files outside the root, 0 stored under a chosen name, names escaped",
    "F4": ("expired, used, forged (1,000 mutations), wrong purpose or subject, superseded, admin removed: "
           "0 honoured, 0 x 5xx"),
    "F5": "every e-mailed link: GET x5, HEAD, prefetch, Chromium with JS without clicking: 0 state changes",
    "F6": "every route x 6 personas as the policy table; 0 routes without policy; 0 changes on refusals",
    "F7": "every POST route x 3 bad tokens: 400 and 0 changes; CSRF expiry loses 0 typed answers",
    "F8": "hypothesis >= 100 examples per form, stateful wizard: 0 x 5xx, 0 lost answers, 0 double submissions",
    "F9": ("SMTP down during 100 submissions: 100 stored, 100 x k delivered within 2 rounds, 0 duplicates; "
           "550 failed after 1 attempt and listed"),
    "F10": "slow SMTP (2 s per message): submit p95 <= 1.2 x instant SMTP",
    "F11": "two simultaneous decisions x 100 on PostgreSQL and SQLite: exactly one decision 100/100",
    "F12": "2 simultaneous POSTs + 3 replays x 50 drafts: 50 submissions, 50 x k messages",
    "F13": "SQLite write lock 1 s: 100 % saved; 6 s: 100 % get the 503 page with the values and Retry-After; "
           "0 partial writes; integrity_check ok",
    "F14": "200 concurrent journeys, 2 gunicorn workers: 0 errors, 0 lost drafts",
    "F15": "upload folder on a full 1 MB tmpfs: 0 x 5xx, 0 partial files, 0 orphan rows; works after space is freed",
    "F16": "pre-login cookie after sign-in, cookie after sign-out, password change, role removal: 0 accepted",
    "F17": "rate limits across 2 gunicorn workers: the (N+1)th attempt gets 429",
    "F18": "100 % argon2id (m >= 19 MiB, t >= 2); 0 plain tokens in the database; 0 secrets in any log",
    "F19": "every crawled response has the header set; 0 CSP violations; 0 tracebacks; 5xx pages have a reference",
    "F20": ">= 20 next= payloads: 0 off-site redirects; forged Host: 0 links to it in e-mails",
    "F21": ("XSS payloads and naughty strings in every text field: 0 script executions in Chromium, "
            "0 unescaped in e-mails"),
    "F22": "bandit 0 high; ruff S clean; pip-audit --strict reported 'not run' when unreachable, never passed",
    "F23": ("mail a stranger or an unvalidated applicant can trigger, from 1 and from 5 client addresses to one "
            "recipient: at most the per-recipient cap delivered; 0 typed text to an unconfirmed address; "
            "the same page whether capped or not"),
    "F24": "sign-in, registration and reset: medians of 20 requests, known vs unknown address, differ by <= 25 %",
    "F25": ("every link kind opened, POSTed without CSRF, expired and mangled: 0 tokens in the access log, the "
            "application's log, gunicorn's error output and the sender's output"),
    "F26": ("a 1M-field url-encoded body: 413 within 0.1 s, worker memory +< 15 MB; 4 slow upload bodies for 30 s "
            "behind nginx: other pages answer in < 1 s; a short body: 400, never 500"),
    "F27": "every repeating list posted past its maximum: a form error naming the limit, every typed row kept",
    "F28": ("two app hosts with separate instance folders sharing PostgreSQL, Redis and object storage: uploads, "
            "sessions, rate limits and the outbox work across both"),
}

#: Figures measured (also, or only) by a script outside pytest.
SCRIPTS = {
    "F10": "benchmarks/smtp_latency.py",
    "F14": "benchmarks/journeys.py (locust, 200 sessions, 2 gunicorn workers)",
    "F22": "scripts/static_checks.sh",
}

#: Tests outside tests/{reliability,security,faults,fuzz} that measure a figure, by node id prefix.
MEASURED_BY = {
    "F1": ["tests/uploads/test_inspect.py::test_corpus_meets_the_figures",
           "tests/uploads/test_inspect.py::test_verdict",
           "tests/uploads/test_inspect.py::test_damaged_files_never_raise", "tests/members/test_downloads.py"],
    "F2": ["tests/uploads/test_inspect.py::test_corpus_meets_the_figures",
           "tests/uploads/test_inspect.py::test_verdict",
           "tests/uploads/test_inspect.py::test_orientation_is_applied_to_the_pixels"],
    "F3": ["tests/uploads/test_storage.py::test_hostile_names_never_reach_the_disk",
           "tests/uploads/test_storage.py::test_symlink_planted_in_root_is_refused",
           "tests/uploads/test_storage.py::test_names_that_we_did_not_make_are_refused",
           "tests/uploads/test_inspect.py::test_names_are_made_safe_to_show",
           "tests/uploads/test_inspect.py::test_uploaded_names_are_display_text_only"],
    "F4": ["tests/test_tokens.py", "tests/members/test_affiliations.py::test_an_approve_link_works_once",
           "tests/members/test_affiliations.py::test_an_expired_link_is_refused",
           "tests/members/test_affiliations.py::test_a_tampered_link_is_refused",
           "tests/members/test_affiliations.py::test_a_link_never_decides_another_affiliation",
           "tests/members/test_affiliations.py::test_links_die_when_the_admin_is_removed",
           "tests/test_auth.py::test_used_confirmation_link", "tests/test_auth.py::test_expired_confirmation_link",
           "tests/test_auth.py::test_confirmation_link_just_before_expiry_works",
           "tests/test_auth.py::test_resending_the_confirmation_supersedes",
           "tests/test_auth.py::test_a_new_reset_link",
           "tests/test_auth.py::test_reset_link_is_refused_after_the_password_changed"],
    "F5": ["tests/members/test_affiliations.py::test_opening_a_link_decides_nothing",
           "tests/browser/test_links_and_sessions.py::test_a_mail_scanner_running_javascript_decides_nothing"],
    "F7": ["tests/test_csrf_recovery.py", "tests/test_security_headers.py::test_every_foundation_post",
           "tests/test_security_headers.py::test_a_cross_site_post_is_refused"],
    "F9": ["tests/test_outbox.py::test_a_550_reply_fails_at_once_and_is_kept",
           "tests/admin/test_failed_emails.py",
           "tests/test_outbox.py::test_smtp_down_then_up_delivers_everything_once",
           "tests/test_outbox.py::test_fifty_messages_while_smtp_is_down_arrive_once_each"],
    "F11": ["tests/validation/test_concurrent_decisions.py", "tests/members/test_concurrency.py"],
    "F12": ["tests/wizard/test_submission.py::test_two_simultaneous_posts_make_one_submission",
            "tests/wizard/test_submission.py::test_submit_once_however_often_it_is_sent"],
    "F15": ["tests/uploads/test_storage.py::test_disk_full_leaves_nothing_behind_and_recovers"],
    "F16": ["tests/test_sessions.py::test_a_copied_cookie_stops_working",
            "tests/test_sessions.py::test_sign_in_starts_a_fresh_session",
            "tests/test_sessions.py::test_a_disabled_account_is_signed_out",
            "tests/browser/test_links_and_sessions.py::test_signing_in_replaces_the_session_cookie"],
    "F18": ["tests/test_passwords.py::test_hashes_are_argon2id_at_or_above_owasp_minimum",
            "tests/test_passwords.py::test_production_settings_use_argon2_cffi_defaults",
            "tests/test_passwords.py::test_registration_stores_an_argon2id_hash",
            "tests/test_tokens.py::test_the_database_holds_only_hashes_of_tokens",
            "tests/test_sessions.py::test_the_database_holds_no_usable_session_id",
            "tests/test_gunicorn_logging.py"],
    "F19": ["tests/test_security_headers.py::test_every_foundation_page_carries_the_security_headers",
            "tests/test_security_headers.py::test_the_429_page", "tests/test_security_headers.py::test_static_files",
            "tests/test_security_headers.py::test_token_pages_send_no_referrer",
            "tests/test_security_headers.py::test_a_server_error_is_logged_with_the_reference_shown",
            "tests/test_security_headers.py::test_references_differ_between_errors",
            "tests/test_smoke_pages.py", "tests/browser/test_journeys.py"],
    "F20": ["tests/test_sessions.py::test_next_never_redirects_off_site",
            "tests/test_sessions.py::test_hostile_next_is_not_even_put_in_the_sign_in_form",
            "tests/test_security_headers.py::test_links_in_e_mails_use_base_url"],
    "F21": ["tests/browser/test_journeys.py::test_association_with_hostile_text_in_every_field"],
    "F25": ["tests/test_log_masking.py", "tests/test_gunicorn_logging.py"],
    "F26": ["tests/test_form_body_caps.py"],
    "F27": ["tests/members/test_manual_cluster_limit.py"],
}


def figures_of(nodeid: str) -> list[str]:
    return [figure for figure, prefixes in MEASURED_BY.items() if any(nodeid.startswith(p) for p in prefixes)]
