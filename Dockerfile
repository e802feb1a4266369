# EnrichmentWorker in a container. Untested here (no Docker engine on the build machines): conventional on purpose.
#   docker build -t enrichment-worker .
#   docker compose -f deploy/docker-compose.yml up -d      (with PostgreSQL; see README "Container")
# The runtime image has no PostgreSQL binaries, so the embedded database is not available: set
# ConnectionStrings__Postgres. The Discogs token comes from DISCOGS_TOKEN.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached across source edits.
COPY Directory.Build.props .editorconfig appsettings.json ./
COPY src/EnrichmentWorker/EnrichmentWorker.csproj src/EnrichmentWorker/
RUN dotnet restore src/EnrichmentWorker/EnrichmentWorker.csproj
COPY src/EnrichmentWorker/ src/EnrichmentWorker/
# A checkout's own bin/obj (there is no .dockerignore: the top level is fixed) must not leak into the build.
RUN rm -rf src/EnrichmentWorker/bin src/EnrichmentWorker/obj \
 && dotnet publish src/EnrichmentWorker/EnrichmentWorker.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Listens on all interfaces inside the container: the dashboard then requires its authentication (see README
# "Dashboard"); publish the port on 127.0.0.1 unless that is configured.
ENV Urls=http://0.0.0.0:8080 \
    DOTNET_ENVIRONMENT=Production \
    HostOptions__ShutdownTimeout=00:01:00 \
    Storage__DataDirectory=/var/lib/enrichment-worker
# The image's unprivileged user (uid 1654), with a data folder of its own.
USER root
RUN mkdir -p /var/lib/enrichment-worker && chown app:app /var/lib/enrichment-worker
USER app
EXPOSE 8080
# `healthcheck` asks the local /health/ready over HTTP and never opens the database (the image has no curl/wget).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["dotnet", "/app/EnrichmentWorker.dll", "healthcheck"]
# docker stop sends SIGTERM: the service stops claiming, finishes or releases its jobs, flushes telemetry.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/EnrichmentWorker.dll"]
CMD ["run"]
