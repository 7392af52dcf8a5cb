"""Synthetic demo corpus in the real MAXQDA export formats (no real interview data)."""

from asaqda.demo.generator import DemoInterview, generate_corpus, waves_for
from asaqda.demo.writers import write_demo

__all__ = ["DemoInterview", "generate_corpus", "waves_for", "write_demo"]
