"""Seen: a multi-agency information-sharing hub for children's safeguarding partnerships.

The public surface is deliberately small; everything else lives in modules a user need not
import.
"""

from seen.errors import InvalidInput, NotFound, SeenError
from seen.settings import Settings, load_settings

__all__ = ["InvalidInput", "NotFound", "SeenError", "Settings", "load_settings"]
__version__ = "0.1.0"
