#!/bin/sh
# Assembles the sample $JETTY_BASE (the upstream-guard module from jetty-module, this sample's start.d) and
# the jetty-home it runs on, then starts Jetty in the base on 127.0.0.1:8080. Arguments go to start.jar,
# e.g.  samples/jetty-base/run.sh 'upstream-guard.routes=api=/api->http://127.0.0.1:9000'
set -eu
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl samples/jetty-base -am -DskipTests verify
cd samples/jetty-base/target/jetty-base
exec java -jar ../jetty-home/jetty-home-12.1.12/start.jar "$@"
