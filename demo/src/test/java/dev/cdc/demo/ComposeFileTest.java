package dev.cdc.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Docker demo checked without a Docker engine: docker-compose.yml parsed and held against the apps'
 * configuration keys, .env, the Dockerfile, the database init files from sql/ and scripts/docker-demo.sh.
 * Where the docker compose plugin or shellcheck exist, they check too; elsewhere those two tests are skipped.
 */
class ComposeFileTest {

    static final List<String> SERVICES = List.of("mysql", "kafka", "target-db", "connector-a", "connector-b", "processor");
    static final List<String> CONNECTORS = List.of("connector-a", "connector-b");
    static final List<String> APPS = List.of("connector-a", "connector-b", "processor");
    static final List<String> DATABASES = List.of("mysql", "target-db");

    /** cdc-connector's keys (ConnectorSettings, application.yml); anything under debezium.* is passed to Debezium. */
    static final Set<String> CONNECTOR_KEYS = Set.of("cdc.name", "cdc.instance-id", "cdc.topic-prefix", "cdc.source.url", "cdc.source.user",
            "cdc.source.password", "cdc.source.server-id", "cdc.store.url", "cdc.store.user", "cdc.store.password", "cdc.lease.ttl",
            "cdc.capture.databases", "kafka.bootstrap.servers", "micronaut.server.port");
    static final List<String> CONNECTOR_PASSTHROUGH = List.of("debezium.", "kafka.producer.");
    static final List<String> CONNECTOR_REQUIRED = List.of("CDC_NAME", "CDC_INSTANCE_ID", "CDC_SOURCE_URL", "CDC_SOURCE_USER",
            "CDC_SOURCE_PASSWORD", "CDC_STORE_URL", "CDC_STORE_USER", "CDC_STORE_PASSWORD", "CDC_CAPTURE_DATABASES", "KAFKA_BOOTSTRAP_SERVERS");

    /** cdc-processor's keys (application.yml, README "Run"). */
    static final Set<String> PROCESSOR_KEYS = Set.of("cdc.topic-prefix", "datasources.default.url", "datasources.default.username",
            "datasources.default.password", "kafka.bootstrap.servers", "micronaut.server.port");
    static final List<String> PROCESSOR_PASSTHROUGH = List.of("cdc.processor.", "kafka.");
    static final List<String> PROCESSOR_REQUIRED = List.of("CDC_TOPIC_PREFIX", "KAFKA_BOOTSTRAP_SERVERS", "DATASOURCES_DEFAULT_URL",
            "DATASOURCES_DEFAULT_USERNAME", "DATASOURCES_DEFAULT_PASSWORD");

    /** Read by the image's entrypoint or the offsets wrapper, not by the apps' configuration. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS", "OFFSETS_JAVA_OPTS");

    static Path root;
    static String composeText;
    static Map<String, Object> compose;
    static Map<String, String> dotEnv;
    static String dockerfile;

    @BeforeAll
    static void load() throws IOException {
        root = findRepositoryRoot();
        composeText = Files.readString(root.resolve("docker-compose.yml"));
        compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(composeText);
        dotEnv = readDotEnv(root.resolve(".env"));
        dockerfile = Files.readString(root.resolve("docker/Dockerfile"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Services, images, builds

    @Test
    void everyServiceOfTheDemoIsThere() {
        assertEquals(new TreeSet<>(SERVICES), new TreeSet<>(services().keySet()), "services of docker-compose.yml");
    }

    @Test
    void serverImagesArePinned() {
        assertEquals("mysql:8.4", service("mysql").get("image"), "the source is MySQL 8.4 (the debezium-connector-mysql path)");
        assertTrue(string(service("kafka").get("image")).matches("apache/kafka:4\\.\\d+(\\.\\d+)?"),
                "the official Kafka image, a 4.x tag (KRaft): " + service("kafka").get("image"));
        assertTrue(string(service("target-db").get("image")).matches("(mariadb|mysql):\\d+(\\.\\d+)*"),
                "the target is a MySQL-compatible server with a pinned version: " + service("target-db").get("image"));
    }

    @Test
    void appsAreBuiltFromTheMultiStageDockerfile() throws IOException {
        Map<String, String> stages = dockerfileStages();
        for (String app : APPS) {
            Map<String, Object> build = map(service(app).get("build"), app + ".build");
            Path context = root.resolve(string(build.get("context"))).normalize();
            assertTrue(Files.isDirectory(context), app + ": build context " + context + " exists");
            assertTrue(Files.isRegularFile(context.resolve(string(build.get("dockerfile")))), app + ": dockerfile " + build.get("dockerfile") + " exists");
            assertTrue(stages.containsKey(string(build.get("target"))), app + ": the Dockerfile has a stage " + build.get("target") + ": " + stages);
            assertNotNull(service(app).get("image"), app + ": the built image gets a name");
        }
        assertEquals(service("connector-a").get("build"), service("connector-b").get("build"), "both connectors run the same image");
        assertEquals(service("connector-a").get("image"), service("connector-b").get("image"));
        assertEquals("connector", map(service("connector-a").get("build"), "build").get("target"));
        assertEquals("processor", map(service("processor").get("build"), "build").get("target"));

        assertTrue(stages.values().stream().anyMatch(image -> image.matches("(eclipse-temurin:17(-jdk)?|maven:[\\w.-]*eclipse-temurin-17)")),
                "a JDK 17 build stage: " + stages);
        assertTrue(dockerfile.contains("./mvnw"), "the build stage builds with the Maven wrapper");
        assertTrue(stages.containsValue("eclipse-temurin:17-jre"), "the apps run on eclipse-temurin:17-jre: " + stages);
        for (String jar : List.of("cdc-connector/target/cdc-connector-*-all.jar", "cdc-processor/target/cdc-processor-*-all.jar",
                "offsets/target/offsets-cli.jar")) {
            assertTrue(dockerfile.contains(jar), "the Dockerfile takes " + jar + " from the Maven build");
        }

        // Every COPY from the build context names a file that exists; the offsets wrapper runs the jar the image has.
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?!.*--from)(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$").matcher(dockerfile);
        while (copy.find()) {
            if (!copy.group(1).equals(".")) {
                assertTrue(Files.exists(root.resolve(copy.group(1))), "COPY source " + copy.group(1) + " exists");
            }
        }
        assertTrue(dockerfile.contains("/usr/local/bin/offsets"), "the connector image has the offsets command on the PATH");
        assertTrue(dockerfile.contains("/app/offsets-cli.jar"), "the connector image has the offsets CLI jar");
        String wrapper = Files.readString(root.resolve("docker/offsets"));
        assertTrue(wrapper.contains("-jar /app/offsets-cli.jar"), "docker/offsets runs the CLI jar the image has");
        assertTrue(Files.isExecutable(root.resolve("docker/offsets")), "docker/offsets is executable");

        String ignore = Files.readString(root.resolve("docker/Dockerfile.dockerignore"));
        assertTrue(ignore.lines().anyMatch(l -> l.strip().equals(".env")), "the demo credentials stay out of the build context");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Healthchecks and start order

    @Test
    void everyServerAndAppHasAHealthcheck() {
        for (String name : SERVICES) {
            Map<String, Object> healthcheck = map(service(name).get("healthcheck"), name + ".healthcheck");
            List<?> test = list(healthcheck.get("test"), name + ".healthcheck.test");
            assertTrue(test.size() >= 2 && List.of("CMD", "CMD-SHELL").contains(test.get(0)), name + ": healthcheck test " + test);
            assertFalse(Boolean.TRUE.equals(healthcheck.get("disable")), name + ": healthcheck enabled");
        }
        for (String app : APPS) {
            String test = String.join(" ", strings(map(service(app).get("healthcheck"), "healthcheck").get("test")));
            Matcher url = Pattern.compile("http://localhost:(\\d+)/health").matcher(test);
            assertTrue(url.find(), app + ": the healthcheck asks the app's /health: " + test);
            assertEquals(httpPort(app), Integer.parseInt(url.group(1)), app + ": the healthcheck asks the port the app listens on");
        }
    }

    @Test
    void startOrderWaitsForHealthyDependencies() {
        for (String name : SERVICES) {
            Object dependsOn = service(name).get("depends_on");
            if (dependsOn == null) {
                continue;
            }
            map(dependsOn, name + ".depends_on").forEach((dependency, spec) -> {
                assertTrue(services().containsKey(dependency), name + " depends on an existing service: " + dependency);
                assertEquals("service_healthy", map(spec, name + ".depends_on." + dependency).get("condition"),
                        name + " waits until " + dependency + " is healthy");
            });
        }
        for (String connector : CONNECTORS) {
            assertTrue(dependsOn(connector).containsAll(List.of("mysql", "target-db", "kafka")), connector + " depends on " + dependsOn(connector));
        }
        assertTrue(dependsOn("processor").containsAll(List.of("target-db", "kafka")), "processor depends on " + dependsOn("processor"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The apps' environment against their configuration

    @Test
    void connectorsShareTheNameAndDifferInInstanceId() {
        Map<String, String> a = environment("connector-a");
        Map<String, String> b = environment("connector-b");
        assertEquals(a.get("CDC_NAME"), b.get("CDC_NAME"), "one connector name: one lease, one offset");
        assertFalse(resolve(a.get("CDC_NAME")).isBlank(), "CDC_NAME has a value");
        assertNotEquals(resolve(a.get("CDC_INSTANCE_ID")), resolve(b.get("CDC_INSTANCE_ID")), "two instances");
        assertEquals("connector-a", resolve(a.get("CDC_INSTANCE_ID")), "instance id = service name (the demo script relies on it)");
        assertEquals("connector-b", resolve(b.get("CDC_INSTANCE_ID")));
        if (a.containsKey("CDC_SOURCE_SERVER_ID") || b.containsKey("CDC_SOURCE_SERVER_ID")) {
            assertNotEquals(a.get("CDC_SOURCE_SERVER_ID"), b.get("CDC_SOURCE_SERVER_ID"), "two binlog clients need two server ids");
        }
        Map<String, String> sharedA = new TreeMap<>(a);
        Map<String, String> sharedB = new TreeMap<>(b);
        for (String own : List.of("CDC_INSTANCE_ID", "CDC_SOURCE_SERVER_ID")) {
            sharedA.remove(own);
            sharedB.remove(own);
        }
        assertEquals(sharedA, sharedB, "apart from their identity, both instances are configured alike");

        String topicPrefix = resolve(a.getOrDefault("CDC_TOPIC_PREFIX", a.get("CDC_NAME")));
        assertEquals(topicPrefix, resolve(environment("processor").get("CDC_TOPIC_PREFIX")), "the processor reads the connectors' topics");
    }

    @Test
    void appsGetEverySettingTheyNeedAndReachTheRightServers() {
        for (String connector : CONNECTORS) {
            Map<String, String> env = environment(connector);
            for (String required : CONNECTOR_REQUIRED) {
                assertTrue(env.containsKey(required) && !resolve(env.get(required)).isBlank(), connector + " sets " + required);
            }
            HostPort source = jdbc(env.get("CDC_SOURCE_URL"));
            HostPort store = jdbc(env.get("CDC_STORE_URL"));
            assertEquals(new HostPort("mysql", 3306, ""), new HostPort(source.host(), source.port(), ""), connector + ": the source is the mysql service");
            assertEquals(new HostPort("target-db", 3306, "cdc_store"), store, connector + ": the store is cdc_store on the target server");
            assertNotEquals(source.host(), store.host(), connector + ": the store is not on the source server (Debezium's snapshot lock "
                    + "would block the store's writes there)");
            List<String> captured = List.of(resolve(env.get("CDC_CAPTURE_DATABASES")).split("\\s*,\\s*"));
            assertTrue(captured.contains("shop"), connector + " captures the demo schema: " + captured);
            assertFalse(captured.contains("cdc_store"), connector + " does not capture the store");
            assertEquals(kafkaAdvertisedListener(), resolve(env.get("KAFKA_BOOTSTRAP_SERVERS")), connector + ": Kafka as the broker advertises itself");
        }
        Map<String, String> processor = environment("processor");
        for (String required : PROCESSOR_REQUIRED) {
            assertTrue(processor.containsKey(required) && !resolve(processor.get(required)).isBlank(), "processor sets " + required);
        }
        assertEquals(new HostPort("target-db", 3306, "cdc_target"), jdbc(processor.get("DATASOURCES_DEFAULT_URL")), "the processor writes cdc_target");
        assertEquals(kafkaAdvertisedListener(), resolve(processor.get("KAFKA_BOOTSTRAP_SERVERS")));
    }

    @Test
    void appEnvironmentVariablesMapToRealConfigurationKeys() throws IOException {
        // The keys themselves exist in the apps: ConnectorSettings / application.yml / the processor's README.
        String settings = Files.readString(root.resolve("cdc-connector/src/main/java/dev/cdc/connector/config/ConnectorSettings.java"));
        Set<String> connectorYaml = flatKeys(root.resolve("cdc-connector/src/main/resources/application.yml"));
        for (String key : CONNECTOR_KEYS) {
            String field = camel(key.substring(key.lastIndexOf('.') + 1));
            boolean declared = key.startsWith("cdc.")
                    ? Pattern.compile("private\\s+[\\w<>.]+\\s+" + field + "\\s*[;=]").matcher(settings).find()
                    : connectorYaml.contains(key);
            assertTrue(declared, "cdc-connector has the configuration key " + key);
        }
        Set<String> processorYaml = flatKeys(root.resolve("cdc-processor/src/main/resources/application.yml"));
        String processorReadme = Files.readString(root.resolve("cdc-processor/README.md"));
        for (String key : PROCESSOR_KEYS) {
            assertTrue(processorYaml.contains(key) || processorReadme.contains("`" + key + "`"), "cdc-processor has the configuration key " + key);
        }

        for (String connector : CONNECTORS) {
            for (String variable : environment(connector).keySet()) {
                assertMapsToKey(connector, variable, CONNECTOR_KEYS, CONNECTOR_PASSTHROUGH);
            }
        }
        for (String variable : environment("processor").keySet()) {
            assertMapsToKey("processor", variable, PROCESSOR_KEYS, PROCESSOR_PASSTHROUGH);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Credentials: all from .env, none in the compose file

    @Test
    void everyPasswordComesFromDotEnv() {
        for (String name : SERVICES) {
            environment(name).forEach((variable, value) -> {
                if (variable.toUpperCase(Locale.ROOT).contains("PASSWORD")) {
                    Matcher ref = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(value);
                    assertTrue(ref.matches(), name + ": " + variable + " is a ${...} reference to .env, not a literal");
                    assertTrue(dotEnv.containsKey(ref.group(1)) && !dotEnv.get(ref.group(1)).isBlank(), name + ": .env defines " + ref.group(1));
                }
            });
        }
        dotEnv.forEach((variable, value) -> {
            if (variable.contains("PASSWORD")) {
                assertFalse(composeText.contains(value), "the value of " + variable + " appears literally in docker-compose.yml");
            }
        });
        assertFalse(Pattern.compile("(?i)(password|pwd)\\s*[=:]\\s*['\"]?(?!\\$)[\\w-]{3,}").matcher(strippedOfComments(composeText)).find(),
                "no literal password in docker-compose.yml");
    }

    @Test
    void everyVariableTheComposeFileUsesIsDefinedInDotEnv() throws IOException {
        String text = strippedOfComments(composeText).replace("$$", "");
        Set<String> used = new TreeSet<>();
        Matcher braced = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)[^}]*}").matcher(text);
        while (braced.find()) {
            used.add(braced.group(1));
        }
        assertFalse(used.isEmpty(), "the compose file takes its settings from .env");
        for (String name : used) {
            assertTrue(dotEnv.containsKey(name) && !dotEnv.get(name).isBlank(), "${" + name + "} is defined in .env");
        }
        Matcher bare = Pattern.compile("\\$[A-Za-z_]").matcher(text);
        assertFalse(bare.find(), "an unbraced $VAR (compose would interpolate it from the host): " + (bare.find(0) ? text.substring(bare.start()) : ""));
        String env = Files.readString(root.resolve(".env"));
        assertTrue(env.toLowerCase(Locale.ROOT).contains("demo-only") && env.contains("NOT SECRETS"), ".env says its values are demo-only");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Mounted files and the databases' initialisation

    @Test
    void everyMountedFileExists() {
        Set<String> namedVolumes = compose.get("volumes") == null ? Set.of() : map(compose.get("volumes"), "volumes").keySet();
        for (String name : SERVICES) {
            for (Mount mount : mounts(name)) {
                if (mount.hostPath() == null) {
                    assertTrue(namedVolumes.contains(mount.source()), name + ": named volume " + mount.source() + " is declared");
                } else {
                    assertTrue(Files.exists(mount.hostPath()), name + ": mounted " + mount.source() + " exists in the repository");
                    assertFalse(gitIgnored(mount.hostPath()), name + ": mounted " + mount.source()
                            + " is ignored by git (.gitignore), so a clone of the repository does not have it");
                }
            }
        }
    }

    /** True when git ignores the file (it never reaches a clone); false when tracked, or where git is not available. */
    static boolean gitIgnored(Path file) {
        if (!Files.isDirectory(root.resolve(".git")) && !Files.isRegularFile(root.resolve(".git"))) {
            return false;
        }
        Result result = run(List.of("git", "-C", root.toString(), "check-ignore", "--quiet", root.relativize(file).toString()));
        return result.exit() == 0;
    }

    @Test
    void databasesAreInitialisedFromSqlWithEveryPlaceholderSupplied() throws IOException {
        Map<String, List<Path>> initFiles = new LinkedHashMap<>();
        for (String db : DATABASES) {
            List<Mount> mounts = mounts(db);
            assertTrue(mounts.stream().anyMatch(m -> m.target().startsWith("/docker-entrypoint-initdb.d/")
                    && m.hostPath() != null && m.hostPath().endsWith(Path.of("docker/db/init-cdc.sh"))), db + " runs docker/db/init-cdc.sh at init");
            List<Mount> sql = mounts.stream().filter(m -> m.target().startsWith("/cdc-init/") && m.target().endsWith(".sql"))
                    .sorted(java.util.Comparator.comparing(Mount::target)).toList();
            assertFalse(sql.isEmpty(), db + " gets SQL files under /cdc-init");
            initFiles.put(db, sql.stream().map(Mount::hostPath).toList());
            for (Mount m : sql) {
                for (String placeholder : placeholders(Files.readString(m.hostPath()))) {
                    assertTrue(environment(db).containsKey(placeholder), db + ": " + m.source() + " needs " + placeholder + " in its environment");
                }
            }
        }
        assertEquals(List.of(root.resolve("sql/source/demo-schema.sql"), root.resolve("sql/source/demo-data.sql"), root.resolve("sql/source/cdc-user.sql")),
                initFiles.get("mysql"), "mysql: schema, then demo rows, then the CDC user");
        assertEquals(List.of(root.resolve("sql/store/store-user.sql"), root.resolve("sql/target-db/target-user.sql")),
                initFiles.get("target-db"), "target-db: the store and the target database with their users");

        // The users the apps log in as are the ones the SQL creates, with the passwords the databases were given.
        Map<String, String> connector = environment("connector-a");
        Map<String, String> processor = environment("processor");
        assertEquals(createdUser("sql/source/cdc-user.sql"), resolve(connector.get("CDC_SOURCE_USER")));
        assertEquals(createdUser("sql/store/store-user.sql"), resolve(connector.get("CDC_STORE_USER")));
        assertEquals(createdUser("sql/target-db/target-user.sql"), resolve(processor.get("DATASOURCES_DEFAULT_USERNAME")));
        assertEquals(environment("mysql").get("CDC_PASSWORD"), connector.get("CDC_SOURCE_PASSWORD"), "the cdc user's password");
        assertEquals(environment("target-db").get("STORE_PASSWORD"), connector.get("CDC_STORE_PASSWORD"), "the store user's password");
        assertEquals(environment("target-db").get("TARGET_PASSWORD"), processor.get("DATASOURCES_DEFAULT_PASSWORD"), "the target user's password");

        // The images' entrypoint must source the init script (docker_process_sql exists only then): not executable.
        Path init = root.resolve("docker/db/init-cdc.sh");
        if (Files.getFileStore(init).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(init);
            assertTrue(java.util.Collections.disjoint(permissions,
                    Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE)),
                    "docker/db/init-cdc.sh is not executable, so the entrypoint sources it: " + PosixFilePermissions.toString(permissions));
        }

        // The healthchecks and the demo script use the root client helper; it must be where they call it.
        for (String db : DATABASES) {
            assertTrue(mounts(db).stream().anyMatch(m -> m.target().equals("/usr/local/bin/sql-root")), db + " has /usr/local/bin/sql-root");
            assertTrue(environment(db).keySet().stream().anyMatch(k -> k.matches("(MYSQL|MARIADB)_ROOT_PASSWORD")), db + " has a root password");
        }
    }

    @Test
    void mysqlHasARowBasedBinlogWithGtids() throws IOException {
        Map<String, String> settings = new TreeMap<>();
        for (Mount mount : mounts("mysql")) {
            if (mount.target().startsWith("/etc/mysql/conf.d/") && mount.target().endsWith(".cnf")) {
                for (String line : Files.readAllLines(mount.hostPath())) {
                    String l = line.strip();
                    if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("[")) {
                        String[] kv = l.split("=", 2);
                        settings.put(kv[0].strip().replace('-', '_'), kv.length > 1 ? kv[1].strip() : "");
                    }
                }
            }
        }
        for (Object arg : service("mysql").get("command") instanceof List<?> l ? l : List.of()) {
            String a = string(arg).replaceFirst("^--", "");
            String[] kv = a.split("=", 2);
            settings.put(kv[0].replace('-', '_'), kv.length > 1 ? kv[1] : "");
        }
        assertEquals("ROW", settings.get("binlog_format"), "binlog_format: " + settings);
        assertEquals("FULL", settings.get("binlog_row_image"));
        assertTrue(settings.containsKey("log_bin"), "binary log on");
        assertTrue(Integer.parseInt(settings.getOrDefault("server_id", "0")) > 0, "server_id set");
        assertEquals("ON", settings.get("gtid_mode"));
        assertEquals("ON", settings.get("enforce_gtid_consistency"));
    }

    @Test
    void kafkaRunsInKRaftModeWithTransactionsOnOneBroker() {
        Map<String, String> kafka = environment("kafka");
        Set<String> roles = Set.of(kafka.getOrDefault("KAFKA_PROCESS_ROLES", "").split("\\s*,\\s*"));
        assertEquals(Set.of("broker", "controller"), roles, "one combined KRaft node");
        assertTrue(kafka.containsKey("KAFKA_CONTROLLER_QUORUM_VOTERS") || kafka.containsKey("KAFKA_CONTROLLER_QUORUM_BOOTSTRAP_SERVERS"), "a controller quorum");
        assertTrue(kafka.keySet().stream().noneMatch(k -> k.contains("ZOOKEEPER")), "no ZooKeeper");
        for (String oneReplica : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertEquals("1", kafka.get(oneReplica), oneReplica + " = 1: the connectors' transactions need it on a single broker");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The demo script

    @Test
    void demoScriptPassesTheBashSyntaxCheck() {
        Result result = run(List.of("bash", "-n", root.resolve("scripts/docker-demo.sh").toString()));
        assertEquals(0, result.exit(), "bash -n scripts/docker-demo.sh: " + result.output());
        assertTrue(Files.isExecutable(root.resolve("scripts/docker-demo.sh")), "scripts/docker-demo.sh is executable");
    }

    @Test
    void shellScriptsPassShellcheck() {
        Assumptions.assumeTrue(run(List.of("shellcheck", "--version")).exit() == 0, "SKIPPED: shellcheck is not installed");
        for (String script : List.of("scripts/docker-demo.sh", "docker/db/init-cdc.sh", "docker/db/sql-root.sh", "docker/offsets")) {
            Result result = run(List.of("shellcheck", "--external-sources", root.resolve(script).toString()));
            assertEquals(0, result.exit(), "shellcheck " + script + ":\n" + result.output());
        }
    }

    @Test
    void demoScriptRunsTheStepsOfTheIssue() throws IOException {
        String script = Files.readString(root.resolve("scripts/docker-demo.sh"));
        for (String expected : List.of("set -euo pipefail", "trap cleanup EXIT", "docker compose down -v", "docker compose build",
                "docker compose up -d --wait", "docker compose kill -s SIGKILL", " offsets show", " offsets history",
                "sql_in mysql", "bash /usr/local/bin/sql-root", "wait_in_sync")) {
            assertTrue(script.contains(expected), "scripts/docker-demo.sh does: " + expected);
        }
        Matcher exec = Pattern.compile("docker compose (?:exec|logs|kill)(?: -[\\w-]+(?:=\\S+)?(?: SIGKILL)?)* \"?([\\w$-]+)").matcher(script);
        while (exec.find()) {
            String target = exec.group(1);
            assertTrue(target.startsWith("$") || services().containsKey(target), "the script addresses an existing service: " + target);
        }
        String docs = Files.readString(root.resolve("docs/docker-demo.md"));
        assertTrue(docs.contains("scripts/docker-demo.sh"), "docs/docker-demo.md explains the script");
    }

    @Test
    void dockerComposeAcceptsTheFile() {
        Assumptions.assumeTrue(run(List.of("docker", "compose", "version")).exit() == 0,
                "SKIPPED: the docker compose plugin is not installed here; the file was checked by parsing it only");
        Result result = run(List.of("docker", "compose", "--project-directory", root.toString(), "-f", root.resolve("docker-compose.yml").toString(),
                "config", "--quiet"));
        assertEquals(0, result.exit(), "docker compose config: " + result.output());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    record HostPort(String host, int port, String database) {
    }

    record Mount(String source, Path hostPath, String target) {
    }

    record Result(int exit, String output) {
    }

    static Path findRepositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("sql"))) {
                return dir;
            }
        }
        throw new IllegalStateException("docker-compose.yml not found above " + Path.of("").toAbsolutePath());
    }

    static Map<String, String> readDotEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            assertTrue(eq > 0, ".env line is NAME=value: " + l);
            values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return values;
    }

    static Map<String, Object> services() {
        return map(compose.get("services"), "services");
    }

    static Map<String, Object> service(String name) {
        return map(services().get(name), "services." + name);
    }

    /** The service's environment, in map or list form, values as written (${...} unresolved). */
    static Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> out = new TreeMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(string(k), v == null ? "" : string(v)));
        } else if (env instanceof List<?> l) {
            for (Object entry : l) {
                String[] kv = string(entry).split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return out;
    }

    static Set<String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        return dependsOn == null ? Set.of() : map(dependsOn, name + ".depends_on").keySet();
    }

    static List<Mount> mounts(String name) {
        List<Mount> mounts = new ArrayList<>();
        Object volumes = service(name).get("volumes");
        for (Object volume : volumes == null ? List.of() : list(volumes, name + ".volumes")) {
            String source;
            String target;
            if (volume instanceof Map<?, ?> m) {
                source = string(m.get("source"));
                target = string(m.get("target"));
            } else {
                String[] parts = string(volume).split(":");
                source = parts[0];
                target = parts.length > 1 ? parts[1] : parts[0];
            }
            boolean bind = source.startsWith(".") || source.startsWith("/");
            mounts.add(new Mount(source, bind ? root.resolve(source).normalize() : null, target));
        }
        return mounts;
    }

    static int httpPort(String app) {
        String port = environment(app).get("MICRONAUT_SERVER_PORT");
        if (port != null) {
            return Integer.parseInt(resolve(port));
        }
        return app.startsWith("connector") ? 8081 : 8082; // the apps' defaults (application.yml)
    }

    static String kafkaAdvertisedListener() {
        String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        assertNotNull(advertised, "kafka advertises a listener for the other containers");
        Matcher m = Pattern.compile("PLAINTEXT://([\\w.-]+:\\d+)").matcher(advertised);
        assertTrue(m.find(), "a PLAINTEXT listener: " + advertised);
        return m.group(1);
    }

    static HostPort jdbc(String value) {
        String url = resolve(value);
        assertTrue(url.startsWith("jdbc:mysql://"), "a MySQL JDBC URL: " + url);
        URI uri = URI.create(url.substring("jdbc:".length()));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new HostPort(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(), path);
    }

    /** ${NAME} references resolved from .env, as docker compose does. */
    static String resolve(String value) {
        if (value == null) {
            return "";
        }
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            assertTrue(dotEnv.containsKey(m.group(1)), ".env defines " + m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(dotEnv.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Micronaut maps an environment variable to property names by lower-casing it and turning each '_' into '.' or
     * '-' (CDC_INSTANCE_ID → cdc.instance-id); the variable must reach a key the app has.
     */
    static void assertMapsToKey(String app, String variable, Set<String> keys, List<String> passthrough) {
        if (IMAGE_VARIABLES.contains(variable)) {
            return;
        }
        Set<String> names = propertyNames(variable);
        boolean known = names.stream().anyMatch(n -> keys.contains(n) || passthrough.stream().anyMatch(n::startsWith));
        assertTrue(known, app + ": " + variable + " maps to none of the app's configuration keys " + new TreeSet<>(keys));
    }

    static Set<String> propertyNames(String variable) {
        String[] parts = variable.toLowerCase(Locale.ROOT).split("_");
        Set<String> names = new LinkedHashSet<>();
        int separators = parts.length - 1;
        for (int mask = 0; mask < (1 << separators); mask++) {
            StringBuilder name = new StringBuilder(parts[0]);
            for (int i = 0; i < separators; i++) {
                name.append((mask & (1 << i)) == 0 ? '.' : '-').append(parts[i + 1]);
            }
            names.add(name.toString());
        }
        return names;
    }

    static Set<String> flatKeys(Path yamlFile) throws IOException {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(yamlFile));
        Set<String> keys = new TreeSet<>();
        flatten("", doc, keys);
        return keys;
    }

    private static void flatten(String prefix, Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix.isEmpty() ? string(k) : prefix + "." + k, v, keys));
        } else {
            keys.add(prefix);
        }
    }

    static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    static Set<String> placeholders(String sql) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String createdUser(String sqlFile) throws IOException {
        Matcher m = Pattern.compile("CREATE USER IF NOT EXISTS '([^']+)'@'%'").matcher(Files.readString(root.resolve(sqlFile)));
        assertTrue(m.find(), sqlFile + " creates a user");
        return m.group(1);
    }

    /** Stage name → base image of each FROM line of docker/Dockerfile. */
    static Map<String, String> dockerfileStages() {
        Map<String, String> stages = new LinkedHashMap<>();
        Matcher from = Pattern.compile("(?im)^FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$").matcher(dockerfile);
        while (from.find()) {
            stages.put(from.group(2) == null ? "#" + stages.size() : from.group(2), from.group(1));
        }
        return stages;
    }

    static String strippedOfComments(String yaml) {
        return yaml.lines().map(l -> l.replaceFirst("(^|\\s)#.*$", "")).reduce("", (a, b) -> a + b + "\n");
    }

    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map<?, ?>)) {
            fail(what + " is a mapping in docker-compose.yml, not " + node);
        }
        return (Map<String, Object>) node;
    }

    static List<?> list(Object node, String what) {
        if (!(node instanceof List<?> l)) {
            fail(what + " is a list in docker-compose.yml, not " + node);
            return List.of();
        }
        return l;
    }

    static List<String> strings(Object node) {
        return list(node, "list").stream().map(ComposeFileTest::string).toList();
    }

    static String string(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
