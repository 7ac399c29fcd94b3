package dev.cdc.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void changeTopicsMatchThePatternAndTheDeadLetterTopicDoesNot() {
        var pattern = TopicNames.changeTopicPattern("shop.v1");
        assertTrue(pattern.matcher(TopicNames.changeTopic("shop.v1", "app", "orders")).matches());
        assertFalse(pattern.matcher(TopicNames.deadLetterTopic("shop.v1")).matches());
        assertFalse(pattern.matcher("shopXv1.app.orders").matches(), "the prefix is quoted, its dot is no wildcard");
    }

    @Test
    void aDotInsideATableNameCannotBreakThePattern() {
        String topic = TopicNames.changeTopic("p", "my.db", "t.1");
        assertEquals("p.my_db.t_1", topic);
        assertTrue(TopicNames.changeTopicPattern("p").matcher(topic).matches());
    }

    @Test
    void onlyTheEngineRowChangeTopicsAreChangeTopics() {
        assertTrue(TopicNames.isEngineChangeTopic("demo", "demo.shop.orders"));
        assertFalse(TopicNames.isEngineChangeTopic("demo", "demo"));
        assertFalse(TopicNames.isEngineChangeTopic("demo", "__debezium-heartbeat.demo"));
        assertFalse(TopicNames.isEngineChangeTopic("demo", "demo.shop"));
    }
}
