"""Open a REFI-QDA file safely: find the one project XML, parse it while it streams out of the
archive, and read only the text sources the project references, each within a size limit.

A ``.qdpx`` may hold media (video, audio, PDF, the original ``.docx``) of any size beside the
project XML and the plain texts; none of it is read. Every member that is read is streamed in
chunks and stops at a limit, and its actual size is compared with the size the archive declares,
so a zip bomb (a small archive that inflates to gigabytes, or lies about its sizes) ends with a
German message instead of filling the memory. Nothing is ever extracted to disk, so member
names such as ``../../etc/passwd`` cannot write anywhere (no zip-slip).

The XML parser resolves no entities, loads no DTD and opens no network connection (no XXE, no
entity blow-up).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from lxml import etree

from asaqda.errors import InputError, Location, Problem

__all__ = ["Limits", "RefiArchive", "DEFAULT_LIMITS", "BARE_SUFFIXES", "element_text"]

#: file types that are a bare XML file, not an archive
BARE_SUFFIXES = (".qde", ".qdc")

_CHUNK = 1 << 20
_MIB = 1 << 20
_REEXPORT = "exportieren Sie das Projekt erneut aus dem QDA-Programm (REFI-QDA-Projekt, .qdpx)"


@dataclass(frozen=True)
class Limits:
    """Upper bounds, in bytes (uncompressed), for what is read from one REFI-QDA file.

    Attributes
    ----------
    project
        the project XML (``*.qde``)
    source
        one plain-text source or note
    total
        everything read from the file together
    """

    project: int = 512 * _MIB
    source: int = 128 * _MIB
    total: int = 1024 * _MIB


DEFAULT_LIMITS = Limits()


def _mib(n: int) -> str:
    return f"{n / _MIB:.1f} MiB".replace(".", ",")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
    )


def element_text(el: etree._Element | None) -> str:
    """All text inside an element; an entity reference the parser left unresolved stays as
    written (``&name;``) instead of being expanded or dropped."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Entity):
            parts.append(child.text or "")
        elif isinstance(child.tag, str):
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _broken(display: str, what: str) -> InputError:
    return InputError(Problem("E002", what, Location(display), _REEXPORT))


class RefiArchive:
    """A REFI-QDA project file opened for reading (a ``.qdpx`` archive or a bare ``.qde``).

    Use as a context manager::

        with RefiArchive(path, "2023-1/projekt.qdpx") as archive:
            root = archive.project_root()
            data = archive.member("internal://abc.txt")

    Parameters
    ----------
    path
        the file
    display
        how messages name the file (e.g. relative to the input folder)
    limits
        size limits (uncompressed bytes)

    Raises
    ------
    InputError
        E002 when the file is no readable archive, holds no project file or two of them;
        E019 when a member is larger than its limit or than the archive declares.
    """

    def __init__(self, path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.display = display
        self.limits = limits
        self._read_total = 0
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._project: zipfile.ZipInfo | None = None

    def __enter__(self) -> RefiArchive:
        if self.path.suffix.lower() in BARE_SUFFIXES:
            return self
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            self.close()
            raise _broken(
                self.display, f"die Datei ist kein lesbares .qdpx-Archiv (ZIP): {exc}"
            ) from exc
        files = [i for i in infos if not i.is_dir()]
        qde = sorted(
            (i for i in files if i.filename.lower().endswith(".qde") and "/" not in i.filename),
            key=lambda i: i.filename,
        )
        if not qde:
            self.close()
            raise _broken(
                self.display,
                "das .qdpx-Archiv enthält auf oberster Ebene keine Projektdatei (*.qde)",
            )
        if len(qde) > 1:
            names = " und ".join(f"'{i.filename}'" for i in qde)
            self.close()
            raise InputError(
                Problem(
                    "E002",
                    f"das .qdpx-Archiv enthält {len(qde)} Projektdateien ({names}); es ist nicht "
                    "zu erkennen, welche gilt",
                    Location(self.display),
                    "exportieren Sie das Projekt erneut aus dem QDA-Programm, oder entfernen Sie "
                    "die überzählige .qde-Datei aus dem Archiv",
                )
            )
        self._project = qde[0]
        # lower-case name -> member: tools differ in 'sources/' vs 'Sources/'
        for info in files:
            self._members.setdefault(info.filename.lower(), info)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the archive (idempotent)."""
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    # -- reading -------------------------------------------------------------------------

    def _too_big(self, member: str, what: str, fix: str) -> InputError:
        return InputError(Problem("E019", f"{member}: {what}", Location(self.display), fix))

    def _chunks(self, info: zipfile.ZipInfo | None, limit: int, label: str) -> Iterator[bytes]:
        """Stream one member (or the bare .qde) in chunks, stopping at ``limit`` bytes, at the
        declared size and at the total budget."""
        fix = (
            "prüfen Sie, ob die Datei wirklich ein REFI-QDA-Projekt ist (ein manipuliertes oder "
            "beschädigtes Archiv wird nicht entpackt); ist sie echt, exportieren Sie das Projekt "
            "ohne Mediendateien oder teilen Sie es in kleinere Projekte"
        )
        try:
            declared = self.path.stat().st_size if info is None else info.file_size
        except OSError as exc:
            raise _broken(self.display, f"die Datei lässt sich nicht lesen ({exc})") from exc
        if declared > limit:
            raise self._too_big(
                label,
                f"ausgepackt {_mib(declared)} groß, erlaubt sind {_mib(limit)}",
                fix,
            )
        if self._read_total + declared > self.limits.total:
            raise self._too_big(
                label,
                f"zusammen mit den schon gelesenen Teilen mehr als {_mib(self.limits.total)}",
                fix,
            )
        n = 0
        try:
            handle: IO[bytes]
            if info is None:
                handle = self.path.open("rb")
            else:
                assert self._zip is not None
                handle = self._zip.open(info)
            with handle:
                while chunk := handle.read(_CHUNK):
                    n += len(chunk)
                    if n > declared:
                        raise self._too_big(
                            label,
                            f"ausgepackt größer als im Archiv angegeben ({_mib(declared)}): das "
                            "Archiv ist beschädigt oder manipuliert (ZIP-Bombe)",
                            fix,
                        )
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
            raise _broken(
                self.display, f"{label} lässt sich nicht aus dem Archiv lesen ({exc})"
            ) from exc
        except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted
            raise _broken(
                self.display,
                f"{label} ist verschlüsselt oder mit einem unbekannten Verfahren gepackt ({exc})",
            ) from exc
        finally:
            self._read_total += n
        if n != declared and info is not None:
            raise self._too_big(
                label,
                f"ausgepackt {n} Bytes statt der im Archiv angegebenen {declared}",
                fix,
            )

    def project_root(self) -> etree._Element:
        """Parse the project XML while it streams from the file.

        Returns
        -------
        lxml.etree._Element
            the root element (not checked for its name)

        Raises
        ------
        InputError
            E002 when the XML is broken, E019 when it exceeds the limit.
        """
        label = self._project.filename if self._project is not None else self.path.name
        parser = _parser()
        try:
            for chunk in self._chunks(self._project, self.limits.project, label):
                parser.feed(chunk)
            root = parser.close()
        except etree.XMLSyntaxError as exc:
            raise InputError(
                Problem(
                    "E002",
                    f"das Projekt-XML ({label}) ist fehlerhaft, Zeile {exc.lineno}: {exc.msg}",
                    Location(self.display, None, exc.lineno),
                    _REEXPORT,
                )
            ) from exc
        if root is None:  # pragma: no cover - lxml raises for empty documents
            raise _broken(self.display, f"das Projekt-XML ({label}) ist leer")
        return root

    def find(self, plain_path: str) -> zipfile.ZipInfo | None:
        """The archive member a ``plainTextPath`` (``internal://x.txt``, ``x.txt``,
        ``sources/x.txt``) names, matched case-insensitively; ``None`` if absent."""
        name = plain_path.removeprefix("internal://").lstrip("/")
        for candidate in (f"sources/{name}", name, f"sources/{PurePosixPath(name).name}"):
            info = self._members.get(candidate.lower())
            if info is not None and info is not self._project:
                return info
        return None

    def member(self, plain_path: str) -> bytes | None:
        """The bytes of the text a ``plainTextPath`` names, or ``None`` when the archive (or a
        bare ``.qde``) does not hold it.

        Raises
        ------
        InputError
            E019 when the member exceeds the source limit or its declared size.
        """
        info = self.find(plain_path) if plain_path else None
        if info is None:
            return None
        return b"".join(self._chunks(info, self.limits.source, info.filename))
