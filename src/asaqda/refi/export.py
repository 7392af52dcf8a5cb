"""Write REFI-QDA files: a wave as a project (``.qdpx``) and the codebook alone (``.qdc``).

The project holds the transcripts as text sources (UTF-8, LF, one line per MAXQDA paragraph,
so MAXQDA numbers the paragraphs as the pipeline does), the codebook as the code system with
the Kodierleitfaden text as code descriptions, the human codings, the document variables, the
document groups as sets, and the open suggestions as codings under the branch
``Vorschläge > <code>`` by the user ``Vorcodierung (asaqda)``: coders validate a suggestion
in MAXQDA by moving the segment to the real code or deleting it.

Offsets are Unicode code points from 0, end exclusive, as the standard defines them. Every
GUID is derived from content (UUID 5), so the same wave gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from lxml import etree

from asaqda.codebook import Codebook
from asaqda.codebook_render import maxqda_code_list
from asaqda.io.officefiles import FIXED_DATE, clean_text
from asaqda.io.schema import DOCUMENT_COLUMNS
from asaqda.refi.names import CODEBOOK_NS, MACHINE_USER, PROJECT_NS, SUGGESTION_BRANCH

__all__ = [
    "PROJECT_NS",
    "CODEBOOK_NS",
    "SUGGESTION_BRANCH",
    "MACHINE_USER",
    "guid",
    "source_text",
    "write_codebook_qdc",
    "write_project",
]

_NAMESPACE = uuid.UUID("6f1f8a8e-4d0b-5b8e-9a43-0a5a5a0f1c21")
_SUGGESTION_COLOR = "#A6A6A6"
__version__ = importlib.metadata.version("asaqda")


def guid(*parts: object) -> str:
    """A stable GUID for the given parts (upper-case, as MAXQDA writes them)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(p) for p in parts))).upper()


def source_text(paragraphs: pd.DataFrame) -> tuple[str, dict[int, tuple[int, int]]]:
    """The plain text of one document and paragraph -> (start, end) code-point offsets."""
    pos, spans, lines = 0, {}, []
    for number, text in zip(paragraphs["paragraph"], paragraphs["text"], strict=True):
        line = clean_text(str(text)).replace("\n", " ")
        spans[int(number)] = (pos, pos + len(line))
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines) + "\n", spans


def _stamp(value: object) -> str | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _code_tree(
    parent: etree._Element,
    ns: str,
    paths: Iterable[str],
    describe: dict[str, str],
    colors: dict[str, str],
    prefix: str = "",
) -> dict[str, str]:
    """Nest code elements for ``paths`` (parents created as needed); path -> GUID."""
    nodes: dict[str, etree._Element] = {}
    guids: dict[str, str] = {}
    for path in paths:
        levels = path.split(" > ")
        for depth in range(1, len(levels) + 1):
            sub = " > ".join(levels[:depth])
            if sub in nodes:
                continue
            full = f"{prefix}{sub}"
            host = nodes[" > ".join(levels[: depth - 1])] if depth > 1 else parent
            attrs = {"guid": guid("code", full), "name": levels[depth - 1], "isCodable": "true"}
            if colors.get(sub):
                attrs["color"] = colors[sub]
            node = etree.SubElement(host, f"{{{ns}}}Code", attrs)
            if describe.get(sub):
                etree.SubElement(node, f"{{{ns}}}Description").text = describe[sub]
            nodes[sub] = node
            guids[full] = attrs["guid"]
    return guids


def _descriptions(codebook: Codebook) -> dict[str, str]:
    memo = maxqda_code_list(codebook)
    return dict(zip(memo["Code"], memo["Memo"], strict=True))


def _colors(codebook: Codebook) -> dict[str, str]:
    return {c.code: c.farbe for c in codebook.codes if c.farbe}


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, entries[name])
    tmp.replace(path)
    return path


def write_codebook_qdc(codebook: Codebook, path: Path) -> Path:
    """The codebook alone as REFI-QDA ``.qdc`` (schema Codebook.xsd)."""
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook",
        {"origin": f"asaqda {__version__}, Codebuch {codebook.meta.version}"},
        nsmap={None: CODEBOOK_NS},
    )
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    _code_tree(codes, CODEBOOK_NS, codebook.paths, _descriptions(codebook), _colors(codebook))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_serialise(root))
    return path


def write_project(
    path: Path,
    wave: str,
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    codings: pd.DataFrame,
    suggestions: pd.DataFrame,
    codebook: Codebook,
) -> dict[str, int]:
    """Write one wave as a REFI-QDA project.

    Codings of documents without a transcript, and PDF positions, cannot be placed in a text
    source: they are counted in the returned summary (``ohne_text``), not written.

    Returns
    -------
    dict
        Counts: ``quellen``, ``codierungen``, ``vorschlaege``, ``ohne_text``.
    """
    P = f"{{{PROJECT_NS}}}"
    root = etree.Element(
        f"{P}Project",
        {
            "name": f"AsA flex {wave}",
            "origin": f"asaqda {__version__}",
            "creationDateTime": _stamp(FIXED_DATE) or "",
        },
        nsmap={None: PROJECT_NS},
    )
    coders = sorted({str(c) for c in codings["coder"].dropna() if str(c)})
    users = [*coders, MACHINE_USER] if len(suggestions) else coders
    if users:
        users_el = etree.SubElement(root, f"{P}Users")
        for name in users:
            etree.SubElement(users_el, f"{P}User", {"guid": guid("user", name), "name": name})
    user_guid = {name: guid("user", name) for name in users}

    # code system: the codebook, codes found in the codings but not in the codebook, and the
    # suggestion branch mirroring the suggested codes
    codebook_el = etree.SubElement(root, f"{P}CodeBook")
    codes_el = etree.SubElement(codebook_el, f"{P}Codes")
    extra_codes = sorted(set(codings["code"].dropna()) - set(codebook.paths))
    code_guid = _code_tree(
        codes_el,
        PROJECT_NS,
        [*codebook.paths, *extra_codes],
        _descriptions(codebook),
        _colors(codebook),
    )
    if len(suggestions):
        branch = sorted(set(suggestions["code"]))
        describe = {
            SUGGESTION_BRANCH: "Vorschläge der Vorcodierung: zum Übernehmen das Segment in den "
            "eigentlichen Code verschieben, zum Ablehnen löschen."
        }
        describe |= {f"{SUGGESTION_BRANCH} > {c}": "Vorschlag für: " + c for c in branch}
        code_guid |= _code_tree(
            codes_el,
            PROJECT_NS,
            [f"{SUGGESTION_BRANCH} > {c}" for c in branch],
            describe,
            dict.fromkeys(
                [SUGGESTION_BRANCH, *(f"{SUGGESTION_BRANCH} > {c}" for c in branch)],
                _SUGGESTION_COLOR,
            ),
        )

    fixed = set(DOCUMENT_COLUMNS) | {"intercoder_copy"}
    variables = [c for c in documents.columns if c not in fixed]
    if variables:
        vars_el = etree.SubElement(root, f"{P}Variables")
        for name in variables:
            etree.SubElement(
                vars_el,
                f"{P}Variable",
                {"guid": guid("variable", name), "name": name, "typeOfVariable": "Text"},
            )

    entries: dict[str, bytes] = {}
    counts = {"quellen": 0, "codierungen": 0, "vorschlaege": 0, "ohne_text": 0}
    sources_el = etree.SubElement(root, f"{P}Sources")
    paras_by_doc = dict(tuple(paragraphs.groupby("doc_id", sort=False)))
    cods_by_doc = dict(tuple(codings.groupby("doc_id", sort=False)))
    sugg_by_doc = dict(tuple(suggestions.groupby("doc_id", sort=False))) if len(suggestions) else {}
    groups: dict[str, list[str]] = {}
    docs = documents.sort_values(["document_group", "document_name"], kind="mergesort")
    for doc in docs.to_dict("records"):
        doc_id = doc["doc_id"]
        own = cods_by_doc.get(doc_id, codings.iloc[:0])
        paras = paras_by_doc.get(doc_id)
        if paras is None or paras.empty:
            counts["ohne_text"] += len(own)
            continue
        text, spans = source_text(paras.sort_values("paragraph"))
        src_guid = guid("source", doc["document_group"], doc["document_name"])
        entries[f"sources/{src_guid}.txt"] = text.encode("utf-8")
        src = etree.SubElement(
            sources_el,
            f"{P}TextSource",
            {
                "guid": src_guid,
                "name": doc["document_name"],
                "plainTextPath": f"internal://{src_guid}.txt",
            },
        )
        groups.setdefault(doc["document_group"], []).append(src_guid)
        counts["quellen"] += 1
        for cod in own.sort_values(["begin", "end", "code", "coding_id"]).to_dict("records"):
            if pd.isna(cod["begin"]) or int(cod["begin"]) not in spans:
                counts["ohne_text"] += 1
                continue
            end_p = int(cod["end"]) if int(cod["end"]) in spans else int(cod["begin"])
            start, end = spans[int(cod["begin"])][0], spans[end_p][1]
            user = user_guid.get(str(cod["coder"]))
            sel = etree.SubElement(
                src,
                f"{P}PlainTextSelection",
                _attrs(
                    guid=guid("selection", cod["coding_id"]),
                    name=cod["code"].split(" > ")[-1],
                    startPosition=str(start),
                    endPosition=str(end),
                    creatingUser=user,
                    creationDateTime=_stamp(cod["created"]),
                ),
            )
            if isinstance(cod.get("comment"), str) and cod["comment"]:
                etree.SubElement(sel, f"{P}Description").text = clean_text(cod["comment"])
            coding = etree.SubElement(
                sel,
                f"{P}Coding",
                _attrs(
                    guid=guid("coding", cod["coding_id"]),
                    creatingUser=user,
                    creationDateTime=_stamp(cod["created"]),
                ),
            )
            etree.SubElement(coding, f"{P}CodeRef", {"targetGUID": code_guid[cod["code"]]})
            counts["codierungen"] += 1
        mine = sugg_by_doc.get(doc_id)
        for sug in (
            [] if mine is None else mine.sort_values(["paragraph", "code"]).to_dict("records")
        ):
            if int(sug["paragraph"]) not in spans:
                continue
            start, end = spans[int(sug["paragraph"])]
            sel = etree.SubElement(
                src,
                f"{P}PlainTextSelection",
                {
                    "guid": guid("suggestion", sug["suggestion_id"]),
                    "name": f"Vorschlag {sug['score']:.2f}",
                    "startPosition": str(start),
                    "endPosition": str(end),
                    "creatingUser": user_guid[MACHINE_USER],
                },
            )
            etree.SubElement(sel, f"{P}Description").text = clean_text(
                f"Vorschlag {sug['suggestion_id']}: {sug['code']} (Score {sug['score']:.3f}, "
                f"{sug['method']}, Modell {sug['model_version']}). {sug['evidence']}"
            )
            coding = etree.SubElement(
                sel,
                f"{P}Coding",
                {
                    "guid": guid("suggestion-coding", sug["suggestion_id"]),
                    "creatingUser": user_guid[MACHINE_USER],
                },
            )
            etree.SubElement(
                coding,
                f"{P}CodeRef",
                {"targetGUID": code_guid[f"{SUGGESTION_BRANCH} > {sug['code']}"]},
            )
            counts["vorschlaege"] += 1
        for name in variables:
            value = doc.get(name)
            if value is None or pd.isna(value) or str(value) == "":
                continue
            vv = etree.SubElement(src, f"{P}VariableValue")
            etree.SubElement(vv, f"{P}VariableRef", {"targetGUID": guid("variable", name)})
            etree.SubElement(vv, f"{P}TextValue").text = _value_text(value)
    if not len(sources_el):
        root.remove(sources_el)
    named = {g: m for g, m in groups.items() if g}  # documents without a group: in no set
    if named:
        sets_el = etree.SubElement(root, f"{P}Sets")
        for group, members in sorted(named.items()):
            s = etree.SubElement(sets_el, f"{P}Set", {"guid": guid("set", group), "name": group})
            for member in members:
                etree.SubElement(s, f"{P}MemberSource", {"targetGUID": member})
    entries["project.qde"] = _serialise(root)
    _write_zip(path, entries)
    return counts


def _attrs(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None}


def _value_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return clean_text(str(value))
