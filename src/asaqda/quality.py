"""Checks over the whole corpus and the quality tables under ``qualitaet/``.

Hard errors stop the run (a document in two waves, E006; a pseudonym that looks like a typo of
another, E010). Everything else is reported for people, never silently dropped: codes that
are not in the codebook (with the closest codebook code), coded segments whose text is not
where Anfang/Ende point, and what the import noticed (ignored files, encodings).
"""

from __future__ import annotations

import re

import pandas as pd

from asaqda.codebook import Codebook, closest_code
from asaqda.errors import InputError, Location, Problem

__all__ = [
    "mark_intercoder_copies",
    "check_duplicate_documents",
    "check_pseudonyms",
    "pseudonym_key",
    "unknown_codes",
    "alignment_report",
    "overview",
]


def mark_intercoder_copies(documents: pd.DataFrame) -> pd.Series:
    """True for the second (third ...) copy of a double-coded document.

    MAXQDA's intercoder convention puts each coder's copy of a document, under the same name,
    into its own document group. The primary copy, which the tables count, is the one in the
    group whose duplicates point to the fewest other groups (a group made for the agreement
    check collects copies from several groups), then the group least made of duplicates, then
    the larger group, then the alphabetically first. The other copies only serve the
    agreement check.
    """
    key = ["wave", "document_name"]
    copies_per_name = documents.groupby(key)["document_group"].transform("size")
    dup_share = (
        (copies_per_name > 1)
        .groupby([documents["wave"], documents["document_group"]])
        .transform("mean")
    )
    # how many other groups a group's duplicates point to: a check group collects copies of
    # documents from several groups, an ordinary group's duplicates all point to the check group
    pairs = documents[["wave", "document_name", "document_group"]].merge(
        documents[["wave", "document_name", "document_group"]], on=key, suffixes=("", "_other")
    )
    pairs = pairs[pairs["document_group"] != pairs["document_group_other"]]
    partners = pairs.groupby(["wave", "document_group"])["document_group_other"].nunique()
    n_partners = pd.Series(
        [
            partners.get((w, g), 0)
            for w, g in zip(documents["wave"], documents["document_group"], strict=True)
        ],
        index=documents.index,
    )
    size = documents.groupby(["wave", "document_group"])["document_name"].transform("size")
    rank = documents.assign(_partners=n_partners, _share=dup_share, _size=size).sort_values(
        ["wave", "document_name", "_partners", "_share", "_size", "document_group"],
        ascending=[True, True, True, True, False, True],
    )
    copies = rank.duplicated(["wave", "document_name"], keep="first")
    return copies.reindex(documents.index)


def check_duplicate_documents(documents: pd.DataFrame) -> None:
    """E006 if the same document (group + name) appears in more than one wave."""
    waves = documents.groupby(["document_group", "document_name"])["wave"].nunique()
    dups = waves[waves > 1]
    if dups.empty:
        return
    problems = []
    for (group, name), _ in dups.items():
        rows = documents[
            (documents["document_group"] == group) & (documents["document_name"] == name)
        ]
        where = "; ".join(
            f"Welle {r.wave} ({r.variables_file or r.transcript_file})" for r in rows.itertuples()
        )
        problems.append(
            Problem(
                "E006",
                f"das Dokument '{group}/{name}' kommt in mehr als einer Welle vor: {where}",
                Location(str(rows.iloc[0]["variables_file"] or rows.iloc[0]["transcript_file"])),
                "jedes Interview im Ordner der Welle lassen, in der es geführt wurde; die Kopie "
                "entfernen",
            )
        )
    raise InputError(problems)


def pseudonym_key(pseudonym: str) -> str:
    """A pseudonym reduced so that typos collide: case, spaces, '-'/'_' and leading zeros
    in numbers do not count (``A17``, ``a017`` and ``A 017`` all give ``a17``)."""
    key = re.sub(r"[\s_\-]+", "", pseudonym).casefold()
    return re.sub(r"\d+", lambda m: str(int(m.group(0))), key)


def check_pseudonyms(
    documents: pd.DataFrame, columns: tuple[str, ...] = ("Person", "Betrieb")
) -> None:
    """E010 for pseudonyms that differ only in spelling (``A17`` next to ``A017``)."""
    problems = []
    for column in columns:
        if column not in documents:
            continue
        values = documents[
            ["wave", "document_name", "variables_file", "variables_row", column]
        ].dropna(subset=[column])
        if values.empty:
            continue
        values = values.assign(_key=values[column].astype(str).map(pseudonym_key))
        for _, group in values.groupby("_key", sort=True):
            spellings = sorted(group[column].astype(str).unique())
            if len(spellings) < 2:
                continue
            counts = group[column].value_counts()
            likely = counts.index[0]
            for spelling in spellings:
                if spelling == likely:
                    continue
                r = group[group[column] == spelling].iloc[0]
                problems.append(
                    Problem(
                        "E010",
                        f"{column} '{spelling}' (Dokument '{r.document_name}', Welle {r.wave})"
                        f" sieht wie ein Tippfehler von '{likely}' aus ({counts[likely]}-mal "
                        "verwendet);"
                        f" alle Schreibweisen: {', '.join(spellings)}",
                        Location(
                            str(r.variables_file),
                            None,
                            None if pd.isna(r.variables_row) else int(r.variables_row),
                            column,
                        ),
                        f"das Pseudonym in MAXQDA überall gleich schreiben (z. B. '{likely}') und "
                        "die Dokumentvariablen erneut exportieren",
                    )
                )
    if problems:
        raise InputError(problems)


def unknown_codes(codings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Codes used in the exports that the codebook does not define.

    Returns
    -------
    pandas.DataFrame
        ``welle``, ``code``, ``segmente``, ``dokumente``, ``vorschlag`` (closest codebook
        code), ``aehnlichkeit`` (0-1), ``dateien`` (export files), sorted by wave and code.
    """
    columns = ["welle", "code", "segmente", "dokumente", "vorschlag", "aehnlichkeit", "dateien"]
    known = set(codebook.paths)
    unknown = codings[~codings["code"].isin(known)]
    if unknown.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (wave, code), group in unknown.groupby(["wave", "code"], sort=True):
        suggestion, score = closest_code(code, codebook.paths)
        rows.append(
            {
                "welle": wave,
                "code": code,
                "segmente": len(group),
                "dokumente": group["doc_id"].nunique(),
                "vorschlag": suggestion or "",
                "aehnlichkeit": score,
                "dateien": ", ".join(sorted(group["source_file"].unique())),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def alignment_report(codings: pd.DataFrame) -> pd.DataFrame:
    """Coded segments whose text is not in the paragraphs their Anfang/Ende point at.

    Returns one row per such segment: ``welle``, ``dokument``, ``code``, ``anfang``, ``ende``,
    ``gefunden_in`` (where the text really is, if anywhere), ``segment``, ``datei``, ``zeile``.
    """
    bad = codings[codings["text_check"] == "abweichung"]
    return pd.DataFrame(
        {
            "welle": bad["wave"],
            "dokument": bad["document_name"],
            "code": bad["code"],
            "anfang": bad["begin"],
            "ende": bad["end"],
            "gefunden_in": bad["found_in"],
            "segment": bad["segment"].str.slice(0, 300),
            "datei": bad["source_file"],
            "zeile": bad["source_row"],
        }
    ).reset_index(drop=True)


def overview(documents: pd.DataFrame, codings: pd.DataFrame, unknown: pd.DataFrame) -> pd.DataFrame:
    """Per wave: documents, with transcript, coded documents, segments, problems found."""
    rows = []
    for wave, docs in documents.groupby("wave", sort=True):
        cod = codings[codings["wave"] == wave]
        rows.append(
            {
                "welle": wave,
                "dokumente": len(docs),
                "mit_transkript": int(docs["has_transcript"].sum()),
                "kodierte_dokumente": int((docs["n_codings"] > 0).sum()),
                "segmente": len(cod),
                "unbekannte_codes": int((unknown["welle"] == wave).sum()),
                "segmente_unbekannter_code": int(
                    unknown.loc[unknown["welle"] == wave, "segmente"].sum()
                ),
                "abweichende_segmente": int((cod["text_check"] == "abweichung").sum()),
                "segmente_ohne_transkript": int((cod["text_check"] == "kein Transkript").sum()),
            }
        )
    return pd.DataFrame(rows)
