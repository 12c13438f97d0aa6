"""Run by the Ralph virtualenv's Python (.venv-ralph), never imported by the suite.

`serve <fd>`: Ralph's LRS (its FastAPI app under uvicorn) on the listening socket inherited
as file descriptor <fd>, so the suite chooses a free loopback port without a race.
`validate`: check each statement read from standard input (one JSON object a line) against
Ralph's strict xAPI 1.0.3 models; print the errors, exit 1 when there is one.

Ralph 5.1.0's file-system backend writes statements with its default operation, "create",
which refuses to write to the statements file once it exists (so only the first POST of a
run is stored); the LRS is meant to append, so "append" is set here before the app loads.
"""

import json
import sys


def serve(fd):
    import uvicorn
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    uvicorn.run("ralph.api:app", fd=fd, log_level="warning")


def validate(lines):
    from pydantic import ValidationError
    from ralph.models.xapi.base.statements import BaseXapiStatement

    errors = 0
    for line in lines:
        if not line.strip():
            continue
        statement = json.loads(line)
        try:
            BaseXapiStatement.model_validate(statement)
        except ValidationError as error:
            errors += 1
            print(f"{statement.get('id')}: {error}")  # noqa: T201
    return errors


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        sys.exit(1 if validate(sys.stdin) else 0)
