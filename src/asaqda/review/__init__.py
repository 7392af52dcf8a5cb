"""Coders validate suggestions: review sheets out, decisions back in."""
