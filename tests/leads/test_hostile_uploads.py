"""Uploads past the limit are refused while they stream, before auth; hostile files are refused or
imported inert, with their lines named."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select

from app.core.runtime import Runtime, open_runtime
from app.leads.models import Lead, LeadImport
from graphql_schema.asgi import create_app
from tests.conftest import Api, make_settings
from tests.leads.test_import_dry_run import upload

LIMIT = 256 * 1024
OPERATIONS = json.dumps(
    {"query": "mutation($f: Upload!) { importLeadsCsv(file: $f) { id } }", "variables": {"f": None}}
)


@pytest_asyncio.fixture
async def small_limit(tmp_path: Path) -> AsyncIterator[tuple[Api, Runtime]]:
    settings = make_settings(tmp_path, IMPORT_MAX_BYTES=LIMIT)
    async with open_runtime(settings) as runtime:
        app = create_app(runtime=runtime)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Api(client), runtime


def multipart(size: int) -> tuple[bytes, str]:
    boundary = "brscaleboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{OPERATIONS}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
        '{"0": ["variables.f"]}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nName,Email\r\n"
    ).encode()
    rows = b"Ana,ana@example.com\r\n" * (size // 21 + 1)
    return head + rows + f"\r\n--{boundary}--\r\n".encode(), boundary


async def assert_refused_and_nothing_kept(response: httpx.Response, runtime: Runtime) -> None:
    assert response.status_code == 413
    assert response.json()["errors"] == [
        {
            "message": "The file is larger than the 0.25 MB limit; split it in parts",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]
    async with runtime.session() as session:
        assert (await session.execute(select(LeadImport))).first() is None
    imports = runtime.settings.data_dir / "imports"
    assert not imports.exists() or not list(imports.iterdir())


async def test_an_upload_declared_over_the_limit_is_refused_unread_even_anonymous(
    small_limit: tuple[Api, Runtime],
) -> None:
    api, runtime = small_limit
    body, boundary = multipart(4 * LIMIT)
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for start in range(0, len(body), 64 * 1024):
            sent += 1
            yield body[start : start + 64 * 1024]

    response = await api.client.post(
        "/graphql",
        content=chunks(),
        headers={
            "content-type": f"multipart/form-data; boundary={boundary}",
            "content-length": str(len(body)),
        },
    )
    await assert_refused_and_nothing_kept(response, runtime)


async def test_a_streamed_upload_is_cut_off_at_the_limit(
    small_limit: tuple[Api, Runtime],
) -> None:
    api, runtime = small_limit
    await api.sign_up()
    body, boundary = multipart(4 * LIMIT)
    pulled = 0

    async def chunks() -> AsyncIterator[bytes]:  # chunked: no Content-Length
        nonlocal pulled
        for start in range(0, len(body), 16 * 1024):
            pulled += 16 * 1024
            yield body[start : start + 16 * 1024]

    response = await api.client.post(
        "/graphql",
        content=chunks(),
        headers={
            "content-type": f"multipart/form-data; boundary={boundary}",
            "authorization": f"Bearer {api.token}",
        },
    )
    await assert_refused_and_nothing_kept(response, runtime)
    assert pulled < 2 * LIMIT  # the rest of the body was never read


async def test_an_upload_under_the_limit_still_imports(small_limit: tuple[Api, Runtime]) -> None:
    api, _ = small_limit
    await api.sign_up()
    result = await upload(api, b"Name,Email\nAna,ana@example.com\n")
    assert (result["status"], result["imported"]) == ("COMPLETED", 1)


async def test_a_million_columns_are_refused_with_the_line(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    header = "Email," + ",".join(f"c{n}" for n in range(1_000_000))
    body = await _post(api, f"Title\n{header}\nana@example.com\n".encode())
    assert body["errors"][0]["message"] == (
        "Line 2: the header has 1,000,001 columns; a lead table can have at most 1,000"
    )


@pytest.mark.parametrize(
    ("content", "failure"),
    [
        # One 50 MB line: the field stops the file at its line, the rows before it are in.
        (
            b"Name,Email\nAna,ana@example.com\nBob," + b"x" * (50 * 1024 * 1024 - 40) + b"\n",
            "Line 3: the file stops being a readable table here (field larger than field limit "
            '(131072)); check for a value with an unclosed quote (")',
        ),
    ],
)
async def test_a_50_mb_line_stops_the_import_at_its_line(
    api: Api, runtime: Runtime, content: bytes, failure: str
) -> None:
    await api.sign_up()
    result = await upload(api, content)
    assert (result["status"], result["imported"], result["failure"]) == ("FAILED", 1, failure)


async def test_nul_bytes_invalid_utf8_and_formulas_are_imported_inert(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    content = (
        b"Name,Email,Notes\n"
        b"Ana\x00Ruiz,ana@example.com,ok\n"
        b"Jos\xe9 \xff\xfe,jose@example.com,bad bytes\n"
        b'=HYPERLINK("http://evil.example"),evil@example.com,+cmd|/c calc\n'
        b"Nadie,\x00,\n"
    ) + b"".join(b"Lead %d,lead%d@example.com,\n" % (n, n) for n in range(200))
    result = await upload(api, content)
    assert (result["status"], result["imported"]) == ("COMPLETED", 203)
    assert [(e["line"], e["column"]) for e in result["errors"]] == [(5, None)]
    async with runtime.session() as session:
        saved = list((await session.execute(select(Lead).order_by(Lead.id))).scalars())
    # Stored as text (inert on export, see test_export); NUL removed; bytes that are not UTF-8
    # read as Excel's Windows-1252.
    assert [lead.name for lead in saved[:3]] == [
        "AnaRuiz",
        "José ÿþ",
        '=HYPERLINK("http://evil.example")',
    ]


async def _post(api: Api, content: bytes) -> dict[str, object]:
    response = await api.client.post(
        "/graphql",
        data={"operations": OPERATIONS, "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("leads.csv", content, "text/csv")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize("path", ["/graphql", "/webhooks/twilio/sms", "/zapier/hooks"])
async def test_a_huge_body_that_is_not_an_upload_is_cut_off_unread(
    tmp_path: Path, path: str
) -> None:
    """An anonymous 300 MB JSON post to /graphql was read whole (1.1 GB resident), then
    answered 200; now any non-upload body stops at BRSCALE_MAX_BODY_BYTES."""
    settings = make_settings(tmp_path, BRSCALE_MAX_BODY_BYTES=LIMIT)
    pulled = 0

    async def chunks() -> AsyncIterator[bytes]:  # chunked: no Content-Length to refuse early
        nonlocal pulled
        yield b'{"query": "{ __typename }", "variables": {"v": "'
        for _ in range(64):
            pulled += 16 * 1024
            yield b"x" * 16 * 1024
        yield b'"}}'

    async with open_runtime(settings) as runtime:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            streamed = await client.post(
                path, content=chunks(), headers={"content-type": "application/json"}
            )
            declared = await client.post(
                path,
                content=b"{" + b" " * (LIMIT + 1) + b"}",
                headers={"content-type": "application/json"},
            )
            small = await client.post("/graphql", json={"query": "{ __typename }"})
    assert declared.status_code == 413
    assert declared.json()["errors"] == [
        {
            "message": "The request body is larger than the 256 KB limit.",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]
    # Cut off at the limit (or refused by the route before it reads: unsigned, anonymous).
    assert streamed.status_code == {"/webhooks/twilio/sms": 403, "/zapier/hooks": 401}.get(
        path, 413
    )
    assert pulled < 2 * LIMIT  # the rest was never read
    assert small.json() == {"data": {"__typename": "Query"}}
