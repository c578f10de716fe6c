"""Finnish, Swedish and English text: identification and normalisation to shared terms."""

from navigator.language.analysis import LANGUAGES, Analyzer, Token, analyzer, fold, words
from navigator.language.identify import LanguageIdentifier, identifier

__all__ = [
    "LANGUAGES",
    "Analyzer",
    "LanguageIdentifier",
    "Token",
    "analyzer",
    "fold",
    "identifier",
    "words",
]
