package org.betaas.api.things;

import java.util.List;

/**
 * Delivers the measurements that reach the {@link ThingRegistry} to subscribers, with back-pressure: each
 * subscriber has its own bounded queue and delivery thread; when the queue is full the newest batch is dropped
 * and counted, so a slow subscriber neither stalls the adaptors nor the other subscribers, nor grows memory.
 */
public interface ThingSubscriptions {

    /** The queue bound used by {@link #subscribe(String, ThingFilter, MeasurementListener)}. */
    int DEFAULT_QUEUE_CAPACITY = 10_000;

    Subscription subscribe(String subscriber, ThingFilter filter, int queueCapacity, MeasurementListener listener);

    default Subscription subscribe(String subscriber, ThingFilter filter, MeasurementListener listener) {
        return subscribe(subscriber, filter, DEFAULT_QUEUE_CAPACITY, listener);
    }

    /** Figures of every live subscription. */
    List<SubscriberStats> subscriberStats();
}
