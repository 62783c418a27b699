package org.betaas.api.things;

/**
 * Back-pressure figures of one subscriber.
 *
 * @param subscriber the subscriber's name
 * @param delivered  batches of measurements handed to its listener
 * @param dropped    batches dropped because its queue was full (the listener is too slow)
 * @param queued     batches waiting now
 * @param capacity   the bound of its queue
 * @param failures   listener calls that threw (the exception is logged, delivery goes on)
 */
public record SubscriberStats(String subscriber, long delivered, long dropped, int queued, int capacity,
                              long failures) {
}
