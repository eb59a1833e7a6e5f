# syntax=docker/dockerfile:1
# The backend image: the distribution (backend/server/target/messenger-server-<version>.tar.gz,
# started by its bin/messenger-server) on a Java 21 runtime. docker-compose.yml runs it as the
# migrate step and as each service; alone it is the all-in-one server:
#   docker build -t messenger-server .
#   docker run -p 8080:8080 -e DB_CONNECTION_URL=... -e KAFKA_BOOTSTRAP_SERVERS=... messenger-server

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# .dockerignore admits only what the backend build reads (POMs, sources, db/migrations, openapi.yaml,
# bin/java-home); the desktop app's POM is there only because the root POM lists the module.
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -pl backend/server -am package \
 && mkdir /dist \
 && tar -xzf backend/server/target/messenger-server-*.tar.gz -C /dist

FROM eclipse-temurin:21-jre
# curl for HEALTHCHECK (and compose's health checks): a few hundred KB, and a probe costs
# milliseconds, where a Java probe would start a second JVM (~0.5 s CPU, tens of MB) every interval.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /home/messenger --uid 10001 messenger
COPY --from=build /dist/messenger-server /opt/messenger-server
USER messenger
WORKDIR /home/messenger
# MESSENGER_JAVA: the image has a JRE, which bin/java-home (looking for a JDK) would not accept.
# Heap: 75% of the container's memory limit (the JVM reads cgroup limits; its default is 25%).
# SERVER_HOST: a container's loopback is unreachable from outside it; what is exposed is decided by
# publishing the port (without messenger.tls the server warns that it serves plaintext).
ENV MESSENGER_JAVA=/opt/java/openjdk/bin/java \
    SERVER_HOST=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    MESSENGER_HOME=/home/messenger/.messenger
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT:-8080}/observe/health" || exit 1
# exec form: the script is PID 1 and execs the JVM, so `docker stop` (SIGTERM) reaches it.
CMD ["/opt/messenger-server/bin/messenger-server"]
