"""Who runs a management command, for the record an import or a revert leaves."""

import getpass
import os


def operator_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry, as in some containers
        return f"uid {os.getuid()}"
