"""capex-watcher tests."""
