"""diagramcheck: critique ML system design sketches like a senior interviewer."""

__version__ = "0.1.0"
