"""`python -m navigator.bot` (`make bot`): train the assistant if needed, then run the action
server and the Rasa server (REST channel on 127.0.0.1:5005) until interrupted."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from navigator.bot.run import REPO, endpoints_for, start_action_server, start_rasa_server, train


def main(argv: list[str] | None = None) -> int:
    """Run the assistant; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m navigator.bot", description=__doc__)
    parser.add_argument("--port", type=int, default=5005, help="Rasa server port (5005)")
    parser.add_argument("--action-port", type=int, default=5055, help="action server (5055)")
    args = parser.parse_args(argv)
    print("Training the assistant if config, domain or data changed…", file=sys.stderr)
    model = train(REPO / ".rasa" / "models")
    work = Path(tempfile.mkdtemp(prefix="navigator-bot-"))
    actions = start_action_server(args.action_port, work / "actions.log")
    endpoints = endpoints_for(args.action_port, work / "endpoints.yml")
    rasa = start_rasa_server(model, args.port, work / "rasa.log", endpoints=endpoints)
    try:
        actions.wait_ready("/health")
        print("Loading the model (35-50 s)…", file=sys.stderr)
        seconds = rasa.wait_ready("/status")
        print(
            f"Ready in {seconds:.0f} s: POST {rasa.url}/webhooks/rest/webhook "
            f"(logs in {work}). Ctrl-C stops.",
            file=sys.stderr,
        )
        rasa.process.wait()
        return 1  # the Rasa server stopped by itself
    except KeyboardInterrupt:
        return 0
    finally:
        rasa.stop()
        actions.stop()


if __name__ == "__main__":
    sys.exit(main())
