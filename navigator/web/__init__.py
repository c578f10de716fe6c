"""The web app: the resident chat page, the counsellor workspace and the JSON API."""
