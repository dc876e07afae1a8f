"""claimtrack's domain: text processing, models, workflow, evidence, verdicts and reports.

Nothing here imports Flask or Celery; the web app, the workers and the CLI call into it.
"""
