"""Screens: the main three-pane view and the help screen."""
