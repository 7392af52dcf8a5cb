"""asaqda: reproducible analysis pipeline for the qualitative Begleitforschung of AsA flex."""

from asaqda.codebook import Codebook, load_codebook
from asaqda.errors import AsaqdaError, CodebookError, ConfigError, InputError
from asaqda.io import WaveImport, discover_waves, import_wave, read_wave, write_wave

__version__ = "0.1.0"
__all__ = [
    "AsaqdaError",
    "Codebook",
    "CodebookError",
    "ConfigError",
    "InputError",
    "WaveImport",
    "discover_waves",
    "import_wave",
    "load_codebook",
    "read_wave",
    "write_wave",
]
