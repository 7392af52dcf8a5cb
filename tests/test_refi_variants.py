"""REFI-QDA projects as NVivo, ATLAS.ti and MAXQDA write them, written by hand (small XML in a
zip), and the reader's handling of broken, oversized and hostile files.

The projects mimic what each tool writes (origin string, file layout, letter case of GUIDs,
byte-order mark, line breaks, offset counting); the texts are our own.
"""

# ruff: noqa: E501  (the project XML is written as the tools write it, long lines included)

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from asaqda.cli import app
from asaqda.errors import InputError
from asaqda.io.wave import import_wave
from asaqda.refi.archive import Limits
from asaqda.refi.codes import read_code_system
from asaqda.refi.reader import read_project, wave_parts

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
NS = 'xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def write_qdpx(path: Path, members: dict[str, str | bytes]) -> Path:
    """A .qdpx archive with exactly these members (str is written as UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def import_one(tmp_path: Path, name: str, members: dict[str, str | bytes]) -> object:
    write_qdpx(tmp_path / "2024-1" / name, members)
    return import_wave(tmp_path, "2024-1")


# --- NVivo for Windows 12.6: UTF-16 offsets, BOM, CRLF, 'Sources/', .docx beside the text ---

WIN_TEXT = (
    "I: Wie läuft die Ausbildung bei Ihnen? 😀\r\nB: Der Betrieb stellt mich für die AsA flex "
    "frei.\r\n\r\nI: Und die Berufsschule?\r\nB: Die Berufsschule ist schwer 😀😀 aber es geht."
)
WIN_QDE = f"""{HEAD}<Project basePath="" creatingUserGUID="29518289-d0e3-447b-b7dd-ae1d8cd880a0"
 name="AsA Betriebe" origin="NVivo for Windows 12.6" {NS}>
<Users>
<User guid="29518289-d0e3-447b-b7dd-ae1d8cd880a0" name="Anna"/>
<User guid="eaac2cd0-f7f0-415a-abdd-ae1d8f6762de" id="MK" name="Mehmet"/></Users>
<CodeBook>
<Codes>
<Code guid="5067d381-1dc9-4816-81dd-ae1dbfea2ad7" isCodable="true" name="Freistellung">
<Description>Freistellung durch den Betrieb</Description>
<Code guid="7142c1bf-1bbe-4073-88dd-ae1dbfec9f8f" isCodable="true" name="vollständig"/>
</Code>
<Code guid="9dfe9815-44e3-4922-bedd-ae1dbfed8b5c" isCodable="true" name="Belastung"/>
<Code guid="fd96ca71-e3fe-46b2-92dd-ae1dbfed137b" isCodable="true" name="Unterstützung"/>
</Codes>
</CodeBook>
<Sources>
<TextSource creatingUser="29518289-d0e3-447b-b7dd-ae1d8cd880a0" guid="68bbdc14-c361-4432-b4dd-ae1dbfc12890"
 name="A07_2024-1" plainTextPath="internal://68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt"
 richTextPath="internal://68bbdc14-c361-4432-b4dd-ae1dbfc12890.docx">
<PlainTextSelection creatingUser="29518289-d0e3-447b-b7dd-ae1d8cd880a0"
 creationDateTime="2025-06-18T02:08:15Z" endPosition="92" guid="7154a758-6873-4134-badd-ae1dc04d3086"
 name="" startPosition="46">
<Coding creatingUser="29518289-d0e3-447b-b7dd-ae1d8cd880a0" creationDateTime="2025-06-18T02:06:50Z"
 guid="da50c6de-cd58-40da-a7e3-be4b82d7f00c">
<CodeRef targetGUID="7142c1bf-1bbe-4073-88dd-ae1dbfec9f8f"/></Coding>
</PlainTextSelection>
<PlainTextSelection creatingUser="eaac2cd0-f7f0-415a-abdd-ae1d8f6762de" endPosition="152"
 guid="8254b859-6873-4134-badd-ae1dc04d3087" name="" startPosition="125">
<Coding creatingUser="eaac2cd0-f7f0-415a-abdd-ae1d8f6762de" guid="ea50c6de-cd58-40da-a7e3-be4b82d7f00d">
<CodeRef targetGUID="9dfe9815-44e3-4922-bedd-ae1dbfed8b5c"/></Coding>
<Coding creatingUser="29518289-d0e3-447b-b7dd-ae1d8cd880a0" guid="fa50c6de-cd58-40da-a7e3-be4b82d7f00e">
<CodeRef targetGUID="fd96ca71-e3fe-46b2-92dd-ae1dbfed137b"/></Coding>
</PlainTextSelection>
<PlainTextSelection creatingUser="eaac2cd0-f7f0-415a-abdd-ae1d8f6762de" endPosition="171"
 guid="9354b859-6873-4134-badd-ae1dc04d3088" name="" startPosition="158">
<Coding creatingUser="eaac2cd0-f7f0-415a-abdd-ae1d8f6762de" guid="0a50c6de-cd58-40da-a7e3-be4b82d7f00f">
<CodeRef targetGUID="9dfe9815-44e3-4922-bedd-ae1dbfed8b5c"/></Coding>
</PlainTextSelection>
</TextSource>
<TextSource guid="ddbebe1b-306f-4271-acdd-ae1da7c06fcd" name="A08_2024-1"
 plainTextPath="internal://ddbebe1b-306f-4271-acdd-ae1da7c06fcd.txt"
 richTextPath="internal://ddbebe1b-306f-4271-acdd-ae1da7c06fcd.docx"/>
</Sources>
</Project>"""


def nvivo_windows() -> dict[str, str | bytes]:
    return {
        "Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.docx": b"PK\x03\x04 not read",
        "Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt": b"\xef\xbb\xbf"
        + WIN_TEXT.encode("utf-8"),
        "Sources/ddbebe1b-306f-4271-acdd-ae1da7c06fcd.docx": b"PK\x03\x04 not read",
        "Sources/ddbebe1b-306f-4271-acdd-ae1da7c06fcd.txt": b"\xef\xbb\xbfI: Guten Tag.\r\n",
        "project.qde": WIN_QDE,
    }


def test_refi_variants_nvivo_windows_12_6_utf16_offsets_bom_and_crlf(tmp_path: Path) -> None:
    wave = import_one(tmp_path, "betriebe.qdpx", nvivo_windows())
    codings = wave.codings.sort_values(["begin", "segment", "code"])  # type: ignore[attr-defined]
    assert len(wave.documents) == 2  # type: ignore[attr-defined]
    assert len(codings) == 4
    assert list(codings["code"]) == [
        "Freistellung > vollständig",
        "Belastung",
        "Unterstützung",
        "Belastung",
    ]
    assert list(codings["segment"]) == [
        "Der Betrieb stellt mich für die AsA flex frei.",
        "Die Berufsschule ist schwer",
        "Die Berufsschule ist schwer",
        "aber es geht.",
    ]
    assert list(codings["begin"]) == [2, 4, 4, 4]
    assert sorted(codings["coder"]) == ["Anna", "Anna", "Mehmet", "Mehmet"]
    assert (codings["text_check"] == "ok").all()
    project = read_project(tmp_path / "2024-1" / "betriebe.qdpx")
    assert {s.offsets for s in project.sources} == {"utf16"}
    assert project.sources[0].text == WIN_TEXT  # the BOM is not part of the text


# --- NVivo for Mac 12.7: code points, LF, one-line XML, cases carry the attributes ----------

MAC_TEXT = (
    "I: Erzählen Sie von Ihrem Betrieb.\nB: Wir sind ein kleiner Handwerksbetrieb 🔧 mit drei "
    "Azubis.\nI: Und die Freistellung?\nB: Freistellen können wir nur für die Wegezeit."
)
MAC_QDE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no" ?><Project basePath="" '
    'creatingUserGUID="1b0b1791-be46-4557-9957-7333544cfaf2" name="AsA Betriebe" '
    f'origin="NVivo for Mac 12.7.0" {NS}><Users><User '
    'guid="1b0b1791-be46-4557-9957-7333544cfaf2" id="CP" name="chrisp"/></Users><CodeBook>'
    '<Codes><Code guid="34653336-3766-3235-6466-363134396437" isCodable="true" '
    'name="Betrieb"><Code guid="31366536-3938-3831-6231-633830313036" isCodable="true" '
    'name="Größe"/></Code><Code guid="33323333-6536-3839-6665-643535383163" isCodable="true" '
    'name="Freistellung"><Code guid="35626564-6434-3634-6633-363637346261" isCodable="true" '
    'name="Wegezeiten"/></Code></Codes></CodeBook><Variables><Variable '
    'guid="aa000000-0000-4000-8000-000000000001" name="Rolle" typeOfVariable="Text"/>'
    '</Variables><Cases><Case guid="bb000000-0000-4000-8000-000000000001" name="U12">'
    '<VariableValue><VariableRef targetGUID="aa000000-0000-4000-8000-000000000001"/>'
    "<TextValue>Ausbildungsbetrieb</TextValue></VariableValue><SourceRef "
    'targetGUID="d097e6fd-7671-4d95-a8b6-7795fa4a72e1"/></Case></Cases><Sources><TextSource '
    'guid="d097e6fd-7671-4d95-a8b6-7795fa4a72e1" name="U12_2024-1" '
    'plainTextPath="internal://d097e6fd-7671-4d95-a8b6-7795fa4a72e1.txt" '
    'richTextPath="internal://d097e6fd-7671-4d95-a8b6-7795fa4a72e1.docx">'
    '<PlainTextSelection guid="c1000000-0000-4000-8000-000000000001" name="" '
    'startPosition="38" endPosition="75" creatingUser="1b0b1791-be46-4557-9957-7333544cfaf2">'
    '<Coding guid="c2000000-0000-4000-8000-000000000001" '
    'creatingUser="1b0b1791-be46-4557-9957-7333544cfaf2"><CodeRef '
    'targetGUID="31366536-3938-3831-6231-633830313036"/></Coding></PlainTextSelection>'
    '<PlainTextSelection guid="c1000000-0000-4000-8000-000000000002" name="" '
    'startPosition="78" endPosition="94"><Coding guid="c2000000-0000-4000-8000-000000000002" '
    'creatingUser="1b0b1791-be46-4557-9957-7333544cfaf2"><CodeRef '
    'targetGUID="31366536-3938-3831-6231-633830313036"/></Coding></PlainTextSelection>'
    '<PlainTextSelection guid="c1000000-0000-4000-8000-000000000003" name="" '
    'startPosition="123" endPosition="167"><Coding guid="c2000000-0000-4000-8000-000000000003" '
    'creatingUser="1b0b1791-be46-4557-9957-7333544cfaf2"><CodeRef '
    'targetGUID="35626564-6434-3634-6633-363637346261"/></Coding></PlainTextSelection>'
    "</TextSource></Sources></Project>"
)


def test_refi_variants_nvivo_mac_12_7_code_points_and_case_attributes(tmp_path: Path) -> None:
    wave = import_one(
        tmp_path,
        "nvivo_mac.qdpx",
        {
            "project.qde": MAC_QDE,
            "sources/.root": b"",
            "sources/d097e6fd-7671-4d95-a8b6-7795fa4a72e1.txt": MAC_TEXT,
            "sources/d097e6fd-7671-4d95-a8b6-7795fa4a72e1.docx": b"PK\x03\x04 not read",
        },
    )
    docs = wave.documents  # type: ignore[attr-defined]
    codings = wave.codings.sort_values("begin", kind="stable")  # type: ignore[attr-defined]
    assert len(docs) == 1 and docs["Rolle"].tolist() == ["Ausbildungsbetrieb"]
    assert len(codings) == 3
    assert list(codings["segment"]) == [
        "Wir sind ein kleiner Handwerksbetrieb",
        "mit drei Azubis.",
        "Freistellen können wir nur für die Wegezeit.",
    ]
    assert list(codings["code"]) == [
        "Betrieb > Größe",
        "Betrieb > Größe",
        "Freistellung > Wegezeiten",
    ]
    assert set(codings["coder"]) == {"chrisp"}
    assert (codings["text_check"] == "ok").all()


# --- ATLAS.ti 23: upper-case GUIDs, 'Project.qde', zero-length quotations ------------------

ATLAS_TEXT = (
    "I: Wie geht es Ihnen in der Ausbildung?\nB: Ehrlich gesagt bin ich oft müde.\n"
    "B: Die Begleitung hilft mir sehr."
)
ATLAS_QDE = f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project {NS} origin="ATLAS.ti 23.2.1.27283 (Windows)" name="AsA Azubis"
    creatingUserGUID="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
    <Users>
        <User guid="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B" name="ATLAS.ti"/>
        <User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Friedrich"/>
    </Users>
    <CodeBook>
        <Codes>
            <Code color="#F00082" isCodable="true" name="Belastung::Müdigkeit"
                guid="85D17F60-7BB0-481E-B742-B4861DD669DF">
                <Description>Erschöpfung im Alltag</Description>
            </Code>
            <Code color="#966450" isCodable="true" name="Unterstützung"
                guid="0F8A1907-7E42-4739-8610-A676B4D1B69F"/>
        </Codes>
    </CodeBook>
    <Sources>
        <TextSource guid="E2C5A1A4-34D7-4E2B-9A38-6A4B3C2D1E0F" name="A03_2024-1"
            plainTextPath="internal://E2C5A1A4-34D7-4E2B-9A38-6A4B3C2D1E0F.txt"
            creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
            <PlainTextSelection guid="1A000000-0000-4000-8000-000000000001" name="Q1"
                startPosition="43" endPosition="75"
                creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                <Coding guid="1B000000-0000-4000-8000-000000000001"
                    creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                    <CodeRef targetGUID="85D17F60-7BB0-481E-B742-B4861DD669DF"/>
                </Coding>
            </PlainTextSelection>
            <PlainTextSelection guid="1A000000-0000-4000-8000-000000000002" name="Q2"
                startPosition="70" endPosition="70"
                creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                <Coding guid="1B000000-0000-4000-8000-000000000002"
                    creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                    <CodeRef targetGUID="85D17F60-7BB0-481E-B742-B4861DD669DF"/>
                </Coding>
            </PlainTextSelection>
            <PlainTextSelection guid="1A000000-0000-4000-8000-000000000003" name="Q3"
                startPosition="79" endPosition="109"
                creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                <Coding guid="1B000000-0000-4000-8000-000000000003"
                    creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                    <CodeRef targetGUID="0F8A1907-7E42-4739-8610-A676B4D1B69F"/>
                </Coding>
            </PlainTextSelection>
            <PlainTextSelection guid="1A000000-0000-4000-8000-000000000004" name="Q4"
                startPosition="109" endPosition="109"
                creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                <Coding guid="1B000000-0000-4000-8000-000000000004"
                    creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
                    <CodeRef targetGUID="0F8A1907-7E42-4739-8610-A676B4D1B69F"/>
                </Coding>
            </PlainTextSelection>
        </TextSource>
    </Sources>
</Project>"""


def test_refi_variants_atlas_ti_23_zero_length_quotations_are_skipped(tmp_path: Path) -> None:
    wave = import_one(
        tmp_path,
        "atlas.qdpx",
        {
            "Project.qde": ATLAS_QDE,
            "sources/E2C5A1A4-34D7-4E2B-9A38-6A4B3C2D1E0F.txt": ATLAS_TEXT,
        },
    )
    codings = wave.codings.sort_values("begin")  # type: ignore[attr-defined]
    assert len(wave.documents) == 1  # type: ignore[attr-defined]
    assert len(codings) == 2  # 4 selections, 2 of them of no length
    assert list(codings["segment"]) == [
        "Ehrlich gesagt bin ich oft müde.",
        "Die Begleitung hilft mir sehr.",
    ]
    assert list(codings["code"]) == ["Belastung::Müdigkeit", "Unterstützung"]
    assert (codings["text_check"] == "ok").all()
    notes = " ".join(wave.notes)  # type: ignore[attr-defined]
    assert "Quelle 'A03_2024-1': 2 Auswahl(en) ohne Länge" in notes


# --- MAXQDA 24: sets as document groups, variables on the source, memos as descriptions ---

MX_TEXT = (
    "I: Wie sind Sie auf AsA flex aufmerksam geworden?\r\nB: Über die Agentur für Arbeit, die "
    "Beraterin hat es empfohlen.\r\nI: Und Ihr Betrieb?\r\nB: Der Chef kannte das Programm nicht."
)
MX_QDE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" {NS} origin="MAXQDA 24 (Release 24.2.0)" name="AsA flex 2024-1">
 <Users>
  <User guid="F3EA8DA1-BB99-411F-8ED4-011170237B6C" name="MK"/>
 </Users>
 <CodeBook>
  <Codes>
   <Code color="#ef8256" guid="C9E3D7E0-4DBF-46E2-96EF-14574ECD3B90" name="Bekanntheit" isCodable="true">
    <Description>Wie Betriebe und Auszubildende von AsA flex erfahren.</Description>
    <Code color="#ef8256" guid="C6C1BE73-B4F4-4C2D-91F1-90B73BFC5C25" name="über Agentur" isCodable="true">
     <Description>Hinweis durch die Agentur für Arbeit.</Description>
    </Code>
    <Code color="#ef8256" guid="D6C1BE73-B4F4-4C2D-91F1-90B73BFC5C26" name="unbekannt" isCodable="true"/>
   </Code>
  </Codes>
 </CodeBook>
 <Variables>
  <Variable guid="0A0B0C0D-0000-4000-8000-000000000001" name="Welle" typeOfVariable="Text"/>
 </Variables>
 <Sources>
  <TextSource guid="C5E4C960-5296-4FDE-8C63-DEABA4E17F92" name="U33_2024-1" plainTextPath="internal://C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt" creatingUser="F3EA8DA1-BB99-411F-8ED4-011170237B6C">
   <PlainTextSelection guid="E1000000-0000-4000-8000-000000000001" name="" startPosition="54" endPosition="114" creatingUser="F3EA8DA1-BB99-411F-8ED4-011170237B6C" creationDateTime="2024-05-06T07:08:32Z">
    <Coding guid="E2000000-0000-4000-8000-000000000001" creatingUser="F3EA8DA1-BB99-411F-8ED4-011170237B6C" creationDateTime="2024-05-06T07:08:32Z">
     <CodeRef targetGUID="C6C1BE73-B4F4-4C2D-91F1-90B73BFC5C25"/>
    </Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="E1000000-0000-4000-8000-000000000002" name="" startPosition="140" endPosition="175" creatingUser="F3EA8DA1-BB99-411F-8ED4-011170237B6C">
    <Description>Chef skeptisch</Description>
    <Coding guid="E2000000-0000-4000-8000-000000000002" creatingUser="F3EA8DA1-BB99-411F-8ED4-011170237B6C">
     <CodeRef targetGUID="D6C1BE73-B4F4-4C2D-91F1-90B73BFC5C26"/>
    </Coding>
   </PlainTextSelection>
   <VariableValue>
    <VariableRef targetGUID="0A0B0C0D-0000-4000-8000-000000000001"/>
    <TextValue>2024-1</TextValue>
   </VariableValue>
  </TextSource>
  <TextSource guid="7391D47A-323D-4291-8202-ED599C250828" name="U34_2024-1" plainTextPath="internal://7391D47A-323D-4291-8202-ED599C250828.txt">
   <VariableValue>
    <VariableRef targetGUID="0A0B0C0D-0000-4000-8000-000000000001"/>
    <TextValue>2024-1</TextValue>
   </VariableValue>
  </TextSource>
 </Sources>
 <Sets>
  <Set guid="5E700000-0000-4000-8000-000000000001" name="Auszubildende">
   <MemberSource targetGUID="C5E4C960-5296-4FDE-8C63-DEABA4E17F92"/>
   <MemberSource targetGUID="7391D47A-323D-4291-8202-ED599C250828"/>
  </Set>
 </Sets>
</Project>"""


def maxqda24() -> dict[str, str | bytes]:
    return {
        "sources/C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt": MX_TEXT,
        "sources/7391D47A-323D-4291-8202-ED599C250828.txt": "I: Hallo.\r\nB: Hallo.",
        "project.qde": MX_QDE,
    }


def test_refi_variants_maxqda_24_groups_variables_and_comments(tmp_path: Path) -> None:
    wave = import_one(tmp_path, "welle.qdpx", maxqda24())
    docs = wave.documents.sort_values("document_name")  # type: ignore[attr-defined]
    codings = wave.codings.sort_values("begin")  # type: ignore[attr-defined]
    assert docs["document_name"].tolist() == ["U33_2024-1", "U34_2024-1"]
    assert set(docs["document_group"]) == {"Auszubildende"}
    assert wave.paragraphs.groupby("doc_id").size().tolist() == [4, 2]  # type: ignore[attr-defined]
    assert len(codings) == 2
    assert list(codings["code"]) == ["Bekanntheit > über Agentur", "Bekanntheit > unbekannt"]
    assert list(codings["begin"]) == [2, 4] and list(codings["end"]) == [2, 4]
    assert list(codings["comment"]) == ["", "Chef skeptisch"]
    assert codings["created"].iloc[0] == pd.Timestamp("2024-05-06 07:08:32")
    assert (codings["text_check"] == "ok").all()
    codes = read_code_system(tmp_path / "2024-1" / "welle.qdpx")
    assert codes["path"].tolist() == [
        "Bekanntheit",
        "Bekanntheit > über Agentur",
        "Bekanntheit > unbekannt",
    ]
    assert codes["description"].tolist()[:2] == [
        "Wie Betriebe und Auszubildende von AsA flex erfahren.",
        "Hinweis durch die Agentur für Arbeit.",
    ]


# --- broken positions, two project files, size limits -------------------------------------


def test_refi_reader_non_integer_position_names_selection_source_and_attribute(
    tmp_path: Path,
) -> None:
    members = maxqda24()
    members["project.qde"] = MX_QDE.replace('startPosition="140"', 'startPosition="140.5"')
    members["project.qde"] = members["project.qde"].replace('endPosition="114"', 'endPosition=""')
    path = write_qdpx(tmp_path / "p.qdpx", members)
    with pytest.raises(InputError) as err:
        read_project(path, "2024-1/p.qdpx")
    assert [p.code for p in err.value.problems] == ["E011", "E011"]
    text = str(err.value)
    assert "'2024-1/p.qdpx'" in text
    assert "E1000000-0000-4000-8000-000000000001" in text and "endPosition ist ''" in text
    assert "E1000000-0000-4000-8000-000000000002" in text
    assert "startPosition ist '140.5', keine ganze Zahl" in text
    assert "Quelle 'U33_2024-1'" in text and "ganze Zahlen" in text


def test_refi_reader_two_project_files_are_an_error_naming_both(tmp_path: Path) -> None:
    members = maxqda24()
    members["Kopie.qde"] = MX_QDE
    path = write_qdpx(tmp_path / "p.qdpx", members)
    with pytest.raises(InputError) as err:
        read_project(path, "2024-1/p.qdpx")
    assert err.value.code == "E002"
    assert "2 Projektdateien ('Kopie.qde' und 'project.qde')" in str(err.value)


def test_refi_reader_reads_no_media_member(tmp_path: Path) -> None:
    """A 40 MiB video beside the project is never opened: a total budget of 1 MiB suffices."""
    members = maxqda24()
    members["sources/interview.mp4"] = b"\0" * (40 << 20)
    path = write_qdpx(tmp_path / "p.qdpx", members)
    project = read_project(path, limits=Limits(project=1 << 20, source=1 << 20, total=1 << 20))
    assert len(project.sources) == 2 and len(project.selections) == 2


@pytest.mark.parametrize(
    ("limits", "needle"),
    [
        (Limits(project=1000), "project.qde: ausgepackt 0,0 MiB groß, erlaubt sind 0,0 MiB"),
        (Limits(source=100), "sources/C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt: ausgepackt"),
        (Limits(total=len(MX_QDE.encode()) + 100), "zusammen mit den schon gelesenen Teilen"),
    ],
)
def test_refi_reader_stops_at_the_size_limits(tmp_path: Path, limits: Limits, needle: str) -> None:
    path = write_qdpx(tmp_path / "p.qdpx", maxqda24())
    with pytest.raises(InputError) as err:
        read_project(path, "2024-1/p.qdpx", limits=limits)
    assert err.value.code == "E019" and needle in str(err.value)
    assert "'2024-1/p.qdpx'" in str(err.value)


def test_refi_reader_member_that_lies_about_its_size_is_rejected(tmp_path: Path) -> None:
    """A zip bomb declares a small size in the directory and inflates to more."""
    path = write_qdpx(tmp_path / "p.qdpx", maxqda24())
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("sources/C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt")
    # the central directory entry: signature, then the uncompressed size at offset 24
    name = info.filename.encode()
    at = data.index(name, data.index(b"PK\x01\x02")) - 46
    assert data[at : at + 4] == b"PK\x01\x02"
    data[at + 24 : at + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as err:
        read_project(path, "2024-1/p.qdpx")
    assert err.value.code == "E002"
    assert "C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt lässt sich nicht aus dem Archiv lesen" in (
        str(err.value)
    )


# --- codebooks (.qdc) ---------------------------------------------------------------------

QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 24 (Release 24.2.0)">
 <Codes>
  <Code guid="C9E3D7E0-4DBF-46E2-96EF-14574ECD3B90" name="Freistellung" isCodable="false">
   <Description>Ob der Betrieb freistellt.</Description>
   <Code guid="C6C1BE73-B4F4-4C2D-91F1-90B73BFC5C25" name="keine" isCodable="true" color="#ff0000">
    <Description>Der Betrieb stellt nicht frei.</Description>
   </Code>
   <Code guid="D6C1BE73-B4F4-4C2D-91F1-90B73BFC5C26" name="Wegezeiten" isCodable="true"/>
  </Code>
  <Code guid="E6C1BE73-B4F4-4C2D-91F1-90B73BFC5C27" name="Belastung" isCodable="true"/>
 </Codes>
</CodeBook>"""


def test_refi_codes_reads_a_qdc_codebook(tmp_path: Path) -> None:
    path = tmp_path / "codes.qdc"
    path.write_text(QDC, encoding="utf-8")
    codes = read_code_system(path)
    assert codes["path"].tolist() == [
        "Freistellung",
        "Freistellung > keine",
        "Freistellung > Wegezeiten",
        "Belastung",
    ]
    assert codes["description"].tolist() == [
        "Ob der Betrieb freistellt.",
        "Der Betrieb stellt nicht frei.",
        "",
        "",
    ]
    assert codes["codable"].tolist() == [False, True, True, True]
    assert codes["color"].tolist()[1] == "#ff0000"


def test_refi_codes_memo_from_a_referenced_note(tmp_path: Path) -> None:
    qde = MX_QDE.replace(
        '<Code color="#ef8256" guid="D6C1BE73-B4F4-4C2D-91F1-90B73BFC5C26" name="unbekannt" '
        'isCodable="true"/>',
        '<Code color="#ef8256" guid="D6C1BE73-B4F4-4C2D-91F1-90B73BFC5C26" name="unbekannt" '
        'isCodable="true"><NoteRef targetGUID="ab000000-0000-4000-8000-000000000001"/></Code>',
    ).replace(
        " <Sets>",
        ' <Notes><Note guid="AB000000-0000-4000-8000-000000000001" name="Memo">'
        "<PlainTextContent>Niemand kennt AsA flex.</PlainTextContent></Note></Notes>\n <Sets>",
    )
    path = tmp_path / "p.qde"
    path.write_text(qde, encoding="utf-8")
    codes = read_code_system(path)
    assert codes["memo"].tolist() == ["", "", "Niemand kennt AsA flex."]


def test_refi_codes_rejects_a_file_that_is_no_codebook(tmp_path: Path) -> None:
    path = tmp_path / "x.qdc"
    path.write_text("<Liste><Code name='a'/></Liste>", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_code_system(path)
    assert err.value.code == "E002" and "weder ein REFI-QDA-Codebuch" in str(err.value)


def test_refi_cli_lists_the_codes_of_a_qdc(tmp_path: Path) -> None:
    path = tmp_path / "codes.qdc"
    path.write_text(QDC, encoding="utf-8")
    result = CliRunner().invoke(app, ["refi", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Freistellung > Wegezeiten" in result.output
    assert "4 Codes, davon 2 mit Beschreibung." in result.output
    assert "Dokumente" not in result.output


def test_refi_reader_project_parts_do_not_raise_on_wave_parts(tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "p.qdpx", nvivo_windows())
    segments, variables, transcripts, _ = wave_parts(read_project(path))
    assert len(segments) == 4 and sorted(transcripts) == ["A07_2024-1", "A08_2024-1"]
    assert variables.header == ["Dokumentgruppe", "Dokumentname"]


# --- codebook import ----------------------------------------------------------------------


def test_codebook_import_writes_a_valid_codebook_folder_from_a_qdc(tmp_path: Path) -> None:
    from asaqda.codebook import load_codebook
    from asaqda.codebook_import import import_codebook

    path = tmp_path / "codes.qdc"
    path.write_text(QDC, encoding="utf-8")
    written = import_codebook(read_code_system(path), "codes.qdc", tmp_path / "cb", "2026-12-01")
    assert [p.name for p in written] == ["codebook.yaml", "freistellung.yaml", "belastung.yaml"]
    cb = load_codebook(tmp_path / "cb")
    assert cb.paths == [
        "Freistellung",
        "Freistellung > keine",
        "Freistellung > Wegezeiten",
        "Belastung",
    ]
    assert cb.get("Freistellung > keine").definition == "Der Betrieb stellt nicht frei."
    assert cb.get("Freistellung > keine").farbe == "#ff0000"
    assert cb.get("Belastung").definition == (
        "Noch keine Definition (aus codes.qdc übernommen): bitte ergänzen."
    )
    assert cb.meta.reihenfolge == ["Freistellung", "Belastung"] and cb.meta.stand == "2026-12-01"


def test_codebook_import_never_overwrites_a_codebook(tmp_path: Path) -> None:
    path = tmp_path / "codes.qdc"
    path.write_text(QDC, encoding="utf-8")
    target = tmp_path / "cb"
    target.mkdir()
    (target / "codebook.yaml").write_text("titel: von Hand\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["codebook", "import", str(path), "--out", str(target)], terminal_width=200
    )
    assert result.exit_code == 1
    assert "[E101]" in result.output and "wird nicht überschrieben" in result.output
    assert (target / "codebook.yaml").read_text(encoding="utf-8") == "titel: von Hand\n"
    assert sorted(p.name for p in target.iterdir()) == ["codebook.yaml"]


def test_codebook_import_rejects_a_name_the_codebook_cannot_hold(tmp_path: Path) -> None:
    from asaqda.codebook_import import import_codebook
    from asaqda.errors import CodebookError

    path = tmp_path / "codes.qdc"
    path.write_text(QDC.replace('name="Wegezeiten"', 'name="Wege > Zeiten"'), encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        import_codebook(read_code_system(path), "codes.qdc", tmp_path / "cb", "2026-12-01")
    assert err.value.code == "E102"
    assert "der Codename 'Wege > Zeiten' (Pfad 'Freistellung > Wege > Zeiten')" in str(err.value)
    assert not (tmp_path / "cb").exists()  # nothing half-written


def test_refi_cli_lists_the_code_system_of_a_project_without_codings(tmp_path: Path) -> None:
    body = QDC.split("<Codes>")[1].split("</Codes>")[0]
    qde = f'<Project {NS} origin="MAXQDA 24"><CodeBook><Codes>{body}</Codes></CodeBook></Project>'
    path = write_qdpx(tmp_path / "nur_codes.qdpx", {"project.qde": qde})
    result = CliRunner().invoke(app, ["refi", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Das Projekt enthält keine Codierungen; sein Codesystem:" in result.output
    assert "Freistellung > keine" in result.output
    assert "4 Codes, davon 2 mit Beschreibung." in result.output
