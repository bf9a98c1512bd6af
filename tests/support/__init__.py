"""Test helpers: local stand-ins for the outside world (feed server, Slack, ...)."""
