"""Alerts, as a chain of small stages: the outbox records events with one delivery row per
channel (`outbox`), chosen by `routing`, held back by `silences`, with later news as thread
`updates`; the delivery job (`deliver`) sends them through notifiers (Slack in `slack` and
`notifiers`, email in `email`, console) and digests go out by `digest`."""
