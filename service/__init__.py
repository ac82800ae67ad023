"""Use cases: plain functions over the store, the loaded rule set and plain values.

The CLI, the cron job and the tests call the same functions.
"""
