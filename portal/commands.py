"""What the site's management commands share."""


def add_switch(parser, name: str, help: str) -> None:
    """An option that is off unless given (`--dry-run`, `--force`): the commands'
    one kind of on/off choice, so every one of them reads the same in `--help`."""
    parser.add_argument(name, action="store_true", help=help)
