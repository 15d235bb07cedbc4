"""The backend's Gmail connection: OAuth web flow, Gmail API client, quota-aware sync.

Rule: every call to Google goes through `client.GmailClient` (retries, quota ledger), every row
through `store`; the Flask blueprint (backend.api.gmail) only parses, calls and serialises.
"""
