"""Accounts: sign-in, users and application settings. Imports store and models."""
