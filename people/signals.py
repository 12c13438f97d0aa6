"""Signals for changes people makes in bulk, which send no model signals of their own."""

from django.dispatch import Signal

# Sent with `memberships`: current memberships inserted at once (by a CSV import). Each
# membership saved one by one sends post_save instead.
memberships_created = Signal()
