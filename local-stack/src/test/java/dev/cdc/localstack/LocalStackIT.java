package dev.cdc.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackIT {

    @TempDir
    static Path work;
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(work);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void sourceHasRowBinlogAndTheCdcUserLogsInWithItsPassword() throws Exception {
        LocalStack.Credentials cdc = stack.cdc();
        try (Connection c = DriverManager.getConnection(cdc.url(), cdc.user(), cdc.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@gtid_binlog_pos")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals("ROW", rs.getString(2));
            assertEquals("FULL", rs.getString(3));
            assertTrue(!rs.getString(4).isEmpty(), "a committed transaction exists, so the binlog has a GTID");
        }
        LocalStack.Credentials target = stack.targetDb();
        try (Connection c = DriverManager.getConnection(target.url(), target.user(), target.password())) {
            assertEquals("cdc_target", c.getCatalog());
        }
    }

    @Test
    void demoSchemaLoads() throws Exception {
        stack.loadDemoSchema();
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shop.customers")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }

    @Test
    void brokerCommitsTransactionsAndServesConsumerGroups() {
        Properties pp = new Properties();
        pp.put("bootstrap.servers", stack.kafka().bootstrapServers());
        pp.put("transactional.id", "local-stack-it");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("local-stack-it", "k", "v"));
            producer.commitTransaction();
        }
        Map<String, Object> cp = Map.of("bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "it",
                "auto.offset.reset", "earliest", "isolation.level", "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("local-stack-it"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int seen = 0;
            while (seen == 0 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                seen += records.count();
                records.forEach(r -> assertEquals("v", r.value()));
            }
            assertEquals(1, seen);
        }
    }
}
