"""briefgen: a pile of news articles on one topic -> a cited, faithful policy briefing."""

import logging

__version__ = "0.1.0"
__all__ = ["__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
