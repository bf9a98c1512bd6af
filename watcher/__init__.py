"""capex-watcher: watches news, earnings material and SEC filings for AI-infrastructure
capital-expenditure figures and alerts when something material changes."""

__version__ = "0.1.0"
