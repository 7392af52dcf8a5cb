"""Readers and writers of the formats the pipeline exchanges with MAXQDA, Excel and Word."""

from asaqda.io.wave import WaveImport, discover_waves, import_wave, read_wave, write_wave

__all__ = ["WaveImport", "discover_waves", "import_wave", "read_wave", "write_wave"]
