"""The committed schema.graphql is what frontends generate types from: it must match the code."""

from graphql_schema.export import SCHEMA_FILE, current_sdl


def test_committed_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == current_sdl(), "run `./dev schema` and commit schema.graphql"
