"""briefgen's exceptions: one base class, one subclass per stage.

The CLI maps every :class:`BriefgenError` to a one-line ``Error: ...`` and a non-zero exit; the
library never imports click.
"""


class BriefgenError(Exception):
    """Base class for every error briefgen reports to a user."""


class ConfigError(BriefgenError):
    """A config file or option is invalid."""


class IngestError(BriefgenError):
    """An input could not be read or holds no article."""


class SummarizeError(BriefgenError):
    """The articles do not give enough text to build a briefing."""


class RenderError(BriefgenError):
    """A template or output format could not be rendered."""


class CheckError(BriefgenError):
    """A briefing failed its own checks and was not published."""


class PublishError(BriefgenError):
    """The output folder could not be written."""


class DeliveryError(BriefgenError):
    """An edition could not be emailed or posted to a webhook (it stays published)."""


def one_line(exc: BaseException) -> str:
    """An error's message on one line (the CLI shows ``Error: <this>``); its class name if empty."""
    return " ".join(str(exc).split()) or exc.__class__.__name__
