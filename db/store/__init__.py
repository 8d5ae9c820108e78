"""Repository functions over the models: one module per aggregate, each taking a Session.

- clusters   sync the seeds into `clusters` (retire, never delete)
- runs       crawl runs and their per-site results
- snapshots  page snapshots and content-addressed, compressed bodies
- states     the monitor's current cluster states and status history
- flags      flags, reviews, overrides and notes
- outbox     the weekly digest outbox
- locks      named leases and job slots
- users      web UI accounts
"""
