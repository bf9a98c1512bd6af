"""Alerts: telling people about recorded events.

The store writes each event with its outbox rows (`watcher.store.events`); here the delivery
job (`deliver`) runs claimed rows through a chain of small stages: route -> silence (the one
place silences are checked, `silences`) -> wait for the thread's parent -> send -> record.
Channels are plug-ins found by name in `channels` (console, Slack, email, webhook, Apprise);
`routing` picks an event's channels when it is recorded; `messages` and the templates render
an event from its own headline and details; digests go out by `digest`. Nothing here imports
the engine, the sources or extraction.
"""
