package dev.cdc.processor.consumer;

import jakarta.inject.Singleton;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** What the listener is doing, for /health: its state, whether its consumer lives, and its partitions. */
@Singleton
public class ListenerStatus {

    public enum State { STARTING, RUNNING, RETRYING, FAILED, STOPPED }

    private volatile State state = State.STARTING;
    private volatile boolean consumerCreated;
    private volatile boolean dead;
    private volatile boolean closed;
    private volatile Set<TopicPartition> assignment = Set.of();

    public State state() {
        return state;
    }

    void state(State state) {
        this.state = state;
    }

    void consumerCreated() {
        consumerCreated = true;
        state = State.RUNNING;
    }

    /** micronaut-kafka's poll thread ended on an Error. */
    void died() {
        dead = true;
        state = State.FAILED;
    }

    void closed() {
        closed = true;
        state = State.STOPPED;
    }

    boolean isDead() {
        return dead;
    }

    /** True once micronaut-kafka created the consumer, until shutdown or a fatal error of its poll thread. */
    public boolean isAlive() {
        return consumerCreated && !closed && !dead;
    }

    public Set<TopicPartition> assignment() {
        return assignment;
    }

    void assignment(Set<TopicPartition> assignment) {
        this.assignment = Set.copyOf(assignment);
    }
}
