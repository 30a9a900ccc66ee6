# Sourced by ./bosun and ./run-tests: sets JAVA_HOME to a JDK >= 21 (JAVA_HOME, then PATH, then /usr/lib/jvm/*).
java_major() {
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! BOSUN_JDK=$(find_jdk); then
  echo "Error: Bosun needs a JDK 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
  exit 2
fi
export JAVA_HOME="$BOSUN_JDK"
