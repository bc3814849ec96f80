#!/usr/bin/env bash
# models/fuzz.sh: the long fuzz run of the file readers (issue 13): checkpoints (raw pickles,
# pickles inside zips, zip and legacy torch.save, safetensors), CIFAR-10 batches and archives
# (plain and gzipped) and Tiny-ImageNet images, mutated from seeds built at start-up, each case
# read in one JVM of -Xmx1g under a per-case time limit. Builds the test classes first (offline
# if the local repository has everything). Not a CI step: the default suite runs a short run
# (FuzzTest). Findings (bytes and stack) go to OUT/findings; exit status 1 if there is any.
#
# usage: models/fuzz.sh [--cases 100000] [--seed 1] [--timeout-ms 5000] [--bomb-mib 300]
#                       [--out models/target/fuzz] [--only pickle,torch-zip,...]
# e.g.   nice models/fuzz.sh --cases 100000 --seed 1
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -pl models -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test
cp="models/target/test-classes:models/target/classes:$(cat models/target/fuzz.classpath)"
exec nice "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -Xms256m -Xmx1g \
    -cp "$cp" org.archrepair.models.fuzz.FuzzMain "$@"
