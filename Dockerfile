# Scaler's image, built from source: `docker build -t scaler .` needs no Maven or JDK on the host.
# Every stage starts FROM debian:bookworm-slim, the one base image the whole stack needs
# (scripts/base-image.sh makes it on a host that cannot pull).
#
# Build arguments:
#   SCALER_JAR  path of an already built jar in the context (e.g. target/scaler-0.1.0-SNAPSHOT.jar):
#               skips the Maven build; the test suite uses it because the jar was just built.
#   SCALER_UID  uid of the user `scaler` (default 10001)
#   DOCKER_GID  gid given to the group `docker` in the image (default 999); at run time compose adds
#               the gid of the host's docker socket with group_add, so this only matters for `docker run`.

# A small Java runtime made with jlink: about a third of Debian's full JRE. The stage depends on
# nothing in the repository, so it is built once per machine and then cached. The modules are what
# `jdeps --print-module-deps --ignore-missing-deps --multi-release 17` finds in the jar, plus what is
# loaded by name at run time (TLS ciphers, DNS, JDBC transactions, zip file systems, charsets).
FROM debian:bookworm-slim AS jdk
# openjdk's post-install links its man pages; slim images have no man1 directory.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
RUN jlink --output /opt/jre --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 \
      --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.charsets,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

# On the vfs storage driver every build step copies the whole image, so steps are few and the ones
# that change with the code come last.
FROM jdk AS build
ARG SCALER_JAR=
# The globs keep this COPY valid when target/ or build-cache/ do not exist; .dockerignore lets only
# the jar and build-cache/m2 through. build-cache/m2, when present, is a Maven repository to build
# from offline, for hosts whose containers cannot use Maven Central (README, "Images").
COPY pom.xml target/*.jar build-cach[e] /src/
COPY src /src/src
RUN set -e; cd /src; \
    if [ -n "$SCALER_JAR" ]; then \
      cp "/src/$(basename "$SCALER_JAR")" /scaler.jar; \
    else \
      apt-get update -q; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends maven; \
      offline=""; [ ! -d /src/m2 ] || offline="--offline -Dmaven.repo.local=/src/m2"; \
      mvn -B -ntp $offline package -Dmaven.test.skip=true; \
      cp target/scaler-*.jar /scaler.jar; \
    fi

FROM debian:bookworm-slim
ARG SCALER_UID=10001
ARG DOCKER_GID=999
# Python, ansible-core and docker-compose (v1) from Debian; of the docker.io package only the CLI
# binary is kept, because its engine, containerd and runc would double the image for nothing.
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      ansible-core docker-compose ca-certificates \
 && cd /tmp && apt-get download docker.io \
 && dpkg-deb --fsys-tarfile docker.io_*.deb | tar -x -C / ./usr/bin/docker \
 && rm -f /tmp/*.deb \
 && rm -rf /var/lib/apt/lists/* /root/.cache \
 && find /usr/lib/python3 -name __pycache__ -prune -exec rm -rf {} + \
 && groupadd -g "$DOCKER_GID" docker \
 && useradd -u "$SCALER_UID" -G docker -m -d /home/scaler -s /usr/sbin/nologin scaler \
 && mkdir -p /var/lib/scaler && chown scaler: /var/lib/scaler
# The JVM sized for a sidecar (README, "Memory and start-up"), the same flags as scripts/run.sh but the
# bound: the heap may take 60 % of the container's memory limit (the rest is for ansible-playbook, which
# runs beside the JVM) but starts at 22 MB, its young generation a twelfth of the old one (2 to 32 MB), and
# gives memory back after a collection; the serial collector for a small heap and a mostly idle process;
# C1 only (the service waits on I/O, and C2's compilations cost more CPU and code cache than they save);
# bounded metaspace, code cache, direct memory and thread stacks; glibc's free memory handed back every 5 s,
# freed class metadata at once; Netty's JFR events off; the class-data sharing archive made below.
# MALLOC_ARENA_MAX: glibc's per-thread malloc arenas would hold tens of MB that the JVM barely uses.
# SCALER_SERVICE_JAVA_OPTS: added for the service, not for the backtest and validate subcommands: C1 compiles a
# method only after eight times the default number of calls (start-up's code mostly runs a few hundred times,
# then never again), which a backtest's replay pays for.
ENV PATH=/opt/jre/bin:$PATH \
    SCALER_SERVICE_JAVA_OPTS="-XX:CompileThresholdScaling=8" \
    JAVA_OPTS="-XX:MaxRAMPercentage=60 -Xms22m -XX:NewSize=2m -XX:MaxNewSize=32m -XX:NewRatio=12 -XX:MinHeapFreeRatio=30 -XX:MaxHeapFreeRatio=60 -XX:+UseSerialGC -Xss512k -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -XX:TrimNativeHeapInterval=5000 -XX:MetaspaceReclaimPolicy=aggressive -XX:MaxDirectMemorySize=64m -Dio.netty.jfr.enabled=false -XX:SharedArchiveFile=/opt/scaler/scaler.jsa" \
    MALLOC_ARENA_MAX=2 \
    SCALER_EXECUTION_PLAYBOOK=/opt/scaler/ansible/scale.yml \
    SCALER_EXECUTION_INVENTORY=/opt/scaler/inventories/local/hosts.yml \
    SCALER_EXECUTION_ANSIBLE_CONFIG=/opt/scaler/ansible/ansible.cfg \
    ANSIBLE_CONFIG=/opt/scaler/ansible/ansible.cfg \
    SCALER_DB_URL="jdbc:h2:file:/var/lib/scaler/scaler-history;AUTO_SERVER=FALSE" \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /var/lib/scaler
VOLUME /var/lib/scaler
EXPOSE 8080
# Python is already here for Ansible, so the check needs no curl; urlopen raises on 503 (DOWN).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4)"]
ENTRYPOINT ["sh", "-c", "case \"${1:-}\" in backtest|validate) opts=$JAVA_OPTS ;; *) opts=\"$JAVA_OPTS $SCALER_SERVICE_JAVA_OPTS\" ;; esac; exec java $opts -jar /opt/scaler/scaler.jar \"$@\"", "scaler"]
COPY --from=jdk /opt/jre /opt/jre
COPY ansible /opt/scaler/ansible
COPY inventories /opt/scaler/inventories
COPY --from=build /scaler.jar /opt/scaler/scaler.jar
# Class-data sharing (AppCDS): a training run at build time starts the service and records the classes
# it loads; -Xshare:dump writes them into /opt/scaler/scaler.jsa, which every start maps (JAVA_OPTS).
# No network, Prometheus or Docker needed (scripts/cds-training.sh).
COPY scripts/cds-training.sh /opt/scaler/cds-training.sh
RUN /opt/scaler/cds-training.sh /opt/scaler/scaler.jar /opt/scaler/scaler.jsa
USER scaler
