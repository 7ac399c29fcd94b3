package dev.cdc.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM on loopback,
 * configured for one node: every internal topic has replication factor 1, so consumer groups and
 * transactions work. {@link #main} runs the same broker as its own process, for tests that restart it.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private LocalKafka(Path logDir, int port, int controllerPort) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats {@code logDir} if needed and starts the broker; port 0 picks a free one. */
    public static LocalKafka start(Path logDir, int port) {
        LocalKafka kafka = new LocalKafka(logDir.toAbsolutePath(), port == 0 ? LocalMariaDb.freePort() : port, LocalMariaDb.freePort());
        kafka.startServer();
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "2");
        p.put("auto.create.topics.enable", "true");
        // One node: internal topics cannot have more replicas than brokers, or groups and transactions never work.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        return p;
    }

    private synchronized void startServer() {
        long started = System.nanoTime();
        Properties props = brokerProperties(logDir, port, controllerPort);
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                Path propsFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
                try (Writer w = Files.newBufferedWriter(propsFile)) {
                    props.store(w, "local-stack broker");
                }
                StorageTool.execute(new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()},
                        new PrintStream(OutputStream.nullOutputStream()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the Kafka log dir " + logDir + ": " + e.getMessage(), e);
        }
        server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        awaitReady(bootstrapServers(), Duration.ofSeconds(60));
        log.info("Kafka broker ready on {} in {} ms", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Waits until the broker answers metadata requests and lists itself. */
    public static void awaitReady(String bootstrapServers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                LocalMariaDb.sleep(100);
            }
        }
        throw new IllegalStateException("Kafka at " + bootstrapServers + " not ready within " + timeout + ": " + last);
    }

    /** Runs the broker as its own process: {@code LocalKafka <logDir> <port>}; it stops on SIGTERM. */
    public static void main(String[] args) {
        LocalKafka kafka = new LocalKafka(Path.of(args[0]).toAbsolutePath(), Integer.parseInt(args[1]),
                args.length > 2 ? Integer.parseInt(args[2]) : LocalMariaDb.freePort());
        kafka.startServer();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "local-kafka-stop"));
        System.out.println("READY " + kafka.bootstrapServers());
    }
}
