"""Alerts: the outbox, notifiers (Slack, console) and the delivery job."""
