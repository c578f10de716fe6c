"""Navigator: guides residents of Pohjois-Pohjanmaa to the right social and health help."""

__version__ = "0.1.0"
