# Sourced by bench/syslog/run and bench/syslog/soak from the repository root: builds the load
# generator's classes and classpath (the reactor's modules, not ~/.m2's) and the launcher's jar
# (./vigil builds it when the sources are newer); sets CP.
./mvnw -B -q -pl vigil-agent -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
./vigil --version >/dev/null
CP="vigil-agent/target/test-classes:vigil-agent/target/classes:$(cat vigil-agent/target/bench-classpath.txt)"
