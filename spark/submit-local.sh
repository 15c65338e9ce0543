#!/usr/bin/env bash
# spark-submit without a Spark install: runs org.apache.spark.deploy.SparkSubmit (what bin/spark-submit runs) on
# Spark's own jars, the closure of spark-core_2.13 taken from the local Maven repository (nothing of falcon's),
# with the shaded jar as the application, as a cluster's spark-submit would.
#
#   spark/submit-local.sh [--master MASTER] FALCON-COMMAND [OPTIONS...]
#   spark/submit-local.sh eval --spark 'local[2]' --model M --tokenizer T --mcq Q --out results.json
#   spark/submit-local.sh --master 'local-cluster[2,1,2048]' eval --spark 'local-cluster[2,1,2048]' ...
#
# The master defaults to local[2]; the falcon command's own --spark names the master its scoring uses.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
master='local[2]'
if [ "${1:-}" = --master ]; then
  master="$2"
  shift 2
fi
jar="$root/spark/target/falcon-spark-0.1.0-SNAPSHOT-shaded.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/core/src/main" "$root/spark/src/main" "$root/spark/pom.xml" \
    "$root/core/pom.xml" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "submit-local: building the shaded jar (mvn package)..." >&2
  (cd "$root" && mvn -B -q -DskipTests package >&2)
fi
# Spark's jars: a pom with spark-core alone (and the log4j2 binding a Spark distribution ships), its class path
spark_version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$root/spark/pom.xml")"
cache="$root/spark/target/spark-submit"
mkdir -p "$cache"
if [ ! -s "$cache/classpath" ] || [ "$root/spark/pom.xml" -nt "$cache/classpath" ]; then
  cat > "$cache/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.falcon</groupId>
  <artifactId>spark-distribution</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.spark</groupId>
      <artifactId>spark-core_2.13</artifactId>
      <version>$spark_version</version>
    </dependency>
  </dependencies>
</project>
EOF
  # offline first: building the spark module fetched all but the log4j2 binding, which it leaves out
  resolve=(-B -q -f "$cache/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache/classpath")
  mvn -o "${resolve[@]}" >&2 || mvn "${resolve[@]}" >&2
fi
# a Spark home of those jars, from which a local-cluster master's workers launch executor JVMs (these fetch the
# shaded jar from the driver, as a cluster's executors do); the launcher takes the Scala version from the variable
export SPARK_HOME="${SPARK_HOME:-$cache/home}" SPARK_SCALA_VERSION=2.13
if [ "$SPARK_HOME" = "$cache/home" ]; then
  rm -rf "$SPARK_HOME/jars"
  mkdir -p "$SPARK_HOME/jars"
  tr ':' '\n' < "$cache/classpath" | xargs ln -s -t "$SPARK_HOME/jars"
fi
# what ./falcon sets for libtorch; in local mode the executors are this JVM, on a cluster ExecutorSettings
# puts the same into the executors' environment
export OMP_WAIT_POLICY=PASSIVE
exec java ${FALCON_JAVA_OPTS:--Xmx8g} -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 "@$root/spark/jvm.options" -cp "$(cat "$cache/classpath")" \
  org.apache.spark.deploy.SparkSubmit --master "$master" --class dev.falcon.cli.Main "$jar" "$@"
