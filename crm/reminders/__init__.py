"""Reminders that reach people: anniversary rules, the inbox, e-mail digests, the activity feed."""
