"""The Rasa integration: NLU components (`nlu`), custom actions (`actions`), privacy of the
stored conversation (`privacy`) and starting the servers (`run`, `python -m navigator.bot`).

Importing this package needs no Rasa; its modules do (the `bot` extra).
"""
