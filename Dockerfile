# BR SCALE: one image for the API and the workers.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1
RUN pip install --no-cache-dir uv
WORKDIR /srv/brscale
COPY pyproject.toml uv.lock README.md ./
COPY app ./app
COPY graphql_schema ./graphql_schema
COPY workers ./workers
COPY integrations ./integrations
COPY migrations ./migrations
COPY frontend ./frontend
RUN uv sync --frozen --no-dev
ENV PATH="/srv/brscale/.venv/bin:$PATH"
EXPOSE 8000
CMD ["brscale", "serve", "--host", "0.0.0.0", "--port", "8000"]
