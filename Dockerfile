# syntax=docker/dockerfile:1

# Build stage: the Maven wrapper on a full JDK; the Maven repository is a BuildKit cache,
# so a rebuild after a source change does not download the dependencies again.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package

# Run stage: only a JRE and the application jar, run by an unprivileged user.
FROM eclipse-temurin:17-jre
# curl is for the health check; installed explicitly because Temurin images for newer Java versions dropped it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 wschat \
    && useradd --system --uid 10001 --gid wschat --no-create-home --shell /usr/sbin/nologin wschat
WORKDIR /app
COPY --from=build /workspace/target/wschat.jar wschat.jar
# Without the postgres profile, history goes to a SQLite file in ./data: the unprivileged user must own it.
RUN mkdir /app/data && chown wschat:wschat /app/data
USER 10001:10001
# Management (/actuator: health, metrics, prometheus) on its own port, which a load balancer
# does not route: only the chat port 8080 is meant to be published.
ENV MANAGEMENT_SERVER_PORT=8081
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://localhost:${MANAGEMENT_SERVER_PORT}/actuator/health" || exit 1
# JVM flags (docs/CONFIGURATION.md explains each):
# - MaxRAMPercentage=75: the heap follows the container's memory limit; the WebSocket connection cap
#   (chat.limits.heap.*) is derived from that heap, and the rest is for metaspace, threads and buffers.
# - UseG1GC: chosen explicitly, because the JVM falls back to the serial collector in a container with
#   one CPU or under 1792 MB, whose full collections of a heap holding thousands of connections stop everything.
# - MaxGCPauseMillis=50: deliveries to a large room should not wait for the collector longer than that.
# - Xmn96m: a small young generation of fixed size; connections live long and their garbage dies young, and
#   a young generation G1 grows with the heap leaves every page it touched resident (docs/CONFIGURATION.md).
# - MaxDirectMemorySize=64m and jdk.nio.maxCachedBufferSize: Tomcat writes from heap buffers; the JDK copies
#   them into per-thread direct buffers and keeps them; this bounds that cache (a large history page would
#   otherwise pin a direct buffer of its size in every thread that once wrote it).
# - ExitOnOutOfMemoryError: if the heap runs out anyway, exit and be restarted instead of staying up
#   unable to accept or serve anyone.
# Exec form: java is PID 1 and gets SIGTERM itself, so server.shutdown=graceful applies.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50", "-Xmn96m", \
            "-XX:MaxDirectMemorySize=64m", "-Djdk.nio.maxCachedBufferSize=262144", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/app/wschat.jar"]
