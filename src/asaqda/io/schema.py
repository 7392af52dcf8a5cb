"""Columns of the canonical interim tables (Parquet under ``<output>/interim/{wave}/``).

Every later stage reads these tables, never the exports themselves.

documents.parquet
    One row per document. ``doc_id`` is stable: the first 12 hex digits of SHA-1 over
    document group and name, so the same document gets the same id in every run.
paragraphs.parquet
    One row per non-empty transcript paragraph (MAXQDA numbering). ``paragraph_id`` is
    ``<doc_id>-<paragraph, 4 digits>``.
codings.parquet
    One row per coded segment. ``coding_id`` is stable: SHA-1 over document, code, Anfang, Ende,
    text, coder and creation date (plus a counter for exact duplicates), so re-exporting the
    same codings in another order gives the same ids.
"""

from __future__ import annotations

__all__ = ["DOCUMENT_COLUMNS", "PARAGRAPH_COLUMNS", "CODING_COLUMNS"]

#: fixed columns of documents.parquet; the document variables follow under their MAXQDA names
DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "stable document id",
    "wave": "survey wave (folder name), e.g. 2023-1",
    "document_group": "MAXQDA document group",
    "document_name": "MAXQDA document name",
    "has_transcript": "a transcript of the document is in the wave folder",
    "transcript_file": "transcript file relative to the input folder, or empty",
    "n_paragraphs": "number of non-empty paragraphs of the transcript (0 without transcript)",
    "n_codings": "number of coded segments of the document",
    "variables_file": "document-variables export that lists the document, or empty",
    "variables_row": "its row in that export (header = 1), or empty",
}

PARAGRAPH_COLUMNS: dict[str, str] = {
    "paragraph_id": "stable paragraph id: <doc_id>-<paragraph>",
    "doc_id": "document id",
    "wave": "survey wave",
    "paragraph": "1-based number of the non-empty paragraph, as MAXQDA counts",
    "speaker": "speaker label of the turn (I, B, S1, ...) or empty",
    "timestamp": "timestamp found in the paragraph (00:01:27) or empty",
    "text": "the paragraph as written",
    "content": "the paragraph without speaker label and timestamps",
}

CODING_COLUMNS: dict[str, str] = {
    "coding_id": "stable coding id",
    "doc_id": "document id",
    "wave": "survey wave",
    "document_group": "MAXQDA document group",
    "document_name": "MAXQDA document name",
    "code": "code path, levels joined with ' > '",
    "code_raw": "code as written in the export",
    "begin": "first paragraph (Anfang)",
    "end": "last paragraph (Ende)",
    "position_raw": "Anfang - Ende as written when they are not paragraph numbers (PDF)",
    "weight": "weight score 0-100 (0 = not rated)",
    "segment": "coded text",
    "coder": "Erstellt von / Created by",
    "created": "Erstellt am",
    "modified_by": "Bearbeitet von",
    "modified": "Bearbeitet am",
    "comment": "segment comment",
    "color": "code colour",
    "area": "Fläche",
    "coverage": "Abdeckungsgrad %",
    "extra": "JSON object of all further export columns",
    "text_check": "ok | abweichung | kein Transkript | keine Absatznummer",
    "found_in": "for 'abweichung': paragraphs where the text really is",
    "source_file": "export file relative to the input folder",
    "source_sheet": "worksheet (xlsx) or empty",
    "source_row": "row in the export as Excel shows it (header = 1)",
}
