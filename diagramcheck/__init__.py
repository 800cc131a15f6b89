"""diagramcheck: critique ML system design sketches like a senior interviewer."""

__version__ = "0.2.0"
