"""Messaging's plain HTTP endpoints: the providers' webhooks and the unsubscribe link."""
