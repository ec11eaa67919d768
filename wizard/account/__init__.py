"""The account holder's own data: a copy of everything, withdrawing a submission, deleting the account."""
