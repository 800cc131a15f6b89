"""The one exception type that reaches the user, as `diagramcheck: error: PATH: reason`."""


class DiagramError(Exception):
    """A file could not be read or understood; the message is the plain reason."""


class LimitExceeded(DiagramError):
    """An explicit safety limit (size, element count, depth) was hit."""


class PatternError(Exception):
    """A pattern pack, lexicon or config file is invalid; the message names file and line."""
