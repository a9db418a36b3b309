"""Pieces every capability's pages share: the page base, the lazy table model, print preview."""
