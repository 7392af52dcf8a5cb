"""Labelled text corpora (text, codes, document) turned into the pipeline's own input."""

from asaqda.corpus.convert import (
    UNIT_COLUMNS,
    ConvertedCorpus,
    codebook_files,
    convert_corpus,
    pseudo_documents,
    segment_rows,
    transcript_paragraphs,
)

__all__ = [
    "UNIT_COLUMNS",
    "ConvertedCorpus",
    "codebook_files",
    "convert_corpus",
    "pseudo_documents",
    "segment_rows",
    "transcript_paragraphs",
]
