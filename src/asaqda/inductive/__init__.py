"""Inductive category formation (Mayring) with BERTopic: candidate categories from the material
that the codebook does not cover, for researchers to name and take into the codebook."""
