"""The fastest yes: text shapes that vouch for a valid document, and proofs that rules stay quiet.
Internal."""
