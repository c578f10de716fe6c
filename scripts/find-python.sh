#!/bin/sh
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs 3.10), or explain how to get one.
# Order: $PYTHON, python3.10 on PATH, pyenv's newest 3.10.
real_310() {  # print the interpreter's real path if it is a 3.10
    [ -n "$1" ] && "$1" -c 'import sys; assert sys.version_info[:2] == (3, 10); print(sys.executable)' 2>/dev/null
}

if [ -n "${PYTHON:-}" ]; then
    real_310 "$PYTHON" && exit 0
    echo "PYTHON=$PYTHON is not a Python 3.10 interpreter; Rasa 3.6 needs 3.10." >&2
    exit 1
fi
real_310 python3.10 && exit 0
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10; do
    real_310 "$candidate" && exit 0
done
echo "No Python 3.10 found: install one (e.g. 'pyenv install 3.10' or 'apt-get install python3.10') or set PYTHON=/path/to/python3.10." >&2
exit 1
