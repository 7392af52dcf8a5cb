"""Pre-coding: codebook rules (spaCy) plus a model trained on earlier waves."""
