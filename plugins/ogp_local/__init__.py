"""OGP Local Stories: case studies and monthly roundups built into a themed MkDocs site."""

__version__ = "0.1.0"
