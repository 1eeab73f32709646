"""Breakers by rule family: each breaks a valid payload so that one named rule fires. Internal."""
