"""Administration: the EU/COSME status of countries and who is a validator. Every change is audited."""
from sqlalchemy import select, update

from wizard.countries import sort_key
from wizard.extensions import db
from wizard.models import Country, Role, User
from wizard.services import audit
from wizard.services.accounts import find_user_by_email, set_role


class AdminRefused(Exception):
    """The change was not made; the message says why."""


def countries() -> list[Country]:
    return sorted(db.session.scalars(select(Country)), key=lambda c: sort_key(c.name))


def set_eu_cosme(code: str, eu_cosme: bool, actor: User | None) -> Country:
    """Sets (not toggles) the flag, so a repeated click changes nothing and records nothing.

    `actor` None: the command line (`flask countries set-eu-cosme`), audited the same way."""
    country = db.session.get(Country, (code or "").strip().upper())
    if country is None:
        raise AdminRefused(f"There is no country with the code {code!r}.")
    changed = db.session.execute(
        update(Country).where(Country.code == country.code, Country.eu_cosme == (not eu_cosme))
        .values(eu_cosme=eu_cosme).execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        audit.record("country_eu_cosme_on" if eu_cosme else "country_eu_cosme_off", "country", 0, actor=actor,
                     code=country.code)
    db.session.commit()
    db.session.refresh(country)
    return country


def staff() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_([Role.VALIDATOR.value, Role.ADMIN.value]))
                                   .order_by(User.role, User.email)))


def make_validator(email: str, actor: User) -> User:
    """Gives an existing, confirmed account the validator role; its sign-ins end (it signs in again)."""
    user = find_user_by_email(email or "")
    if user is None:
        raise AdminRefused("No account uses this address. Ask the person to create an account and confirm their "
                           "address first, or create it with `flask users create ADDRESS --role validator`.")
    if user.is_staff:
        raise AdminRefused(f"{user.email} is already {'an administrator' if user.is_admin else 'a validator'}.")
    if not user.is_verified:
        raise AdminRefused(f"{user.email} has not confirmed their e-mail address yet.")
    change_role(user, Role.VALIDATOR, actor)
    return user


def remove_validator(user_id: int, actor: User) -> User:
    """Makes a validator an applicant again. Administrators are changed from the command line only."""
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.VALIDATOR:
        raise AdminRefused("That account is not a validator (any more).")
    change_role(user, Role.APPLICANT, actor)
    return user


def change_role(user: User, role: Role, actor: User | None) -> None:
    """Any role change, from the validators page or (`actor` None) `flask users set-role`: its sign-ins end."""
    if user.role == role.value:
        return
    set_role(user, role)
    audit.record("role_changed", "user", user.id, actor=actor, role=role.value)
    db.session.commit()
