"""All models, one module per aggregate; importing this package registers every table."""
from wizard.models.accounts import AuthSession, LoginAttempt, Role, User
from wizard.models.affiliations import Affiliation, AffiliationStatus
from wizard.models.audit import AuditEntry
from wizard.models.countries import Country
from wizard.models.outbox import OutboxMessage, OutboxStatus
from wizard.models.profiles import ListedMember, Profile, ProfileAdmin, ProfileEcosystem, ProfileStatus, Submission
from wizard.models.tokens import LinkToken
from wizard.models.uploads import Upload

__all__ = [
    "Affiliation", "AffiliationStatus", "AuditEntry", "AuthSession", "Country", "LinkToken", "ListedMember",
    "LoginAttempt", "OutboxMessage", "OutboxStatus", "Profile", "ProfileAdmin", "ProfileEcosystem",
    "ProfileStatus", "Role", "Submission", "Upload", "User",
]
