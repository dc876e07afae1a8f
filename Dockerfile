FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY claims ./claims
COPY worker ./worker
COPY web ./web
COPY seeds ./seeds
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/claimtrack claimtrack \
    && mkdir -p /var/lib/claimtrack && chown claimtrack /var/lib/claimtrack
USER claimtrack
ENV CLAIMTRACK_SEEDS_DIR=/app/seeds
EXPOSE 8000
CMD ["claimtrack", "serve", "--host", "0.0.0.0", "--port", "8000"]
