"""Sources: where documents come from.

- `config`: loads and validates config/feeds.yaml into `SourceConfig` objects.
- `http`: fetches one URL politely and safely (conditional GET, redirects, size and time caps).
- `feeds`: turns a fetched RSS/Atom body into `FeedEntry` objects, defusing hostile input.
- `errors`: `SourceError` and its kinds, the one-line reasons a source failed.
- `poll`: the polling loop that ties them to the database.
"""
