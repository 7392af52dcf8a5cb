"""Data protection: find personal data in every text that leaves the pipeline, gate quotes by
a sign-off sheet, and pseudonymise transcripts consistently across waves."""

from asaqda.privacy.detect import KINDS, Detector, Hit

__all__ = ["KINDS", "Detector", "Hit"]
