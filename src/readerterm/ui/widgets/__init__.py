"""Widgets of the reader; each renders what the screen gives it and posts intent up."""
