"""The Rasa integration: NLU components (`navigator.bot.nlu`) and, later, custom actions.

Importing this package needs no Rasa; its modules do (the `bot` extra).
"""
