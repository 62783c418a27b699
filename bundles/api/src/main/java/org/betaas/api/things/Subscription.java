package org.betaas.api.things;

/** A live subscription; {@link #close()} stops delivery and releases its queue and thread. */
public interface Subscription extends AutoCloseable {

    /** The name the subscriber gave, as shown in the statistics. */
    String subscriber();

    /** Delivered, dropped and queued counts so far. */
    SubscriberStats stats();

    @Override
    void close();
}
