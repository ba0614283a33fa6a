"""Uploading a CSV to `importLeadsCsv` as a browser would: a GraphQL multipart request."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Api

IMPORT_LEADS = """
mutation($file: Upload!, $options: ImportOptionsInput) {
  importLeadsCsv(file: $file, options: $options) {
    id status totalRows imported updated duplicates failure
    errors { line column message }
    mapping { column field }
    preview { line name email phone lastContactAt locations minBudget maxBudget bedrooms
              operation language }
  }
}
"""


async def upload_csv(
    api: Api,
    content: bytes,
    options: dict[str, Any] | None = None,
    *,
    filename: str = "leads.csv",
    token: str | None = None,
) -> dict[str, Any]:
    """POST per the GraphQL multipart request spec: `operations`, `map`, then the file part."""
    operations = {"query": IMPORT_LEADS, "variables": {"file": None, "options": options}}
    bearer = token if token is not None else api.token
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, content, "text/csv")},
        headers={"Authorization": f"Bearer {bearer}"} if bearer else {},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def import_ok(api: Api, content: bytes, options: dict[str, Any] | None = None) -> Any:
    body = await upload_csv(api, content, options)
    assert not body.get("errors"), body["errors"]
    return body["data"]["importLeadsCsv"]
