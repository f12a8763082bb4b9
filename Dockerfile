# syntax=docker/dockerfile:1
# Multi-stage build of the gateway. The image runs against an external ClickHouse (PYPI_CLICKHOUSE_URL);
# see compose.yaml. (The embedded engine needs npm and a 566 MB library; it is for local use, not images.)

FROM eclipse-temurin:21-jdk AS build
# node and npm build the browser assets (dashboard, GraphiQL) from npm packages.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src/main/frontend/package.json src/main/frontend/package-lock.json src/main/frontend/
RUN cd src/main/frontend && npm ci --no-audit --no-fund
COPY src src
COPY graphql graphql
COPY sql sql
RUN ./mvnw -B -q -DskipTests package && cp target/pypi-analytics-gateway-*.jar /src/app.jar

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system gateway && useradd --system --gid gateway --home-dir /app --shell /usr/sbin/nologin gateway
WORKDIR /app
COPY --from=build /src/app.jar app.jar
USER gateway
EXPOSE 8080
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health | grep -q '"status":"UP"' || exit 1
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
