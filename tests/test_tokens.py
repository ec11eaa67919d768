"""E-mailed link tokens: random, stored hashed, bound to a purpose, expiring, single use, unforgeable."""
import hashlib
import string
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeSerializer
from sqlalchemy import select, text

from wizard.extensions import db
from wizard.models import LinkToken
from wizard.tokens import Purpose, TokenError, check_token, consume_token, issue_token, revoke_tokens

URL_SAFE = set(string.ascii_letters + string.digits + "-_")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def raw_part(app, purpose: str, value: str) -> str:
    """The random part inside the signed URL value (the signature salt is the purpose)."""
    return URLSafeSerializer(app.config["SECRET_KEY"], salt=f"link-token:{purpose}").loads(value)


def link_tokens_dump() -> str:
    rows = db.session.execute(text("SELECT * FROM link_tokens")).all()
    return "\n".join("|".join(str(value) for value in row) for row in rows)


def test_ten_thousand_tokens_are_distinct_and_long(app):
    values = [issue_token(Purpose.RESUME_DRAFT, n, 3600, supersede=False) for n in range(10_000)]
    raws = [raw_part(app, Purpose.RESUME_DRAFT, value) for value in values]
    db.session.rollback()

    assert len(set(values)) == len(set(raws)) == 10_000
    assert min(len(raw) for raw in raws) >= 43  # 256 random bits, url-safe base64
    assert all(set(raw) <= URL_SAFE for raw in raws)


def test_the_database_holds_only_hashes_of_tokens(app):
    values = [issue_token(Purpose.RESET_PASSWORD, n, 3600, supersede=False) for n in range(1_000)]
    db.session.commit()
    raws = [raw_part(app, Purpose.RESET_PASSWORD, value) for value in values]

    stored = set(db.session.scalars(select(LinkToken.token_hash)))
    assert stored == {hashlib.sha256(raw.encode()).hexdigest() for raw in raws}
    dump = link_tokens_dump()
    assert not [raw for raw in raws if raw in dump]
    assert not [value for value in values if value in dump]


def test_a_token_is_valid_for_its_purpose_only(app, make_user):
    user = make_user()
    value = issue_token(Purpose.VERIFY_EMAIL, user.id, 3600)
    db.session.commit()

    assert check_token(Purpose.VERIFY_EMAIL, value).subject_id == user.id
    for other in (Purpose.RESET_PASSWORD, Purpose.RESUME_DRAFT, Purpose.AFFILIATION_DECISION, Purpose.COADMIN_INVITE):
        with pytest.raises(TokenError) as refused:
            check_token(other, value)
        assert refused.value.reason == "invalid"


def test_a_token_is_valid_for_its_action_only(app):
    approve = issue_token(Purpose.AFFILIATION_DECISION, 7, 3600, action="approve")
    db.session.commit()
    assert check_token(Purpose.AFFILIATION_DECISION, approve, action="approve").action == "approve"
    with pytest.raises(TokenError, match="invalid"):
        check_token(Purpose.AFFILIATION_DECISION, approve, action="decline")


def test_expiry_boundary(app):
    with time_machine.travel(START, tick=False) as traveller:
        value = issue_token(Purpose.RESET_PASSWORD, 1, 3600)
        db.session.commit()

        traveller.move_to(START + timedelta(seconds=3599))
        assert check_token(Purpose.RESET_PASSWORD, value)

        traveller.move_to(START + timedelta(seconds=3601))
        with pytest.raises(TokenError) as refused:
            check_token(Purpose.RESET_PASSWORD, value)
        assert refused.value.reason == "expired"


def test_a_new_token_supersedes_the_previous_one_for_the_same_subject(app):
    first = issue_token(Purpose.VERIFY_EMAIL, 1, 3600)
    other_subject = issue_token(Purpose.VERIFY_EMAIL, 2, 3600)
    second = issue_token(Purpose.VERIFY_EMAIL, 1, 3600)
    db.session.commit()

    with pytest.raises(TokenError, match="invalid"):
        check_token(Purpose.VERIFY_EMAIL, first)
    assert check_token(Purpose.VERIFY_EMAIL, second).subject_id == 1
    assert check_token(Purpose.VERIFY_EMAIL, other_subject).subject_id == 2


def test_revoked_tokens_are_refused(app):
    value = issue_token(Purpose.RESUME_DRAFT, 5, 3600)
    db.session.commit()
    revoke_tokens(Purpose.RESUME_DRAFT, 5)
    db.session.commit()
    with pytest.raises(TokenError, match="invalid"):
        check_token(Purpose.RESUME_DRAFT, value)


def test_consume_is_compare_and_set(app):
    value = issue_token(Purpose.RESET_PASSWORD, 1, 3600)
    db.session.commit()
    token = check_token(Purpose.RESET_PASSWORD, value)

    assert consume_token(token) is True
    assert consume_token(token) is False
    db.session.commit()

    with pytest.raises(TokenError) as refused:
        check_token(Purpose.RESET_PASSWORD, value)
    assert refused.value.reason == "used"


def test_check_token_changes_nothing(app):
    value = issue_token(Purpose.VERIFY_EMAIL, 1, 3600)
    db.session.commit()
    before = link_tokens_dump()
    for _ in range(3):
        check_token(Purpose.VERIFY_EMAIL, value)
    db.session.commit()
    assert link_tokens_dump() == before


def test_garbage_is_invalid(app, subtests):
    for value in ["", ".", "..", "x" * 5000, "\x00", "é", "\ud800", "%00", "a.b.c", "eyJ9.e30", "null", "[]"]:
        with subtests.test(value=value[:20]), pytest.raises(TokenError, match="invalid"):
            check_token(Purpose.VERIFY_EMAIL, value)


def test_a_valid_signature_over_a_non_text_payload_is_invalid(app):
    forged_with_our_key = URLSafeSerializer(app.config["SECRET_KEY"], salt="link-token:verify-email").dumps([1, 2])
    with pytest.raises(TokenError, match="invalid"):
        check_token(Purpose.VERIFY_EMAIL, forged_with_our_key)


def test_a_token_signed_with_another_key_is_invalid(app):
    value = issue_token(Purpose.VERIFY_EMAIL, 1, 3600)
    db.session.commit()
    raw = raw_part(app, Purpose.VERIFY_EMAIL, value)
    resigned = URLSafeSerializer("another-secret", salt="link-token:verify-email").dumps(raw)
    with pytest.raises(TokenError, match="invalid"):
        check_token(Purpose.VERIFY_EMAIL, resigned)


URL_ALPHABET = string.ascii_letters + string.digits + "-_."
_edit_char = st.one_of(st.sampled_from(URL_ALPHABET), st.characters(codec="utf-8", exclude_categories=["Cs"]))


@st.composite
def mutations(draw, value: str) -> str:
    kind = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "extend", "case", "swap", "pad"]))
    i = draw(st.integers(0, len(value) - 1))
    if kind == "replace":
        mutated = value[:i] + draw(_edit_char) + value[i + 1:]
    elif kind == "insert":
        mutated = value[:i] + draw(_edit_char) + value[i:]
    elif kind == "delete":
        mutated = value[:i] + value[i + 1:]
    elif kind == "truncate":
        mutated = value[:i]
    elif kind == "extend":
        mutated = value + draw(st.text(alphabet=_edit_char, min_size=1, max_size=20))
    elif kind == "case":
        mutated = value.swapcase()
    elif kind == "swap":
        payload, _, signature = value.rpartition(".")
        mutated = signature + "." + payload
    else:
        mutated = value + draw(st.sampled_from(["=", "==", "%3D", " ", "\n", "\x00"]))
    return mutated


@pytest.fixture
def one_token(app):
    value = issue_token(Purpose.RESET_PASSWORD, 1, 3600)
    db.session.commit()
    return value


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_tokens_are_invalid_and_never_raise_anything_else(one_token, data):
    mutated = data.draw(mutations(one_token))
    if mutated == one_token:
        return
    with pytest.raises(TokenError) as refused:
        check_token(Purpose.RESET_PASSWORD, mutated)
    assert refused.value.reason == "invalid"
