"""Rebuild ``vornamen.txt`` from the first-name lists of Faker and Mimesis (both MIT).

Not used at run time: the leak check reads the finished list. Run it in an environment where
both packages are importable (e.g. ``pip install --target /tmp/names faker mimesis`` and
``PYTHONPATH=/tmp/names``), then commit the list and state the versions in ``LICENSES.txt``::

    python src/asaqda/privacy/data/build_first_names.py src/asaqda/privacy/data/vornamen.txt

Every first name of every locale in Latin script is kept (names of several words are split),
one name per line, sorted, without duplicates.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import sys
from pathlib import Path

LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏ'’-]+$")
ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def _words(value: object) -> list[str]:
    return [w for w in re.split(r"\s+", str(value).strip()) if len(w) >= 2 and LATIN.match(w)]


def faker_names() -> set[str]:
    """First names of all Faker person providers."""
    import faker.providers.person as person

    out: set[str] = set()
    for module in sorted(pkgutil.iter_modules(person.__path__), key=lambda m: m.name):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attr in ATTRS:
            value = next((b.__dict__[attr] for b in provider.__mro__ if attr in b.__dict__), None)
            if not value or isinstance(value, property):
                continue
            for name in value:
                out.update(_words(name))
    return out


def mimesis_names() -> set[str]:
    """First names of all Mimesis locales (``datasets/<locale>/person.json``, key ``names``)."""
    import mimesis

    out: set[str] = set()
    for path in sorted((Path(mimesis.__file__).parent / "datasets").glob("*/person.json")):
        names = json.loads(path.read_text(encoding="utf-8")).get("names", {})
        for values in names.values() if isinstance(names, dict) else [names]:
            for name in values:
                out.update(_words(name))
    return out


def main(target: str) -> None:
    names = faker_names() | mimesis_names()
    by_key: dict[str, str] = {}
    for name in sorted(names):
        by_key.setdefault(name.lower(), name)
    lines = [by_key[k] for k in sorted(by_key)]
    Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} first names -> {target}")


if __name__ == "__main__":
    main(sys.argv[1])
