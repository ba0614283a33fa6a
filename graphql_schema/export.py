"""Write the committed `schema.graphql` from the code, or (`--check`) fail when it has drifted."""

from __future__ import annotations

import sys
from pathlib import Path

from graphql_schema.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"


def current_sdl() -> str:
    return schema.as_str() + "\n"


def main(argv: list[str]) -> int:
    sdl = current_sdl()
    if "--check" in argv:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != sdl:
            print(
                "schema.graphql is out of date: run `./dev schema` and commit it.", file=sys.stderr
            )
            return 1
        return 0
    SCHEMA_FILE.write_text(sdl)
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
