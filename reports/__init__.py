"""Reports: the ministry's rollout pack, a unit's profile and a chosen set, as Excel, Word and PDF."""
