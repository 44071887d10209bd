"""The collection portal (issue 6): enterprise reports, accounts and review, without the HTTP layer."""
